"""Search in a real browser: the top bar finds goals, KPIs and people; "Show all" opens one kind,
and "Show more" appends the next page in place."""

import pytest
from playwright.sync_api import expect

from lodestar.kpis import services as kpis
from tests import factories
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_finds_goals_and_shows_more_of_one_kind_in_place(live_server, page, cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Fleet uptime above 99.9 %")
    factories.metric(cast.owner, objective, title="Uptime of the telematics gateway", owner=cast.lead)
    factories.objective(cast.owner, timeframe=cast.closed, title="Uptime reporting for every customer")
    for number in range(45):
        kpis.create_kpi(actor=cast.owner, name=f"Uptime of region {number:02}", owner=cast.owner, unit="%")
    sign_in(page, live_server, "member@acme.test")
    page.get_by_role("search").get_by_role("searchbox").fill("uptime")
    page.get_by_role("search").get_by_role("searchbox").press("Enter")
    expect(page.get_by_text("48 results for “uptime”")).to_be_visible()
    expect(page.get_by_role("link", name="Fleet uptime above 99.9 %")).to_be_visible()
    expect(page.get_by_role("link", name="Uptime of the telematics gateway")).to_be_visible()
    expect(page.get_by_text("Showing the first 10 of 45.")).to_be_visible()
    screenshot(page, "search-results")

    page.get_by_role("link", name="Show all").click()
    kpi_rows = page.locator(".search-hit")  # the KPIs alone now
    expect(kpi_rows).to_have_count(20)
    screenshot(page, "search-one-kind-first-page")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("link", name="Show more").click()  # the next 20, appended by htmx
    expect(kpi_rows).to_have_count(40)
    page.get_by_role("link", name="Show more").click()
    expect(kpi_rows).to_have_count(45)
    expect(page.get_by_role("link", name="Show more")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True
    screenshot(page, "search-one-kind")
