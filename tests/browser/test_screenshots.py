"""Every main page of the demo organization, drawn at desktop and phone width: the screenshots
go to test-artifacts/screenshots/ (to look at), and no page may scroll sideways on a phone."""

import pytest

from lodestar.core.scoping import organization_scope
from lodestar.demo import content
from lodestar.demo.builder import DemoBuilder
from lodestar.demo.pages import admin_pages, member_pages
from lodestar.orgs.models import Membership
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(cast):
    organization = DemoBuilder(seed=2019).build()
    with organization_scope(organization):
        pages = {**member_pages(organization), **admin_pages(organization)}
        del (
            pages["alignment search"],
            pages["people search"],
            pages["group search"],
            pages["mention search"],
        )  # htmx fragments (<option>s for pickers) and the mention picker's JSON, not pages
        ambassador = Membership.objects.select_related("user").get(user__email=content.DEMO_LOGIN)
    assert ambassador.is_admin
    slug = organization.slug
    pages.update({"search": f"/{slug}/search/?q=data", "people-search": f"/{slug}/people/?q=sch"})
    return ambassador, pages


def signed_in_context(browser, live_server, client, membership, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    client.force_login(membership.user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context


@pytest.mark.parametrize("width", [1280, 375])
def test_every_main_page_renders_and_fits_a_phone(live_server, browser, client, demo, width):
    ambassador, pages = demo
    context = signed_in_context(browser, live_server, client, ambassador, width)
    page = context.new_page()
    too_wide = {}
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (name, response.status)
        screenshot(page, f"{name.replace(' ', '-').replace('(', '').replace(')', '')}-{width}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[name] = scroll_width
    context.close()
    assert too_wide == {}, f"pages that scroll sideways at {width} px: {too_wide}"
