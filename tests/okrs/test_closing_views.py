"""The close form on an objective's page: the suggested score and what it means, the organization's
reflection questions, carrying the unfinished key results over, and the links both ways."""

from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.notifications.models import Notification
from lodestar.okrs import services as okrs
from lodestar.okrs.models import CheckIn, KeyResult, Objective
from lodestar.okrs.selectors import cycle_end
from lodestar.orgs import services as orgs
from tests import factories
from tests.conftest import signed_in
from tests.okrs.goals import alerts_objective


def close_url(objective):
    return reverse("okrs:objective_close", kwargs={"org_slug": "acme", "objective_id": objective.pk})


def page_url(name, **kwargs):
    return reverse(name, kwargs={"org_slug": "acme", **kwargs})


@pytest.fixture
def goal(cast):
    objective = alerts_objective(cast, commitment="aspirational")
    key_result = factories.metric(
        cast.owner, objective, owner=cast.member, title="Minutes to acknowledge", start=60, target=10
    )
    okrs.record_check_in(actor=cast.member, key_result=key_result, value=25, status="on_track")
    return objective


def test_the_form_suggests_a_score_from_progress_and_says_what_it_means(client, cast, goal):
    body = signed_in(client, cast.member).get(close_url(goal)).content.decode()
    assert 'name="score" value="0.7"' in body  # 35 of 50 minutes: progress 0.7
    assert "stretch paid off" in body and "about 0.7 counts as a success" in body
    for question in ("What went well?", "What did we learn?", "What do we do next?"):
        assert question in body
    assert "Next quarter" not in body  # no later timeframe yet


def test_closing_with_a_reflection_and_carry_over_links_both_pages(client, cast, goal, next_quarter):
    data = {
        "score": "0.6",
        "outcome": "missed",
        "reflection_0": "Paging works.",
        "reflection_1": "Nights are hard.",
        "reflection_2": "",
        "carry_into": str(next_quarter.pk),
    }
    response = signed_in(client, cast.member).post(close_url(goal), data)
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.state, goal.score, goal.outcome) == ("closed", Decimal("0.60"), "missed")
    assert goal.reflection == {"What went well?": "Paging works.", "What did we learn?": "Nights are hard."}
    carried = Objective.objects.get(carried_over_from=goal)
    assert carried.timeframe == next_quarter

    old_page = client.get(page_url("okrs:objective", objective_id=goal.pk)).content.decode()
    assert "How it ended" in old_page and "Nights are hard." in old_page
    assert page_url("okrs:objective", objective_id=carried.pk) in old_page
    new_page = client.get(page_url("okrs:objective", objective_id=carried.pk)).content.decode()
    assert page_url("okrs:objective", objective_id=goal.pk) in new_page
    source_kr, copy_kr = goal.key_results.get(), carried.key_results.get()
    assert copy_kr.start_value == 25
    assert (
        page_url("okrs:key_result", key_result_id=source_kr.pk)
        in client.get(page_url("okrs:key_result", key_result_id=copy_kr.pk)).content.decode()
    )
    assert (
        page_url("okrs:key_result", key_result_id=copy_kr.pk)
        in client.get(page_url("okrs:key_result", key_result_id=source_kr.pk)).content.decode()
    )


def test_a_bad_score_is_shown_on_the_form_and_nothing_closes(client, cast, goal):
    response = signed_in(client, cast.member).post(close_url(goal), {"score": "7", "outcome": "missed"})
    assert response.status_code == 422
    assert "score" in response.context["form"].errors
    goal.refresh_from_db()
    assert goal.state == "active"


def test_a_private_source_is_not_linked_for_someone_not_taking_part(client, cast, goal, next_quarter):
    okrs.update_objective(actor=cast.owner, objective=goal, visibility="private")
    okrs.close_objective(actor=cast.member, objective=goal, carry_into=next_quarter)
    carried = Objective.objects.get(carried_over_from=goal)
    okrs.update_objective(actor=cast.owner, objective=carried, visibility="public")
    body = signed_in(client, cast.sales).get(page_url("okrs:objective", objective_id=carried.pk)).content.decode()
    assert "Carried over" not in body


