"""Long lists in a real browser: on the KPI list arranged by owner and filtered to the unhealthy
ones, "Next" keeps both; a group whose sub-groups run onto the groups list's next page is named
there."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from lodestar.kpis import selectors, services
from lodestar.orgs import services as orgs
from lodestar.pages import directory
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_next_page_of_unhealthy_kpis_by_owner_keeps_the_filter(live_server, page, cast, monkeypatch):
    monkeypatch.setattr(selectors, "KPIS_PER_PAGE", 4)
    for index, (name, owner) in enumerate(
        [("Churn", cast.member), ("Lead time", cast.lead), ("Open tickets", cast.member), ("Pipeline", cast.sales)]
        + [(f"Uptime region {number}", cast.lead) for number in range(1, 4)]
    ):
        kpi = services.create_kpi(
            actor=cast.owner, name=name, owner=owner, rule="at_least", rule_min=50, unit="%",
            groups=[cast.engineering if index % 2 else cast.sales_group],
        )  # fmt: skip
        for weeks_ago, value in enumerate((70, 62, 55, 48 - index)):
            day = cast.today - datetime.timedelta(days=30 * (3 - weeks_ago))
            services.record_kpi_value(actor=owner, kpi=kpi, value=value, recorded_on=day)
    services.create_kpi(actor=cast.owner, name="Revenue", owner=cast.admin)  # healthy: no goal
    sign_in(page, live_server, "viewer@acme.test")
    page.get_by_role("link", name="KPIs", exact=True).click()
    page.get_by_role("link", name="By owner").click()
    page.get_by_role("link", name="Only unhealthy").click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"\?by=owner&health=unhealthy&page=2$"))
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.get_by_role("link", name="Revenue")).to_have_count(0)
    expect(page.get_by_role("link", name="Previous")).to_be_visible()
    screenshot(page, "kpi-list-page-2")


def test_a_group_whose_sub_groups_run_onto_the_next_page_is_named_there(live_server, page, cast, monkeypatch):
    monkeypatch.setattr(directory, "GROUPS_PER_PAGE", 4)
    for name in ("Backend", "Data", "Frontend", "Platform"):
        orgs.create_group(actor=cast.owner, name=name, parent=cast.engineering)
    sign_in(page, live_server, "viewer@acme.test")
    page.get_by_role("link", name="Groups", exact=True).click()
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Engineering continued from the previous page"))).to_be_visible()
    expect(page.get_by_role("link", name="Platform")).to_be_visible()
    screenshot(page, "groups-page-2")
