"""The alignment map and presentation mode in a real browser: open, expand, filter and highlight
the map; step through the kick-off deck with the keyboard and print it."""

import re

import pytest
from playwright.sync_api import expect

from lodestar.okrs import alignment_map, services
from lodestar.strategy import services as strategy
from tests import factories
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def goals(cast):
    """Two company objectives, team objectives aligned to them, a personal one below a team one."""
    strategy.update_strategy(actor=cast.owner, vision="Every machine connected", mission="We make data useful")
    pillar = strategy.create_pillar(actor=cast.owner, year=cast.quarter.starts_on.year, name="Reliability")
    trust = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Fleet managers trust our alerts", pillar=pillar
    )
    data = factories.objective(cast.owner, timeframe=cast.quarter, title="OEMs buy our data")
    alerts = factories.objective(
        cast.lead, timeframe=cast.quarter, title="Alerts reach the right person", level="group",
        groups=[cast.engineering], lead=cast.lead, parent=trust,
    )  # fmt: skip
    deals = factories.objective(
        cast.sales, timeframe=cast.quarter, title="Ten OEMs sign up", level="group", groups=[cast.sales_group],
        lead=cast.sales, parent=data,
    )  # fmt: skip
    mine = factories.objective(
        cast.member, timeframe=cast.quarter, title="Learn the alerting stack", level="personal", lead=cast.member,
        parent=alerts,
    )  # fmt: skip
    key_result = factories.metric(cast.sales, deals, owner=cast.sales, title="OEMs signed", start=0, target=10)
    services.record_check_in(actor=cast.sales, key_result=key_result, value=1, status="off_track")
    factories.metric(cast.owner, trust, owner=cast.lead, title="Alerts acknowledged", start=20, target=80)
    return {"trust": trust, "data": data, "alerts": alerts, "deals": deals, "mine": mine}


def test_the_map_opens_expands_filters_and_highlights_a_path(live_server, page, cast, goals, monkeypatch):
    monkeypatch.setattr(alignment_map, "MAP_NODES_SHOWN", 4)  # the personal level loads on demand
    sign_in(page, live_server, "viewer@acme.test")
    page.get_by_role("link", name="Alignment map").click()
    expect(page.get_by_role("heading", name="Alignment map")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")

    alerts = page.locator(f"#node-{goals['alerts'].pk}")
    expect(alerts.get_by_role("link", name="Alerts reach the right person", exact=True)).to_be_visible()
    expect(page.get_by_text("Learn the alerting stack")).to_have_count(0)
    alerts.locator("summary").first.click()  # the branch loads with htmx
    expect(page.get_by_role("link", name="Learn the alerting stack", exact=True)).to_be_visible()

    trust_branch = page.locator(f"#node-{goals['trust'].pk} > details")
    trust_branch.locator("> summary").click()  # collapse
    expect(alerts).to_be_hidden()
    page.get_by_role("button", name="Expand all").click()
    expect(alerts).to_be_visible()

    mine = page.locator(f"#node-{goals['mine'].pk}")
    mine.get_by_role("link", name=re.compile("^Path")).click()
    path = page.locator(".map-node.on-path")
    expect(path).to_have_count(3)
    expect(mine).to_have_class(re.compile("focused"))
    assert [path.nth(i).get_attribute("id") for i in range(3)] == [
        f"node-{goals[name].pk}" for name in ("trust", "alerts", "mine")
    ]
    assert page.evaluate("window.stillTheSamePage") is True  # highlighted in place
    assert f"focus={goals['mine'].pk}" in page.url
    screenshot(page, "alignment-map-path")

    page.get_by_label("Status").select_option("off_track")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 objective matches.")).to_be_visible()
    expect(page.get_by_role("link", name="Ten OEMs sign up", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="OEMs buy our data", exact=True)).to_be_visible()  # what the match aligns to
    expect(page.get_by_role("link", name="Alerts reach the right person", exact=True)).to_have_count(0)
    screenshot(page, "alignment-map-filtered")


def test_the_map_works_without_javascript(live_server, browser, cast, goals, monkeypatch):
    monkeypatch.setattr(alignment_map, "MAP_NODES_SHOWN", 4)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "member@acme.test")
    page.goto(f"{live_server.url}/acme/map/")
    page.locator(f"#node-{goals['alerts'].pk} summary").first.click()
    page.get_by_role("link", name="Show them on the map").click()  # the map focused on that objective
    expect(page.get_by_role("link", name="Learn the alerting stack", exact=True)).to_be_visible()
    expect(page.locator(f"#node-{goals['alerts'].pk}")).to_have_class(re.compile("focused"))
    context.close()


def test_the_presentation_steps_through_with_the_keyboard_and_prints_one_slide_a_page(live_server, page, cast, goals):
    page.set_viewport_size({"width": 1280, "height": 720})
    sign_in(page, live_server, "member@acme.test")
    page.goto(f"{live_server.url}/acme/company/")
    page.get_by_role("link", name="Present").click()
    slides = page.locator(".slide")
    total = slides.count()
    assert total == 7  # title, vision, mission, pillars, two objectives, the last word
    visible = page.locator(".slide:visible")
    expect(visible).to_have_count(1)
    expect(visible.get_by_role("heading", name="Current")).to_be_visible()
    expect(page.locator(".deck-position")).to_have_text(f"1 / {total}")

    page.keyboard.press("ArrowRight")
    expect(visible.get_by_text("Every machine connected")).to_be_visible()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(visible.get_by_role("heading", name="Where we focus")).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(visible.get_by_role("heading", name="Fleet managers trust our alerts")).to_be_visible()
    expect(visible.get_by_text("Alerts reach the right person")).to_be_visible()
    expect(visible.get_by_text("Company objective 1 of 2 · Reliability")).to_be_visible()
    screenshot(page, "presentation-objective-slide")
    page.keyboard.press("ArrowLeft")
    expect(visible.get_by_role("heading", name="Where we focus")).to_be_visible()
    page.keyboard.press("End")
    expect(page.locator(".deck-position")).to_have_text(f"{total} / {total}")
    assert page.url.endswith("#slide-next")
    page.keyboard.press("Home")
    expect(page.locator(".deck-position")).to_have_text(f"1 / {total}")

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == total

    page.keyboard.press("Escape")
    page.wait_for_url(f"{live_server.url}/acme/company/")