def test_others_cannot_close_and_a_closed_objective_is_not_closed_twice(client, cast, goal):
    assert signed_in(client, cast.sales).get(close_url(goal)).status_code == 403
    assert signed_in(client, cast.beta_member).get(close_url(goal)).status_code == 404
    okrs.close_objective(actor=cast.member, objective=goal)
    assert signed_in(client, cast.member).get(close_url(goal)).status_code == 403


def test_the_coach_answers_while_a_key_result_is_typed_in_english_and_german(client, cast, goal):
    coach_url = reverse("okrs:key_result_coach", kwargs={"org_slug": "acme", "objective_id": goal.pk})
    signed_in(client, cast.member)
    output = client.get(coach_url, {"title": "Launch the new alert portal", "kind": "milestone"}).content.decode()
    assert 'data-rule="kr_output"' in output
    rewritten = client.get(
        coach_url,
        {
            "title": "Cut minutes to acknowledge from 25 to 10",
            "kind": "metric",
            "start_value": "25",
            "target_value": "10",
        },
    ).content.decode()
    assert "data-rule" not in rewritten and "no suggestions" in rewritten
    german = client.get(coach_url, {"title": "Neues Alarmportal einführen", "kind": "milestone"}).content.decode()
    assert 'data-rule="kr_output"' in german
    assert signed_in(client, cast.beta_member).get(coach_url, {"title": "x"}).status_code == 404


def test_the_objective_page_shows_the_coachs_findings(client, cast, goal):
    body = signed_in(client, cast.member).get(page_url("okrs:objective", objective_id=goal.pk)).content.decode()
    assert 'data-rule="too_few_krs"' in body


def test_an_admin_sets_the_reflection_questions_and_the_close_form_asks_them(client, cast, goal):
    settings_url = reverse("orgs:settings", kwargs={"org_slug": "acme"})
    data = {"name": "Acme", "language": "en", "time_zone": "Europe/Berlin", "check_in_weekday": "1"}
    signed_in(client, cast.owner).post(settings_url, {**data, "reflection_questions": "Did customers notice?\n\n"})
    cast.acme.refresh_from_db()
    assert cast.acme.reflection_questions == ["Did customers notice?"]
    body = client.get(close_url(goal)).content.decode()
    assert "Did customers notice?" in body and "What went well?" not in body
    too_many = "\n".join(f"Question {number}?" for number in range(9))
    response = client.post(settings_url, {**data, "reflection_questions": too_many})
    assert response.status_code == 422
    cast.acme.refresh_from_db()
    assert cast.acme.reflection_questions == ["Did customers notice?"]


def test_the_group_retrospective_shows_scores_and_reflections_side_by_side(client, cast, goal, world):
    okrs.close_objective(
        actor=cast.member, objective=goal, score="0.5", reflection={"What went well?": "Paging works."}
    )
    secret = factories.objective(
        cast.owner,
        timeframe=cast.quarter,
        title="Quiet reorganisation",
        level="group",
        groups=[cast.engineering],
        lead=cast.lead,
        visibility="private",
    )
    url = reverse("okrs:group_retrospective", kwargs={"org_slug": "acme", "group_id": cast.engineering.pk})
    body = signed_in(client, cast.sales).get(url, {"timeframe": cast.quarter.pk}).content.decode()
    assert "Alerts reach the right person" in body and "Paging works." in body and "0.5" in body
    assert "secret plan" in body and "Not closed yet" in body  # the world's open Engineering objective
    assert secret.title not in body
    assert signed_in(client, cast.beta_member).get(url).status_code == 404


