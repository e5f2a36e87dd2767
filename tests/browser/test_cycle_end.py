"""The end of a cycle in a real browser: an admin starts a planning timeframe and activates its
drafts; a lead closes an objective with a score, an outcome and a reflection and carries its open key
result over, and both pages link to each other; the coach answers while a key result is typed, in
English and in German, and falls silent after the rewrite."""

import re

import pytest
from playwright.sync_api import expect

from lodestar.okrs import services as okrs
from lodestar.okrs.models import Objective, Timeframe
from tests import factories
from tests.browser.conftest import screenshot, sign_in
from tests.okrs.goals import alerts_objective

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_starts_a_planning_timeframe_and_activates_its_drafts(live_server, page, cast, next_quarter):
    for title in ("Fleet managers trust our alerts", "Dealers sell connectivity"):
        factories.objective(cast.owner, timeframe=next_quarter, title=title, state=Objective.State.DRAFT)
    sign_in(page, live_server, "owner@acme.test")
    page.goto(f"{live_server.url}/acme/timeframes/")
    page.get_by_role("button", name="Start Next quarter").click()
    expect(page.get_by_role("heading", name="Activate the drafts of Next quarter")).to_be_visible()
    expect(page.get_by_label(re.compile("Fleet managers trust our alerts"))).to_be_checked()
    screenshot(page, "cycle-activate-drafts")
    page.get_by_role("button", name="Activate the chosen drafts").click()
    expect(page.get_by_text("Activated 2 objectives.")).to_be_visible()
    next_quarter.refresh_from_db()
    assert next_quarter.state == Timeframe.State.ACTIVE
    assert set(Objective.objects.filter(timeframe=next_quarter).values_list("state", flat=True)) == {"active"}


def test_a_lead_closes_an_objective_and_carries_its_open_key_result_over(live_server, page, cast, next_quarter):
    goal = alerts_objective(cast, lead=cast.lead, commitment="aspirational")
    key_result = factories.metric(
        cast.owner, goal, owner=cast.member, title="Minutes to acknowledge", start=60, target=10
    )
    okrs.record_check_in(actor=cast.member, key_result=key_result, value=25, status="on_track")
    sign_in(page, live_server, "lead@acme.test")
    page.goto(f"{live_server.url}/acme/objectives/{goal.pk}/")
    page.get_by_role("link", name="Close", exact=True).click()
    score = page.locator("#id_score")
    expect(score).to_have_value("0.7")
    expect(page.get_by_text("the stretch paid off")).to_be_visible()
    score.fill("0.6")
    page.get_by_label("Missed").check()
    page.get_by_label("What did we learn?").fill("Night shifts need a second person on call.")
    page.get_by_label("Carry the unfinished key results over into").select_option(label="Next quarter")
    screenshot(page, "cycle-close-form")
    page.get_by_role("button", name="Close objective").click()

    expect(page.get_by_role("heading", name="How it ended")).to_be_visible()
    expect(page.get_by_text("Night shifts need a second person on call.")).to_be_visible()
    screenshot(page, "cycle-closed-objective")
    page.locator(".carried-to a").click()
    expect(page.locator(".carried-from a")).to_have_text("Alerts reach the right person")
    page.get_by_role("link", name="Minutes to acknowledge").first.click()
    expect(page.locator("dd.carried-from a")).to_have_text("Minutes to acknowledge")
    page.locator("dd.carried-from a").click()
    expect(page.locator("dd.carried-to")).to_contain_text("Next quarter")


@pytest.mark.parametrize(
    ("typed", "rewritten"),
    [
        ("Launch the new alert portal", "Cut minutes to acknowledge from 25 to 10"),
        ("Neues Alarmportal einführen", "Quittierzeit von 25 auf 10 Minuten senken"),
    ],
)
def test_the_coach_flags_an_output_while_typing_and_falls_silent_after_the_rewrite(
    live_server, page, cast, typed, rewritten
):
    goal = alerts_objective(cast, lead=cast.lead)
    sign_in(page, live_server, "lead@acme.test")
    page.goto(f"{live_server.url}/acme/objectives/{goal.pk}/key-results/new/")
    page.get_by_label("Milestone").check()
    page.get_by_label("Title").fill(typed)
    finding = page.locator('.coach-finding[data-rule="kr_output"]')
    expect(finding).to_be_visible()
    screenshot(page, f"cycle-coach-{'de' if 'einführen' in typed else 'en'}")
    page.get_by_label("Metric", exact=True).check()
    page.get_by_label("Title").fill(rewritten)
    page.get_by_label("Start value").fill("25")
    page.get_by_label("Target value").fill("10")
    expect(finding).to_have_count(0)
    expect(page.locator(".coach-clear")).to_be_visible()
