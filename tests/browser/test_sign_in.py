"""A person signs in and sees their goals; keyboard-only use works."""

import pytest

from lodestar.okrs import services
from tests import factories
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def goals(cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Fleet managers trust our alerts")
    alerts = factories.metric(cast.owner, objective, owner=cast.member, title="Alerts acknowledged within a day")
    factories.key_result(cast.owner, objective, "milestone", owner=cast.member, title="Alert rules reviewed with OEMs")
    services.record_check_in(actor=cast.member, key_result=alerts, value=35, status="needs_attention")
    return objective


def test_sign_in_and_see_my_goals(live_server, page, cast, goals):
    page.goto(f"{live_server.url}/acme/")
    assert "/accounts/login/" in page.url
    screenshot(page, "login")
    page.get_by_label("E-mail address").fill("member@acme.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/acme/")
    assert page.get_by_role("heading", name="My goals").is_visible()
    assert page.get_by_text("Fleet managers trust our alerts").is_visible()
    assert page.get_by_text("Needs your check-in this week").is_visible()
    screenshot(page, "home")


def test_sign_in_with_the_keyboard_only(live_server, page, cast, goals):
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.name") == "login"  # the e-mail field has focus on arrival
    page.keyboard.type("member@acme.test")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/acme/")
    assert page.get_by_role("heading", name="My goals").is_visible()


def test_home_is_usable_on_a_phone(live_server, browser, cast, goals, client):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    client.force_login(cast.member.user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/acme/")
    assert page.get_by_text("Alerts acknowledged within a day").is_visible()
    screenshot(page, "home-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways ({width} px)"
    context.close()
