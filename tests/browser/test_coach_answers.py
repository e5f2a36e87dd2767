"""The coach and the cycle's end in a real browser: an objective's author dismisses a finding with a
reason and brings it back; the coach answers while an objective is typed; an admin follows the closing
tracker, reminds the leads and carries the unfinished objectives over; an estimate is measured."""

import pytest
from playwright.sync_api import expect

from lodestar.okrs import services as okrs
from lodestar.okrs.models import KeyResult, Objective
from tests import factories
from tests.browser.conftest import let_the_coach_answer, screenshot, sign_in
from tests.okrs.goals import alerts_objective

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def goal(cast):
    objective = alerts_objective(cast, lead=cast.lead)
    factories.key_result(cast.owner, objective, "milestone", owner=cast.member, title="Launch the paging portal")
    return objective


def test_the_author_dismisses_a_finding_with_a_reason_and_raises_it_again(live_server, page, cast, goal):
    sign_in(page, live_server, "lead@acme.test")
    page.goto(f"{live_server.url}/acme/objectives/{goal.pk}/")
    finding = page.locator('#coach .coach-findings .coach-finding[data-rule="kr_output"]')
    expect(finding).to_be_visible()
    finding.get_by_text("Dismiss…").click()
    finding.get_by_label("Why does this not apply?").fill("The portal launch is what the contract names.")
    screenshot(page, "coach-dismiss")
    finding.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_text("Dismissed. The coach will not raise this again here.")).to_be_visible()
    expect(finding).to_have_count(0)
    page.get_by_text("1 dismissed suggestion").click()
    expect(page.get_by_text("The portal launch is what the contract names.")).to_be_visible()
    screenshot(page, "coach-dismissed")
    page.get_by_role("button", name="Raise it again").click()
    expect(finding).to_be_visible()


def test_the_coach_answers_while_an_objective_is_typed(live_server, page, cast, goal):
    sign_in(page, live_server, "lead@acme.test")
    page.goto(f"{live_server.url}/acme/objectives/new/?level=group")
    page.get_by_label("Title").fill("Increase revenue by 20 %")
    finding = page.locator('#coach-panel .coach-finding[data-rule="objective_is_number"]')
    expect(finding).to_be_visible()
    screenshot(page, "coach-objective-form")
    page.get_by_label("Title").fill("Dealers sell our connectivity with pride")
    expect(finding).to_have_count(0)
    let_the_coach_answer(page)


def test_an_admin_follows_the_closing_tracker_and_carries_unfinished_work_over(
    live_server, page, cast, goal, next_quarter
):
    for number in range(1, 6):  # six open in Engineering: the card shows five, the furthest behind
        alerts_objective(cast, title=f"Runbook {number} is current", lead=cast.lead)
    okrs.change_timeframe_state(actor=cast.owner, timeframe=cast.quarter, state="closing")
    sign_in(page, live_server, "owner@acme.test")
    page.goto(f"{live_server.url}/acme/timeframes/")
    page.get_by_role("link", name="Closing tracker Current").click()
    expect(page.get_by_text("0 of 6 objectives are closed with a score.")).to_be_visible()
    engineering = page.locator(".closing-group", has_text="Engineering")
    expect(engineering).to_contain_text("Lea Lead")
    expect(engineering.locator(".closing-row")).to_have_count(5)
    screenshot(page, "closing-tracker")
    engineering.get_by_role("link", name="Show all 6 Engineering").click()
    expect(page.get_by_text("6 objectives still to close, the furthest behind first.")).to_be_visible()
    expect(page.locator(".closing-row")).to_have_count(6)
    screenshot(page, "closing-holder")
    page.get_by_role("link", name="Closing Current").click()
    page.get_by_role("button", name="Remind 1 lead").click()
    expect(page.get_by_text("Sent 6 reminders to close.")).to_be_visible()  # one per objective
    page.get_by_role("link", name="Carry unfinished over").click()
    page.get_by_label("Continue them in").select_option(label="Next quarter")
    screenshot(page, "closing-carry-over")
    page.get_by_role("button", name="Carry over the chosen objectives").click()
    expect(page.get_by_text("Carried 1 objective into “Next quarter” as a draft.")).to_be_visible()
    assert Objective.objects.get(carried_over_from=goal).timeframe == next_quarter


def test_an_estimate_is_measured_into_a_metric(live_server, page, cast, goal):
    estimate = factories.key_result(cast.owner, goal, "estimate", owner=cast.lead, title="Night shifts feel calm")
    sign_in(page, live_server, "lead@acme.test")
    page.goto(f"{live_server.url}/acme/key-results/{estimate.pk}/")
    page.get_by_role("link", name="Measure it").click()
    page.get_by_label("Baseline").fill("8")
    page.get_by_label("Target").fill("2")
    page.get_by_label("Unit").fill("pages per night")
    screenshot(page, "estimate-to-metric")
    page.get_by_role("button", name="Make it a metric").click()
    expect(page.get_by_text("“Night shifts feel calm” is a metric now.")).to_be_visible()
    estimate.refresh_from_db()
    assert estimate.kind == KeyResult.Kind.METRIC
