"""Adding several people at once in a real browser: typed names and pasted lists become chips that
can be removed, whole groups join with them, and the message names who was added and who already
was there. Each changed form is photographed with several chips picked."""

import datetime

import pytest
from playwright.sync_api import expect

from lodestar.okrs.models import Objective
from lodestar.orgs import services as orgs
from lodestar.rollout import services as rollout
from tests import factories
from tests.browser.conftest import let_the_coach_answer, screenshot, sign_in
from tests.conftest import add_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def colleagues(cast):
    """Three more people in Engineering's sub-group Platform."""
    platform = orgs.create_group(actor=cast.owner, name="Platform", parent=cast.engineering)
    people = [
        add_person(cast.owner, "pia@acme.test", "Pia Platform", job_title="SRE"),
        add_person(cast.owner, "olaf@acme.test", "Olaf Ops"),
        add_person(cast.owner, "nina@acme.test", "Nina Network"),
    ]
    orgs.add_group_members(actor=cast.owner, group=platform, people=people)
    return platform, people


def pick(page, field, *entries):
    """Type each entry into the picker's input and press Enter: each becomes a chip."""
    search = page.locator(f"#id_{field}_search")
    for entry in entries:
        search.fill(entry)
        search.press("Enter")


def whole_group(page, field, name):
    page.locator(f"#id_{field}_groups").fill(name)