def test_the_closing_tracker_lists_what_is_still_open_by_group_and_reminds_the_leads(client, cast, goal):
    done = alerts_objective(cast, title="Pager rota is fair")
    okrs.close_objective(actor=cast.member, objective=done)
    company = factories.objective(cast.owner, timeframe=cast.quarter, title="Customers trust us", lead=cast.lead)
    tracker_url = page_url("okrs:timeframe_closing", timeframe_id=cast.quarter.pk)
    body = signed_in(client, cast.admin).get(tracker_url).content.decode()
    assert "1 of 3 objectives are closed with a score." in body
    engineering = body.split(">Engineering <", 1)[1].split("</section>", 1)[0]
    assert goal.title in engineering and "Max Member" in engineering and done.title not in engineering
    assert company.title in body.split(">Company <", 1)[1] and "Remind 2 leads" in body
    remind_url = page_url("notifications:remind_to_close", timeframe_id=cast.quarter.pk)
    response = client.post(remind_url, follow=True)
    assert "Sent 2 reminders to close." in response.content.decode()
    reminder = Notification.objects.get(recipient=cast.member, kind=Notification.Kind.CLOSE_DUE)
    assert reminder.objective == goal
    again = client.post(remind_url, follow=True).content.decode()
    assert "Nobody needed a reminder" in again  # once a day per objective
    assert Notification.objects.filter(kind=Notification.Kind.CLOSE_DUE).count() == 2
    inbox = signed_in(client, cast.member).get(reverse("notifications:inbox", kwargs={"org_slug": "acme"}))
    assert "asks you to close “Alerts reach the right person”" in inbox.content.decode()
    assert signed_in(client, cast.lead).get(tracker_url).status_code == 403
    assert client.post(remind_url).status_code == 403
    assert signed_in(client, cast.beta_owner).get(tracker_url).status_code == 404


def test_an_admin_carries_a_timeframes_unfinished_objectives_over_in_bulk(client, cast, goal, next_quarter):
    finished = alerts_objective(cast, title="Every alert has an owner")
    routed = factories.metric(cast.owner, finished, owner=cast.member, title="Alerts with an owner", start=0, target=5)
    okrs.record_check_in(actor=cast.member, key_result=routed, value=5, status="on_track")
    bulk_url = page_url("okrs:timeframe_carry_over", timeframe_id=cast.quarter.pk)
    body = signed_in(client, cast.admin).get(bulk_url).content.decode()
    assert goal.title in body and finished.title not in body  # nothing left to carry
    response = client.post(bulk_url, {"objectives": [goal.pk], "into": next_quarter.pk}, follow=True)
    assert "Carried 1 objective into “Next quarter” as a draft." in response.content.decode()
    copy = Objective.objects.get(carried_over_from=goal)
    assert copy.timeframe == next_quarter and copy.state == Objective.State.DRAFT
    assert copy.key_results.get().start_value == Decimal(25)  # continues from its current value
    assert goal.title not in client.get(bulk_url).content.decode()  # carried over once
    refused = client.post(bulk_url, {"objectives": [goal.pk], "into": next_quarter.pk})
    assert refused.status_code == 422 and Objective.objects.filter(carried_over_from=goal).count() == 1
    assert signed_in(client, cast.member).get(bulk_url).status_code == 403


def test_an_estimate_is_measured_into_a_metric_from_its_page(client, cast, goal):
    estimate = factories.key_result(cast.owner, goal, "estimate", owner=cast.member, title="Night shifts feel calm")
    okrs.record_check_in(actor=cast.member, key_result=estimate, percent=40, status="on_track")
    kr_url = page_url("okrs:key_result", key_result_id=estimate.pk)
    convert_url = page_url("okrs:key_result_convert", key_result_id=estimate.pk)
    assert convert_url in signed_in(client, cast.member).get(kr_url).content.decode()
    refused = client.post(convert_url, {"start_value": "5", "target_value": "5"})
    assert refused.status_code == 422 and "must differ from the baseline" in refused.content.decode()
    response = client.post(convert_url, {"start_value": "8", "target_value": "2", "unit": "pages per night"})
    assert response.status_code == 302
    estimate.refresh_from_db()
    assert estimate.kind == KeyResult.Kind.METRIC and estimate.target_value == Decimal(2)
    assert CheckIn.objects.filter(key_result=estimate).count() == 2  # the estimate and the baseline
    assert convert_url not in client.get(kr_url).content.decode()
    assert client.get(convert_url)["Location"] == kr_url  # a metric already
    assert signed_in(client, cast.sales).get(convert_url).status_code == 403


