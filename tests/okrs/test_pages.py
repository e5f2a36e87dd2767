"""The goal pages people read: company, objective, key result, and the inline check-in with htmx."""

import re

import pytest

from lodestar.okrs import services
from lodestar.okrs.models import KeyResult, Objective
from tests import factories
from tests.conftest import signed_in

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def company_goal(cast):
    goal = factories.objective(cast.owner, timeframe=cast.quarter, title="Customers love our product")
    factories.metric(cast.owner, goal, owner=cast.lead, title="Net promoter score", start=20, target=60)
    return goal


@pytest.fixture
def team_goal(cast, company_goal):
    goal = factories.objective(
        cast.lead,
        timeframe=cast.quarter,
        title="Ship the new onboarding",
        level=Objective.Level.GROUP,
        groups=[cast.engineering],
        lead=cast.lead,
        parent=company_goal,
        contributors=[cast.member],
    )
    factories.metric(cast.lead, goal, owner=cast.member, title="Activation rate", start=10, target=50)
    return goal


def page(client, membership, path):
    response = signed_in(client, membership).get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_company_page_lists_company_objectives_but_not_team_ones(client, cast, team_goal):
    body = page(client, cast.viewer, "/acme/company/")
    assert "Customers love our product" in body
    assert "Ship the new onboarding" not in body


def test_the_company_page_of_an_empty_timeframe_says_what_belongs_there(client, cast):
    body = page(client, cast.member, f"/acme/company/?timeframe={cast.closed.pk}")
    assert "No company objectives in this timeframe" in body


def test_an_admin_is_offered_to_draft_a_company_objective_and_a_member_is_not(client, cast):
    assert "Draft a company objective" in page(client, cast.admin, "/acme/company/")
    assert "Draft a company objective" not in page(client, cast.member, "/acme/company/")


def test_the_objective_page_shows_lead_groups_contributors_parent_and_key_results(client, cast, team_goal):
    body = page(client, cast.viewer, f"/acme/objectives/{team_goal.pk}/")
    for text in ("Ship the new onboarding", "Lea Lead", "Engineering", "Max Member", "Customers love our product"):
        assert text in body
    assert "Activation rate" in body
    assert 'class="chart-svg"' in body


def test_the_company_objective_lists_its_aligned_objectives(client, cast, company_goal, team_goal):
    body = page(client, cast.sales, f"/acme/objectives/{company_goal.pk}/")
    assert "Aligned objectives" in body and "Ship the new onboarding" in body


def test_a_private_child_is_not_listed_under_its_parent_for_outsiders(client, cast, company_goal, team_goal):
    services.update_objective(actor=cast.lead, objective=team_goal, visibility=Objective.Visibility.PRIVATE)
    assert "Ship the new onboarding" not in page(client, cast.sales, f"/acme/objectives/{company_goal.pk}/")
    assert "Ship the new onboarding" in page(client, cast.member, f"/acme/objectives/{company_goal.pk}/")


def test_the_history_shows_who_changed_what(client, cast, team_goal):
    services.update_objective(actor=cast.lead, objective=team_goal, title="Ship the new self-service onboarding")
    body = page(client, cast.member, f"/acme/objectives/{team_goal.pk}/")
    assert "History of changes" in body
    assert "Ship the new onboarding → Ship the new self-service onboarding" in body
    assert "Lea Lead" in body


def test_the_history_names_the_people_a_lead_or_an_owner_passed_between(client, cast, team_goal):
    services.update_objective(actor=cast.lead, objective=team_goal, lead=cast.member)
    services.update_key_result(actor=cast.lead, key_result=team_goal.key_results.get(), owner=cast.lead)
    body = page(client, cast.viewer, f"/acme/objectives/{team_goal.pk}/")
    assert "Lea Lead → Max Member" in body and "Max Member → Lea Lead" in body


def test_a_check_in_adds_a_point_to_the_objectives_progress_over_time(client, cast, team_goal):
    key_result = team_goal.key_results.get()
    services.record_check_in(actor=cast.member, key_result=key_result, value=30, status="on_track")
    body = page(client, cast.member, f"/acme/objectives/{team_goal.pk}/")
    assert 'class="chart-line chart-line-actual"' in body
    assert "50%" in body  # (30 − 10) / (50 − 10), also in the table alternative of the chart