def paste(page, field, text):
    page.locator(f"#id_{field}_search").focus()
    page.evaluate(
        """([selector, text]) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            document.querySelector(selector).dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        [f"#id_{field}_search", text],
    )


def test_an_admin_adds_typed_pasted_and_whole_group_people_to_a_group(live_server, page, cast, colleagues):
    sales = cast.sales_group
    sign_in(page, live_server, "admin@acme.test")
    page.goto(f"{live_server.url}/acme/groups/{sales.pk}/members/")
    search = page.get_by_role("combobox", name="Add people")
    search.focus()
    page.keyboard.type("Max")  # htmx fills the suggestions
    expect(page.locator("#id_people-options option")).to_have_attribute("value", "member@acme.test")
    search.fill("")
    pick(page, "people", "member@acme.test", "sales@acme.test")
    paste(page, "people", "Pia Platform <pia@acme.test>\nolaf@acme.test, ghost@acme.test")
    chips = page.locator(".people-picker-chosen .chip")
    expect(chips).to_have_count(5)
    page.get_by_role("button", name="Remove ghost@acme.test").click()
    expect(chips).to_have_count(4)
    whole_group(page, "people", "engineering")
    screenshot(page, "group-members-several-chips")

    page.get_by_role("button", name="Add to group").click()
    expect(page.get_by_text("Added 4 people to Sales: Lea Lead, Max Member, Olaf Ops, Pia Platform.")).to_be_visible()
    expect(page.get_by_text("Already in it: Sam Sales.")).to_be_visible()
    screenshot(page, "group-members-added")


def test_an_unknown_entry_comes_back_in_the_input_and_nothing_is_added(live_server, page, cast):
    sign_in(page, live_server, "admin@acme.test")
    page.goto(f"{live_server.url}/acme/groups/{cast.sales_group.pk}/members/")
    pick(page, "people", "member@acme.test", "nobody@acme.test")
    page.get_by_role("button", name="Add to group").click()
    expect(page.get_by_text("No active person with the e-mail address “nobody@acme.test”")).to_be_visible()
    expect(page.locator("#id_people_search")).to_have_value("nobody@acme.test")
    expect(page.get_by_role("button", name="Remove Max Member")).to_be_visible()
    screenshot(page, "group-members-unknown-entry")


def test_an_ambassador_adds_people_to_a_rollout_group_and_reviewers_to_a_round(live_server, page, cast, colleagues):
    group = rollout.create_rollout_group(actor=cast.owner, name="First rollout group", members=[cast.member])
    draft = factories.objective(cast.owner, timeframe=cast.quarter, title="Open a second office", state="draft")
    opened = rollout.open_round(
        actor=cast.owner,
        title="Challenge the drafts",
        deadline=cast.today + datetime.timedelta(days=7),
        objectives=[draft],
        reviewers=[cast.member],
    )
    sign_in(page, live_server, "admin@acme.test")

    page.goto(f"{live_server.url}/acme/rollout/groups/{group.pk}/")
    pick(page, "people", "sales@acme.test", "lead@acme.test", "member@acme.test")
    whole_group(page, "people", "platform")
    screenshot(page, "rollout-group-several-chips")
    page.get_by_role("button", name="Add to group").click()
    expect(
        page.get_by_text(
            "Added 5 people to First rollout group: Lea Lead, Nina Network, Olaf Ops, Pia Platform, Sam Sales."
        )
    ).to_be_visible()
    expect(page.get_by_text("Already in it: Max Member.")).to_be_visible()

    page.goto(f"{live_server.url}/acme/rollout/rounds/{opened.pk}/")
    pick(page, "reviewers", "Sam Sales", "lead@acme.test", "member@acme.test")
    screenshot(page, "round-reviewers-several-chips")
    page.get_by_role("button", name="Add reviewers").click()
    expect(page.get_by_text("Added 2 reviewers: Lea Lead, Sam Sales. Already reviewing: Max Member.")).to_be_visible()

    page.goto(f"{live_server.url}/acme/rollout/rounds/new/")
    pick(page, "reviewers", "sales@acme.test", "lead@acme.test", "pia@acme.test")
    whole_group(page, "reviewers", "engineering")
    page.locator("#id_reviewers_subgroups").check()
    screenshot(page, "round-create-several-chips")


def test_contributors_of_an_objective_and_a_key_result_from_people_and_a_whole_group(
    live_server, page, cast, colleagues
):
    team = factories.objective(
        cast.lead,
        timeframe=cast.quarter,
        title="Alerts reach the right person",
        level=Objective.Level.GROUP,
        groups=[cast.engineering],
        lead=cast.lead,
        contributors=[cast.member],
    )
    key_result = factories.metric(cast.lead, team, owner=cast.member, title="Alerts acknowledged within a day")
    sign_in(page, live_server, "lead@acme.test")

    page.goto(f"{live_server.url}/acme/objectives/{team.pk}/edit/")
    pick(page, "contributors", "sales@acme.test", "olaf@acme.test")
    whole_group(page, "contributors", "platform")
    screenshot(page, "objective-contributors-several-chips")
    let_the_coach_answer(page)
    page.get_by_role("button", name="Save objective").click()
    expect(
        page.get_by_text("Added 4 contributors: Nina Network, Olaf Ops, Pia Platform, Sam Sales.", exact=False)
    ).to_be_visible()
    assert {person.user.email for person in team.contributors.all()} == {
        "member@acme.test",
        "sales@acme.test",
        "olaf@acme.test",
        "pia@acme.test",
        "nina@acme.test",
    }

    page.goto(f"{live_server.url}/acme/key-results/{key_result.pk}/edit/")
    pick(page, "contributors", "Sam Sales", "lead@acme.test")
    whole_group(page, "contributors", "engineering")
    page.locator("#id_contributors_subgroups").check()
    screenshot(page, "key-result-contributors-several-chips")


def test_without_javascript_the_box_takes_a_list_and_ticked_boxes_stay(live_server, browser, cast, colleagues):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, "admin@acme.test")
        page.goto(f"{live_server.url}/acme/groups/{cast.sales_group.pk}/members/")
        page.get_by_role("textbox", name="Add people").fill("member@acme.test, ghost@acme.test\nOlaf Ops")
        page.get_by_role("button", name="Add to group").click()
        expect(page.get_by_text("No active person with the e-mail address “ghost@acme.test”")).to_be_visible()
        expect(page.get_by_label("Max Member")).to_be_checked()
        expect(page.get_by_role("textbox", name="Add people")).to_have_value("ghost@acme.test")
        page.get_by_role("textbox", name="Add people").fill("pia@acme.test")
        screenshot(page, "group-members-without-javascript")
        page.get_by_role("button", name="Add to group").click()
        expect(page.get_by_text("Added 3 people to Sales: Max Member, Olaf Ops, Pia Platform.")).to_be_visible()
    finally:
        context.close()
