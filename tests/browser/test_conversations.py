"""Conversations in a real browser: a member mentions a colleague with the picker, the comment
appears in place, a reaction counts; the colleague's bell shows the notification, which leads to
the comment and is read from then on."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mention_in_a_comment_reaches_the_colleague_through_the_bell(live_server, browser, cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Alerts reach the right person")
    member = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    sign_in(member, live_server, "member@acme.test")
    member.goto(f"{live_server.url}/acme/objectives/{objective.pk}/")
    member.evaluate("window.stillTheSamePage = true")

    box = member.get_by_label("Write a comment")
    box.click()
    box.press_sequentially("Can you look at the escalation rules, @Lea")
    option = member.get_by_role("option", name=re.compile("Lea Lead"))
    expect(option).to_be_visible()
    box.press("Enter")
    expect(box).to_have_value("Can you look at the escalation rules, @[Lea Lead] ")
    box.press_sequentially("before Friday?")
    member.get_by_role("button", name="Comment", exact=True).click()

    thread = member.locator(".thread")
    expect(thread.locator(".comment")).to_have_count(1)
    expect(thread.get_by_role("link", name="@Lea Lead")).to_have_attribute("href", f"/acme/people/{cast.lead.pk}/")
    expect(box).to_have_value("")
    thread.locator(".reaction-picker summary").click()
    thread.get_by_role("button", name="🎉").click()
    expect(thread.locator(".reaction-mine")).to_have_text(re.compile(r"🎉\s*1"))
    assert member.evaluate("window.stillTheSamePage") is True  # posted and reacted in place (htmx)
    screenshot(member, "comment-thread")

    lead = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    sign_in(lead, live_server, "lead@acme.test")
    bell = lead.locator("#bell")
    expect(bell.locator(".bell-count")).to_have_text(re.compile(r"^1"))
    bell.click()
    mention = lead.get_by_role("link", name="Max Member mentioned you on “Alerts reach the right person”")
    expect(mention).to_be_visible()
    expect(lead.get_by_text("before Friday?")).to_be_visible()
    screenshot(lead, "notifications")
    mention.click()
    expect(lead).to_have_url(re.compile(rf"/acme/objectives/{objective.pk}/#comment-\d+$"))
    expect(lead.locator(".thread .comment")).to_contain_text("Can you look at the escalation rules")
    expect(lead.locator("#bell .bell-count")).to_have_count(0)