def test_the_key_result_page_lists_every_check_in_with_its_comment(client, cast, team_goal):
    key_result = team_goal.key_results.get()
    services.record_check_in(actor=cast.member, key_result=key_result, value=20, status="on_track", comment="Slow")
    services.record_check_in(
        actor=cast.member, key_result=key_result, value=25, status="needs_attention", confidence=6, comment="Better"
    )
    body = page(client, cast.viewer, f"/acme/key-results/{key_result.pk}/")
    assert body.count("<tr>") == 3  # header + two check-ins
    assert "Slow" in body and "Better" in body and "Needs attention" in body
    assert "chart-line-target" in body and "chart-line-expected" in body


def test_a_milestone_has_no_chart_but_its_history(client, cast, team_goal):
    milestone = factories.key_result(cast.lead, team_goal, KeyResult.Kind.MILESTONE, owner=cast.member)
    services.record_check_in(actor=cast.member, key_result=milestone, done=True, status="on_track")
    body = page(client, cast.member, f"/acme/key-results/{milestone.pk}/")
    assert "chart-svg" not in body
    assert "Accomplished" in body


def test_the_owner_gets_the_inline_check_in_and_a_viewer_does_not(client, cast, team_goal):
    key_result = team_goal.key_results.get()
    check_in_url = f"/acme/key-results/{key_result.pk}/check-in/"
    assert check_in_url in page(client, cast.member, f"/acme/objectives/{team_goal.pk}/")
    assert check_in_url not in page(client, cast.viewer, f"/acme/objectives/{team_goal.pk}/")


