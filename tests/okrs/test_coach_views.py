"""The coach on pages: live while an objective is typed, and its findings dismissed with a reason
(remembered, shown with who and why, and raised again on request)."""

import pytest
from django.urls import reverse

from lodestar.core.errors import NotAllowed
from lodestar.okrs import services as okrs
from lodestar.okrs.models import CoachDismissal
from lodestar.rollout import services as rollout
from tests import factories
from tests.conftest import signed_in
from tests.okrs.goals import alerts_objective


def url(name, **kwargs):
    return reverse(name, kwargs={"org_slug": "acme", **kwargs})


@pytest.fixture
def goal(cast):
    """One key result, and it describes work: the coach finds too_few_krs and kr_output."""
    objective = alerts_objective(cast)
    factories.key_result(cast.owner, objective, "milestone", owner=cast.member, title="Launch the paging portal")
    return objective


def objective_page(client, member, objective) -> str:
    return signed_in(client, member).get(url("okrs:objective", objective_id=objective.pk)).content.decode()


def test_a_dismissed_finding_is_gone_from_the_page_and_listed_with_who_and_why(client, cast, goal):
    key_result = goal.key_results.get()
    body = objective_page(client, cast.member, goal)
    assert 'data-rule="too_few_krs"' in body and 'data-rule="kr_output"' in body
    response = client.post(
        url("okrs:finding_dismiss", objective_id=goal.pk),
        {"rule": "kr_output", "key_result": key_result.pk, "reason": "The portal launch is the contract's milestone."},
    )
    assert response.status_code == 302 and response["Location"].endswith("#coach")
    body = objective_page(client, cast.lead, goal)
    open_part, dismissed_part = body.split("coach-dismissed", 1)
    assert 'data-rule="kr_output"' not in open_part and 'data-rule="too_few_krs"' in open_part
    assert "1 dismissed suggestion" in dismissed_part and "the contract&#x27;s milestone" in dismissed_part
    assert "Max Member" in dismissed_part  # who dismissed it


def test_dismissing_again_changes_the_reason_and_raising_it_again_brings_it_back(client, cast, goal):
    okrs.dismiss_coach_finding(actor=cast.member, objective=goal, rule="too_few_krs", reason="First reason")
    okrs.dismiss_coach_finding(actor=cast.member, objective=goal, rule="too_few_krs", reason="Second reason")
    assert list(CoachDismissal.objects.values_list("reason", flat=True)) == ["Second reason"]
    response = signed_in(client, cast.member).post(
        url("okrs:finding_restore", objective_id=goal.pk), {"rule": "too_few_krs"}
    )
    assert response.status_code == 302 and not CoachDismissal.objects.exists()
    assert 'data-rule="too_few_krs"' in objective_page(client, cast.member, goal)


def test_a_dismissal_needs_a_reason_a_known_rule_and_a_key_result_of_this_objective(client, cast, goal):
    elsewhere = factories.objective(cast.owner, timeframe=cast.quarter, title="Other", lead=cast.member)
    foreign = factories.metric(cast.owner, elsewhere, owner=cast.member, title="Other measure", start=0, target=1)
    signed_in(client, cast.member)
    for data, message in [
        ({"rule": "too_few_krs", "reason": "  "}, "This field is required."),
        ({"rule": "no_such_rule", "reason": "Because"}, "The coach has no such finding."),
        ({"rule": "kr_output", "key_result": foreign.pk, "reason": "Because"}, "belongs to another objective"),
    ]:
        response = client.post(url("okrs:finding_dismiss", objective_id=goal.pk), data)
        assert response.status_code == 422 and message in response.content.decode()
    assert not CoachDismissal.objects.exists()


def test_only_editors_answer_the_coach_and_other_organizations_see_nothing(client, cast, goal):
    dismiss = url("okrs:finding_dismiss", objective_id=goal.pk)
    data = {"rule": "too_few_krs", "reason": "We like one."}
    assert signed_in(client, cast.sales).post(dismiss, data).status_code == 403
    assert signed_in(client, cast.beta_member).post(dismiss, data).status_code == 404
    assert "Dismiss…" not in objective_page(client, cast.sales, goal)
    with pytest.raises(NotAllowed):
        okrs.dismiss_coach_finding(actor=cast.viewer, objective=goal, rule="too_few_krs", reason="No")
    assert not CoachDismissal.objects.exists()


