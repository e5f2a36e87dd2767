"""KPIs and initiatives in a real browser: a KPI with a goal band turns unhealthy on its page and
on the company page; an initiative under a key result is marked done without moving its progress."""

import re

import pytest
from playwright.sync_api import expect

from lodestar.okrs import services
from tests import factories
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import reload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_kpi_with_a_goal_band_turns_unhealthy_and_the_company_page_says_so(live_server, page, cast):
    factories.objective(cast.owner, timeframe=cast.quarter, title="Customers love our product")
    sign_in(page, live_server, "member@acme.test")
    page.get_by_role("link", name="KPIs", exact=True).click()
    page.get_by_role("link", name="Create the first KPI").click()
    page.get_by_label("Name").fill("Net promoter score")
    page.get_by_label("Between").check()
    page.get_by_label("Lower bound").fill("30")
    page.get_by_label("Upper bound").fill("70")
    page.get_by_label("Unit").fill("points")
    page.get_by_label("Weekly").check()
    page.get_by_role("button", name="Create KPI").click()
    expect(page.get_by_role("heading", name="Net promoter score")).to_be_visible()
    expect(page.get_by_text("No value yet").first).to_be_visible()

    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("New value").fill("42")
    page.get_by_role("button", name="Save value").click()  # updated in place (htmx)
    standing = page.locator(".kpi-standing")
    expect(standing.get_by_text("Healthy", exact=True)).to_be_visible()
    expect(page.get_by_text("Recorded a new value of “Net promoter score”.")).to_be_visible()

    page.locator(".kpi-update summary").click()
    page.get_by_label("New value").fill("75")
    page.get_by_role("textbox", name=re.compile(r"^Comment")).fill("After the price change")
    page.get_by_role("button", name="Save value").click()
    expect(standing.get_by_text("Unhealthy", exact=True)).to_be_visible()
    expect(page.locator(".chart-band")).to_have_count(1)
    expect(page.get_by_role("cell", name="After the price change")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    screenshot(page, "kpi-page")

    page.get_by_role("link", name="Company", exact=True).click()
    summary = page.locator(".kpi-health-summary")
    expect(summary.get_by_text("1 unhealthy")).to_be_visible()
    expect(summary.get_by_role("link", name="Net promoter score")).to_be_visible()
    page.get_by_role("link", name="KPIs", exact=True).click()
    screenshot(page, "kpi-list")


def test_an_initiative_marked_done_leaves_the_key_results_progress_alone(live_server, page, cast):
    objective = factories.objective(
        cast.lead, timeframe=cast.quarter, title="Alerts reach the right person", level="group",
        groups=[cast.engineering], lead=cast.lead,
    )  # fmt: skip
    key_result = factories.metric(cast.lead, objective, owner=cast.member, title="Alerts acknowledged")
    services.record_check_in(actor=cast.member, key_result=key_result, value=30, status="on_track")
    sign_in(page, live_server, "member@acme.test")
    page.goto(f"{live_server.url}/acme/key-results/{key_result.pk}/")
    expect(page.locator(".goal-main .progress-value").first).to_have_text("30%")
    page.get_by_role("link", name="Add initiative").click()
    page.get_by_label("Title").fill("Alert router v2")
    expect(page.get_by_label("Alerts acknowledged")).to_be_checked()
    page.get_by_role("button", name="Add initiative").click()
    page.wait_for_url(re.compile(rf"/acme/key-results/{key_result.pk}/$"))
    expect(page.get_by_text("Added the initiative “Alert router v2”.")).to_be_visible()

    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Status of Alert router v2").select_option("done")  # saves at once (htmx)
    expect(page.get_by_label("Status of Alert router v2")).to_have_value("done")
    expect(page.locator(".initiative-state select")).to_have_class(re.compile("initiative-done"))  # the swapped row
    assert page.evaluate("window.stillTheSamePage") is True
    assert reload(key_result.initiatives.get()).state == "done"
    page.reload()
    expect(page.locator(".goal-main .progress-value").first).to_have_text("30%")
    assert (reload(key_result).progress, reload(objective).progress) == (0.3, 0.3)
    screenshot(page, "key-result-with-initiative")