def test_an_htmx_check_in_from_my_goals_answers_with_the_updated_card(client, cast, team_goal):
    key_result = team_goal.key_results.get()
    signed_in(client, cast.member)
    response = client.post(
        f"/acme/key-results/{key_result.pk}/check-in/",
        {"return_to": "card", f"kr{key_result.pk}-value": "30", f"kr{key_result.pk}-status": "on_track"},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<article class="card objective" id="objective-card-{team_goal.pk}"')
    assert "50%" in body
    assert 'hx-swap-oob="true"' in body and "Checked in on" in body


def test_an_htmx_check_in_on_the_objective_page_updates_its_progress_in_place(client, cast, team_goal):
    key_result = team_goal.key_results.get()
    signed_in(client, cast.member)
    response = client.post(
        f"/acme/key-results/{key_result.pk}/check-in/",
        {"return_to": "objective", f"kr{key_result.pk}-value": "50", f"kr{key_result.pk}-status": "on_track"},
        **HTMX,
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="goal-main">')
    assert "Accomplished" in body


def test_a_failed_htmx_check_in_shows_the_message_in_the_open_form_and_saves_nothing(client, cast, team_goal):
    key_result = team_goal.key_results.get()
    signed_in(client, cast.member)
    response = client.post(
        f"/acme/key-results/{key_result.pk}/check-in/",
        {"return_to": "card", f"kr{key_result.pk}-value": "lots", f"kr{key_result.pk}-status": "on_track"},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert '<details class="check-in" open>' in body
    assert 'class="field-error' in body
    assert key_result.check_ins.count() == 0


def test_without_javascript_a_check_in_from_the_objective_page_returns_there(client, cast, team_goal):
    key_result = team_goal.key_results.get()
    response = signed_in(client, cast.member).post(
        f"/acme/key-results/{key_result.pk}/check-in/",
        {"return_to": "objective", f"kr{key_result.pk}-value": "30", f"kr{key_result.pk}-status": "on_track"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/acme/objectives/{team_goal.pk}/"


def test_choosing_a_timeframe_keeps_it_in_the_navigation_links(client, cast):
    body = page(client, cast.member, f"/acme/company/?timeframe={cast.closed.pk}")
    assert f'href="/acme/groups/?timeframe={cast.closed.pk}"' in body
    assert f'<option value="{cast.closed.pk}" selected>' in body


def test_my_goals_shows_how_my_groups_are_doing(client, cast, team_goal):
    key_result = team_goal.key_results.get()
    services.update_objective(actor=cast.lead, objective=team_goal, state=Objective.State.ACTIVE)
    services.record_check_in(actor=cast.member, key_result=key_result, value=30, status="on_track")
    body = page(client, cast.member, "/acme/")
    assert "My groups" in body and "Engineering" in body
    assert "1 objective" in body


def test_an_htmx_check_in_on_my_goals_refreshes_what_still_needs_a_check_in(client, cast, team_goal):
    key_result = team_goal.key_results.get()
    services.update_objective(actor=cast.lead, objective=team_goal, state=Objective.State.ACTIVE)
    signed_in(client, cast.member)
    assert "Needs your check-in this week" in client.get("/acme/").content.decode()
    response = client.post(
        f"/acme/key-results/{key_result.pk}/check-in/?timeframe={cast.quarter.pk}",
        {"return_to": "home", f"kr{key_result.pk}-value": "30", f"kr{key_result.pk}-status": "on_track"},
        **HTMX,
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="goal-main">')
    assert "Needs your check-in this week" not in body
    assert f"/acme/groups/{cast.engineering.pk}/?timeframe={cast.quarter.pk}" in body  # the chosen timeframe stays


def test_the_goal_pages_speak_german_to_a_german_speaker(client, cast, company_goal, team_goal):
    cast.member.user.language = "de"
    cast.member.user.save()
    objective = page(client, cast.member, f"/acme/objectives/{company_goal.pk}/")
    assert "Änderungsverlauf" in objective and "Ausgerichtete Objectives" in objective
    assert "History of changes" not in objective
    key_result = page(client, cast.member, f"/acme/key-results/{team_goal.key_results.get().pk}/")
    assert "Check-ins" in key_result and "Noch keine Check-ins" in key_result
    company = page(client, cast.member, "/acme/company/")
    assert "Gesamtfortschritt" in company


def test_the_company_page_shows_how_many_team_objectives_are_aligned(client, cast, company_goal, team_goal):
    services.update_objective(actor=cast.lead, objective=team_goal, state=Objective.State.ACTIVE)
    factories.objective(
        cast.sales, timeframe=cast.quarter, title="Close ten deals", level=Objective.Level.GROUP,
        groups=[cast.sales_group], lead=cast.sales,
    )  # fmt: skip
    body = page(client, cast.viewer, "/acme/company/")
    assert "Alignment coverage" in body
    assert "1 of 2 active team objectives are aligned to a company objective." in body


def test_alignment_coverage_counts_no_private_objective_an_outsider_cannot_see(client, cast, company_goal, team_goal):
    services.update_objective(
        actor=cast.lead, objective=team_goal, state=Objective.State.ACTIVE, visibility=Objective.Visibility.PRIVATE
    )
    assert "Alignment coverage" not in page(client, cast.sales, "/acme/company/")
    assert "1 of 1 active team objective is aligned" in page(client, cast.lead, "/acme/company/")


def test_the_unaligned_page_lists_active_objectives_that_align_to_nothing_per_group(client, cast, team_goal):
    services.update_objective(actor=cast.lead, objective=team_goal, state=Objective.State.ACTIVE)
    factories.objective(
        cast.sales, timeframe=cast.quarter, title="Close ten deals", level=Objective.Level.GROUP,
        groups=[cast.sales_group], lead=cast.sales,
    )  # fmt: skip
    factories.objective(
        cast.member, timeframe=cast.quarter, title="Learn Rust", level=Objective.Level.PERSONAL, lead=cast.member
    )
    body = page(client, cast.viewer, "/acme/company/unaligned/")
    assert "Close ten deals" in body and "Learn Rust" in body
    assert "Ship the new onboarding" not in body  # aligned to the company objective
    assert (
        body.index("Sales")
        < body.index("Close ten deals")
        < body.index("Personal objectives")
        < body.index("Learn Rust")
    )
    assert "2 active team and personal objectives align to nothing" in body


def test_the_unaligned_page_hides_private_objectives_from_outsiders(client, cast):
    factories.objective(
        cast.lead, timeframe=cast.quarter, title="Quiet reorganization", level=Objective.Level.GROUP,
        groups=[cast.engineering], lead=cast.lead, visibility=Objective.Visibility.PRIVATE,
    )  # fmt: skip
    assert "Quiet reorganization" not in page(client, cast.sales, "/acme/company/unaligned/")
    assert "Every active team and personal objective is aligned" in page(client, cast.sales, "/acme/company/unaligned/")
    assert "Quiet reorganization" in page(client, cast.member, "/acme/company/unaligned/")


def test_the_progress_chart_draws_in_german_with_plain_number_coordinates(client, cast, team_goal):
    cast.member.user.language = "de"
    cast.member.user.save()
    body = signed_in(client, cast.member).get(f"/acme/objectives/{team_goal.pk}/").content.decode()
    chart = body.split('class="chart-svg"', 1)[1].split("</svg>", 1)[0]
    assert re.search(r'y1="\d+\.\d"', chart) and not re.search(r'(x|y|x1|y1)="\d+,\d', chart)
    assert "Januar" in chart or "Dezember" in chart or "Oktober" in chart  # the dates stay German
