"""The weekly flows in a real browser: check in without leaving the page and watch the roll-up,
read-only people cannot edit, and another organization's member finds nothing."""

import re

import pytest
from playwright.sync_api import expect

from lodestar.okrs import services
from lodestar.okrs.models import Objective
from tests import factories
from tests.browser.conftest import let_the_coach_answer, screenshot, sign_in
from tests.security.conftest import with_people_import, with_rollout
from tests.security.urls import build, organization_patterns, world_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def aligned(cast):
    """A company objective driven by its aligned objectives, and a team objective with the member's KR."""
    company = factories.objective(
        cast.owner,
        timeframe=cast.quarter,
        title="Fleet managers trust our alerts",
        progress_driver=Objective.ProgressDriver.CHILDREN,
    )
    team = factories.objective(
        cast.lead,
        timeframe=cast.quarter,
        title="Alerts reach the right person",
        level=Objective.Level.GROUP,
        groups=[cast.engineering],
        lead=cast.lead,
        parent=company,
    )
    key_result = factories.metric(cast.lead, team, owner=cast.member, title="Alerts acknowledged within a day")
    return company, team, key_result


def test_a_check_in_updates_my_card_in_place_and_rolls_up_to_the_company_objective(live_server, page, cast, aligned):
    company, team, _ = aligned
    sign_in(page, live_server, "member@acme.test")
    page.wait_for_url(f"{live_server.url}/acme/")
    page.evaluate("window.stillTheSamePage = true")
    card = page.locator(f"#objective-card-{team.pk}")
    expect(card.locator(".progress-value").first).to_have_text("0%")

    card.get_by_text("Check in").click()  # 1: open
    card.get_by_label(re.compile("New value")).fill("40")  # 2: the value
    card.get_by_label("Status").select_option("on_track")
    card.get_by_role("button", name="Save").click()  # 3: save

    expect(page.locator(f"#objective-card-{team.pk} .progress-value").first).to_have_text("40%")
    expect(page.get_by_text("Checked in on “Alerts acknowledged within a day”.")).to_be_visible()
    expect(page.get_by_text("Needs your check-in this week")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True  # swapped in place, no page load
    screenshot(page, "home-after-check-in")

    page.goto(f"{live_server.url}/acme/objectives/{company.pk}/")
    expect(page.locator("#goal-main .progress-value").first).to_have_text("40%")
    expect(page.get_by_role("link", name="Alerts reach the right person")).to_be_visible()
    screenshot(page, "objective")


def test_a_check_in_on_the_objective_page_without_javascript_still_works(live_server, browser, cast, aligned):
    _, team, key_result = aligned
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "member@acme.test")
    page.goto(f"{live_server.url}/acme/objectives/{team.pk}/")
    row = page.locator(f"#key-result-{key_result.pk}")
    row.get_by_text("Check in").click()
    row.get_by_label(re.compile("New value")).fill("100")
    row.get_by_label("Status").select_option("on_track")
    row.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/acme/objectives/{team.pk}/")
    expect(page.locator("#goal-main .pill").first).to_have_text("Accomplished")
    context.close()


def test_the_key_result_page_shows_the_history_and_the_chart(live_server, page, cast, aligned):
    _, _, key_result = aligned
    services.record_check_in(actor=cast.member, key_result=key_result, value=20, status="on_track", comment="Pilot")
    sign_in(page, live_server, "member@acme.test")
    page.goto(f"{live_server.url}/acme/key-results/{key_result.pk}/")
    expect(page.get_by_role("cell", name="Pilot")).to_be_visible()
    expect(page.locator(".chart-svg")).to_be_visible()
    screenshot(page, "key-result")


def test_a_viewer_sees_everything_and_can_edit_nothing(live_server, page, cast, aligned):
    _, team, _ = aligned
    sign_in(page, live_server, "viewer@acme.test")
    page.goto(f"{live_server.url}/acme/objectives/{team.pk}/")
    expect(page.get_by_role("heading", name="Alerts reach the right person")).to_be_visible()
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    expect(page.get_by_text("Check in")).to_have_count(0)
    response = page.goto(f"{live_server.url}/acme/objectives/{team.pk}/edit/")
    assert response.status == 403


def test_another_organizations_member_gets_404_for_every_url(live_server, page, world):
    world = with_people_import(with_rollout(world))
    sign_in(page, live_server, "member@beta.test")
    values = world_values(world)
    urls = [build(name, route, "acme", values) for route, name in organization_patterns()]
    answers = {url: page.goto(f"{live_server.url}{url}").status for url in urls}
    assert set(answers.values()) == {404}, answers
    assert "Acme" not in page.content()