def test_a_closed_objectives_initiatives_show_no_edit_controls_but_to_admins(client, cast, goal):
    initiative = okrs.create_initiative(
        actor=cast.member, title="Route pages by rota", key_results=[goal.key_results.get()], owner=cast.member
    )
    edit_url = page_url("okrs:initiative_edit", initiative_id=initiative.pk)
    objective_url = page_url("okrs:objective", objective_id=goal.pk)
    assert edit_url in signed_in(client, cast.member).get(objective_url).content.decode()
    okrs.close_objective(actor=cast.member, objective=goal)
    assert edit_url not in client.get(objective_url).content.decode()
    assert edit_url in signed_in(client, cast.admin).get(objective_url).content.decode()


def tracker_url(timeframe, **query):
    url = page_url("okrs:timeframe_closing", timeframe_id=timeframe.pk)
    return f"{url}?{urlencode(query)}" if query else url


def group_list_url(timeframe, group):
    return page_url("okrs:timeframe_closing_group", timeframe_id=timeframe.pk, group_id=group.pk)


def open_objective(cast, title, *, progress, group=None, lead=None):
    """An active objective of the quarter at ``progress`` (through a metric key result's check-in)."""
    fields = {"level": "group", "groups": [group]} if group else {"level": "personal"}
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title=title, lead=lead or cast.member, **fields)
    key_result = factories.metric(cast.owner, objective, owner=cast.member, start=0, target=100)
    okrs.record_check_in(actor=cast.member, key_result=key_result, value=progress, status="on_track")
    return objective


def section_of(body, heading):
    return body.split(f">{heading} <", 1)[1].split("</section>", 1)[0]


def test_each_holder_shows_the_objectives_furthest_behind_and_links_to_all_of_them(client, cast):
    for percent in (90, 10, 70, 30, 50, 20, 60):
        open_objective(cast, f"Engineering at {percent}", progress=percent, group=cast.engineering)
    open_objective(cast, "Sales at 40", progress=40, group=cast.sales_group)
    body = signed_in(client, cast.admin).get(tracker_url(cast.quarter)).content.decode()
    engineering = section_of(body, "Engineering")
    shown = [f"Engineering at {percent}" for percent in (10, 20, 30, 50, 60)]
    assert [title for title in shown if title in engineering] == shown
    assert engineering.index(shown[0]) < engineering.index(shown[-1])  # the furthest behind first
    assert "Engineering at 70" not in engineering and "Engineering at 90" not in engineering
    assert "7 to close" in engineering and "Show all 7" in engineering
    assert group_list_url(cast.quarter, cast.engineering) in engineering
    assert body.index(">Engineering <") < body.index(">Sales <")  # the most to close first
    sales = section_of(body, "Sales")
    assert "Sales at 40" in sales and "Show all" not in sales  # nothing more to see

    listed = client.get(group_list_url(cast.quarter, cast.engineering)).content.decode()
    titles = [f"Engineering at {percent}" for percent in (10, 20, 30, 50, 60, 70, 90)]
    assert "7 objectives still to close, the furthest behind first." in listed
    assert sorted(titles, key=listed.index) == titles and "Sales at 40" not in listed


def test_company_and_personal_objectives_are_listed_under_their_level(client, cast):
    open_objective(cast, "My own growth", progress=10)
    factories.objective(cast.owner, timeframe=cast.quarter, title="Customers trust us", lead=cast.lead)
    body = signed_in(client, cast.owner).get(tracker_url(cast.quarter)).content.decode()
    assert "My own growth" in section_of(body, "Personal") and "Customers trust us" in section_of(body, "Company")
    personal_url = page_url("okrs:timeframe_closing_level", timeframe_id=cast.quarter.pk, level="personal")
    listed = client.get(personal_url).content.decode()
    assert "My own growth" in listed and "Customers trust us" not in listed