def test_a_key_results_owner_answers_for_its_findings_only(cast, goal):
    other_owner = factories.key_result(cast.owner, goal, "milestone", owner=cast.sales, title="Hold a paging workshop")
    okrs.dismiss_coach_finding(
        actor=cast.sales, objective=goal, key_result=other_owner, rule="kr_output", reason="Workshop is the goal"
    )
    with pytest.raises(NotAllowed):
        okrs.dismiss_coach_finding(actor=cast.sales, objective=goal, rule="too_few_krs", reason="No")
    assert CoachDismissal.objects.get().key_result == other_owner


def test_the_coach_answers_while_an_objective_is_typed(client, cast, goal):
    company = factories.objective(cast.owner, timeframe=cast.quarter, title="Customers trust our alerts")
    signed_in(client, cast.member)
    new_url = url("okrs:objective_coach")
    typed = {"title": "Raise NPS to 50", "level": "group", "timeframe": cast.quarter.pk}
    body = client.get(new_url, typed).content.decode()
    assert 'data-rule="objective_is_number"' in body and 'data-rule="unaligned_group_objective"' in body
    assert 'data-rule="no_krs"' not in body  # a new objective has no key results yet
    rewritten = {**typed, "title": "Customers love our alerts", "parent": company.pk}
    assert "no suggestions for this objective" in client.get(new_url, rewritten).content.decode()
    german = client.get(new_url, {**typed, "title": "Den Umsatz mit Händlern um 20 % steigern"}).content.decode()
    assert 'data-rule="objective_is_number"' in german and "als Zahl formuliert" in german
    editing = client.get(url("okrs:objective_coach_edit", objective_id=goal.pk), rewritten).content.decode()
    assert 'data-rule="too_few_krs"' in editing  # a stored objective's key results count
    form = client.get(url("okrs:objective_edit", objective_id=goal.pk)).content.decode()
    assert 'id="coach-panel"' in form and 'data-rule="too_few_krs"' in form
    assert (
        signed_in(client, cast.beta_member).get(url("okrs:objective_coach_edit", objective_id=goal.pk)).status_code
        == 404
    )


def test_the_group_page_sums_up_the_coachs_suggestions(client, cast, goal):
    clean = alerts_objective(cast, title="On-call engineers sleep through the night")
    for title, start, target in [("Pages per night", 6, 1), ("Share of alerts routed automatically", 40, 90)]:
        factories.metric(cast.owner, clean, owner=cast.member, title=title, start=start, target=target)
    group_url = reverse("directory:group", kwargs={"org_slug": "acme", "group_id": cast.engineering.pk})
    body = signed_in(client, cast.member).get(group_url).content.decode()
    summary = body.split('class="card coach-summary"', 1)[1].split("</section>", 1)[0]
    assert goal.title in summary and "2 suggestions" in summary
    assert clean.title not in summary and "1 objective has no suggestions." in summary
    for number in range(4):
        alerts_objective(cast, title=f"Focus area {number}")
    crowded = signed_in(client, cast.member).get(group_url).content.decode()
    assert 'data-rule="too_many_objectives"' in crowded and "Engineering has 6 active objectives" in crowded


def test_the_company_page_asks_for_focus_beyond_five_company_objectives(client, cast):
    company_url = url("okrs:company")
    for number in range(5):
        factories.objective(cast.owner, timeframe=cast.quarter, title=f"Company aim {number}")
    assert "too_many_company_objectives" not in signed_in(client, cast.member).get(company_url).content.decode()
    factories.objective(cast.owner, timeframe=cast.quarter, title="One aim too many")
    body = client.get(company_url).content.decode()
    assert 'data-rule="too_many_company_objectives"' in body and "6 objectives" in body


def test_a_challenge_round_card_shows_the_coach_and_its_authors_may_dismiss(client, cast):
    goal = alerts_objective(cast, state="draft")
    factories.key_result(cast.owner, goal, "milestone", owner=cast.member, title="Launch the paging portal")
    rollout.start_rollout(actor=cast.owner, starts_on=cast.today)
    opened = rollout.open_round(
        actor=cast.owner, title="Engineering drafts", deadline=cast.today, objectives=[goal], reviewers=[cast.lead]
    )
    round_url = reverse("rollout:round", kwargs={"org_slug": "acme", "round_id": opened.pk})
    as_reviewer = signed_in(client, cast.lead).get(round_url).content.decode()
    assert 'data-rule="kr_output"' in as_reviewer
    as_author = signed_in(client, cast.member).get(round_url).content.decode()
    assert 'data-rule="kr_output"' in as_author and "Dismiss…" in as_author