def test_a_check_in_with_the_keyboard_only(live_server, page, cast, aligned):
    _, team, key_result = aligned
    sign_in(page, live_server, "member@acme.test")
    page.wait_for_url(f"{live_server.url}/acme/")
    check_in = page.locator(f"#key-result-{key_result.pk} summary")
    for _ in range(40):  # Tab through the page until the check-in opener has the focus
        page.keyboard.press("Tab")
        if check_in.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the check-in cannot be reached with the Tab key")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("55")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # on track → needs attention
    page.keyboard.press("Tab")
    page.keyboard.type("Waiting for the new firmware")
    page.keyboard.press("Enter")
    expect(page.locator(f"#objective-card-{team.pk} .progress-value").first).to_have_text("55%")
    expect(page.locator(f"#key-result-{key_result.pk} .pill")).to_have_text("Needs attention")


def test_a_team_lead_creates_an_aligned_objective_with_a_key_result_of_each_type(live_server, page, cast, aligned):
    company, _, _ = aligned
    sign_in(page, live_server, "lead@acme.test")
    page.goto(f"{live_server.url}/acme/objectives/{company.pk}/")
    page.get_by_role("link", name="Align an objective to this").click()
    page.get_by_label("Title").fill("Every alert explains what to do next")
    page.get_by_label("Group", exact=True).check()
    page.get_by_label("Engineering").check()
    page.locator("#parent-q").fill("Fleet managers")  # the alignment search (htmx) narrows the choices
    expect(page.get_by_label("Aligned to").locator("option", has_text="Fleet managers trust our alerts")).to_have_count(
        1
    )
    page.get_by_label("Aligned to").select_option(value=str(company.pk))
    page.get_by_label("Active").check()
    screenshot(page, "objective-form")
    let_the_coach_answer(page)
    page.get_by_role("button", name="Create objective").click()
    expect(page.get_by_role("heading", name="Every alert explains what to do next")).to_be_visible()

    key_results = [
        ("Alerts with a suggested action", "Metric", {"Start value": "10", "Target value": "80", "Unit": "%"}),
        ("False alarms per week", "Threshold", {"Target value": "5"}),
        ("Alert texts reviewed by service technicians", "Milestone", {}),
        ("Technicians find the alerts helpful", "Estimate", {}),
    ]
    for title, kind, figures in key_results:
        page.get_by_role("link", name="Add key result").first.click()
        page.get_by_label("Title").fill(title)
        page.get_by_label(kind, exact=True).check()
        if kind == "Threshold":
            page.get_by_label("Stay at or below").check()
        for label, value in figures.items():
            page.get_by_label(re.compile(f"^{label}")).fill(value)
        let_the_coach_answer(page)
        if kind == "Metric":
            screenshot(page, "key-result-form")
        page.get_by_role("button", name="Add key result").click()
        expect(page.get_by_role("link", name=title)).to_be_visible()

    objective = Objective.objects.get(title="Every alert explains what to do next")
    assert objective.parent == company
    assert sorted(objective.key_results.values_list("kind", flat=True)) == [
        "estimate",
        "metric",
        "milestone",
        "threshold",
    ]
    page.goto(f"{live_server.url}/acme/objectives/{company.pk}/")
    expect(page.get_by_role("link", name="Every alert explains what to do next")).to_be_visible()


def test_a_bad_value_in_the_key_result_form_gets_a_message_next_to_the_field(live_server, page, cast, aligned):
    _, team, _ = aligned
    sign_in(page, live_server, "lead@acme.test")
    page.goto(f"{live_server.url}/acme/objectives/{team.pk}/key-results/new/")
    page.get_by_label("Title").fill("Alerts acknowledged")
    page.get_by_label("Metric", exact=True).check()
    page.get_by_label("Start value", exact=True).fill("50")
    page.get_by_label("Target value", exact=True).fill("50")
    let_the_coach_answer(page)
    page.get_by_role("button", name="Add key result").click()
    expect(page.locator(".field-error").first).to_be_visible()
    screenshot(page, "key-result-form-error")


def test_contributors_are_picked_by_typing_with_suggestions_and_removed_as_chips(live_server, page, cast, aligned):
    _, team, _ = aligned
    sign_in(page, live_server, "lead@acme.test")
    page.goto(f"{live_server.url}/acme/objectives/{team.pk}/edit/")
    add = page.get_by_label("Add people")
    add.focus()
    page.keyboard.type("Sam")  # htmx asks for suggestions and fills the datalist
    expect(page.locator("#id_contributors-options option")).to_have_attribute("value", "sales@acme.test")
    add.fill("sales@acme.test")  # what choosing the suggestion puts into the input
    screenshot(page, "person-picker")
    let_the_coach_answer(page)
    page.get_by_role("button", name="Save objective").click()
    expect(page.get_by_role("heading", name="Alerts reach the right person")).to_be_visible()
    assert list(team.contributors.all()) == [cast.sales]

    page.goto(f"{live_server.url}/acme/objectives/{team.pk}/edit/")
    page.get_by_role("button", name="Remove Sam Sales").click()
    let_the_coach_answer(page)
    page.get_by_role("button", name="Save objective").click()
    expect(page.get_by_role("heading", name="Alerts reach the right person")).to_be_visible()
    assert not team.contributors.exists()