def test_holders_and_a_holders_objectives_come_a_page_at_a_time(client, cast, monkeypatch):
    monkeypatch.setattr(cycle_end, "HOLDERS_PER_PAGE", 2)
    monkeypatch.setattr(cycle_end, "OBJECTIVES_PER_PAGE", 2)
    for percent in (10, 20, 30):
        open_objective(cast, f"Engineering at {percent}", progress=percent, group=cast.engineering)
    open_objective(cast, "Sales at 40", progress=40, group=cast.sales_group)
    open_objective(cast, "My own growth", progress=50)
    signed_in(client, cast.admin)
    first = client.get(tracker_url(cast.quarter)).content.decode()
    assert ">Engineering <" in first and ">Personal <" in first and ">Sales <" not in first
    assert "Page 1 of 2" in first and "?page=2" in first
    second = client.get(tracker_url(cast.quarter, page=2)).content.decode()
    assert ">Sales <" in second and ">Engineering <" not in second
    assert "0 of 5 objectives are closed with a score." in second  # the summary is the whole timeframe's

    listed = client.get(group_list_url(cast.quarter, cast.engineering), {"page": "2"}).content.decode()
    assert "Engineering at 30" in listed and "Engineering at 10" not in listed and "Page 2 of 2" in listed


@pytest.mark.parametrize("page", ["0", "-1", "99999", "x", "1e309", "NaN", "", "2.5", "9" * 400])
def test_a_page_number_out_of_range_or_not_a_number_shows_a_page(client, cast, monkeypatch, page):
    monkeypatch.setattr(cycle_end, "HOLDERS_PER_PAGE", 1)
    open_objective(cast, "Engineering at 10", progress=10, group=cast.engineering)
    open_objective(cast, "Sales at 40", progress=40, group=cast.sales_group)
    signed_in(client, cast.admin)
    for url in (tracker_url(cast.quarter), group_list_url(cast.quarter, cast.engineering)):
        response = client.get(url, {"page": page})
        assert response.status_code == 200
        assert "Engineering at 10" in response.content.decode() or "Sales at 40" in response.content.decode()


def test_a_holders_list_is_for_admins_of_the_organization_and_real_holders(client, cast):
    open_objective(cast, "Engineering at 10", progress=10, group=cast.engineering)
    url = group_list_url(cast.quarter, cast.engineering)
    assert signed_in(client, cast.lead).get(url).status_code == 403
    assert signed_in(client, cast.beta_owner).get(url).status_code == 404
    signed_in(client, cast.admin)
    assert client.get(url).status_code == 200
    assert client.get(group_list_url(cast.quarter, cast.beta_group)).status_code == 404  # another organization's
    missing = page_url("okrs:timeframe_closing_group", timeframe_id=cast.quarter.pk, group_id=999_999)
    assert client.get(missing).status_code == 404
    for level in ("group", "everyone"):  # group objectives are held by their groups
        level_url = page_url("okrs:timeframe_closing_level", timeframe_id=cast.quarter.pk, level=level)
        assert client.get(level_url).status_code == 404
    foreign_timeframe = page_url(
        "okrs:timeframe_closing_group", timeframe_id=cast.beta_quarter.pk, group_id=cast.engineering.pk
    )
    assert client.get(foreign_timeframe).status_code == 404
    empty = client.get(group_list_url(cast.quarter, cast.sales_group)).content.decode()
    assert "Nothing left to close here" in empty


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_trackers_queries_do_not_grow_with_holders_or_objectives(client, cast):
    open_objective(cast, "Engineering at 10", progress=10, group=cast.engineering)
    open_objective(cast, "My own growth", progress=10)
    signed_in(client, cast.admin)
    urls = (
        tracker_url(cast.quarter),
        group_list_url(cast.quarter, cast.engineering),
        page_url("okrs:timeframe_closing_level", timeframe_id=cast.quarter.pk, level="personal"),
    )
    few = [count_queries(client, url) for url in urls]
    for number in range(8):
        group = orgs.create_group(actor=cast.owner, name=f"Team {number}")
        for percent in (10, 20):
            open_objective(cast, f"Team {number} at {percent}", progress=percent, group=group, lead=cast.lead)
        open_objective(cast, f"Growth {number}", progress=number * 10, lead=cast.sales)
    for percent in range(20, 90, 10):
        open_objective(cast, f"Engineering at {percent}", progress=percent, group=cast.engineering)
    many = [count_queries(client, url) for url in urls]
    assert few == many
    assert max(many) <= 20
