"""Provisioning from an identity provider, seen in a real browser: SCIM creates a person, the
admin finds them on the people page as an active member; SCIM deactivates them, and the people page
no longer lists them while their page says Deactivated. Also the admin makes a token on the
provisioning page (shown once) and revokes it."""

import httpx2
import pytest
from playwright.sync_api import expect

from lodestar.scim import services
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def identity_provider(live_server, cast):
    _token, text = services.create_token(actor=cast.owner, organization=cast.acme, name="Entra ID")
    return httpx2.Client(
        base_url=f"{live_server.url}/scim/v2",
        headers={"Authorization": f"Bearer {text}", "Content-Type": "application/scim+json"},
        timeout=120,
    )


def test_scim_creates_a_person_the_people_page_shows_then_deactivates_them(live_server, page, cast):
    idp = identity_provider(live_server, cast)
    created = idp.post(
        "/Users",
        json={
            "schemas": [USER],
            "userName": "nora.neumann@acme.test",
            "name": {"givenName": "Nora", "familyName": "Neumann"},
            "emails": [{"value": "nora.neumann@acme.test", "type": "work", "primary": True}],
            "title": "Platform engineer",
            "active": True,
        },
    )
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]

    sign_in(page, live_server, "admin@acme.test")
    page.goto(f"{live_server.url}/acme/people/")
    row = page.get_by_role("row", name="Nora Neumann")
    expect(row).to_be_visible()
    expect(row).to_contain_text("Platform engineer")
    page.get_by_role("link", name="Nora Neumann").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nora Neumann")
    expect(page.get_by_text("Deactivated")).to_have_count(0)

    deactivated = idp.patch(
        f"/Users/{user_id}",
        json={"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]},
    )
    assert deactivated.status_code in (200, 204), deactivated.text

    page.goto(f"{live_server.url}/acme/people/")
    expect(page.get_by_role("link", name="Max Member")).to_be_visible()
    expect(page.get_by_role("link", name="Nora Neumann")).to_have_count(0)
    page.goto(f"{live_server.url}/acme/people/{user_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nora Neumann Deactivated")
    screenshot(page, "scim-deactivated-person")


def test_an_admin_makes_a_token_shown_once_and_revokes_it(live_server, page, cast):
    sign_in(page, live_server, "admin@acme.test")
    page.goto(f"{live_server.url}/acme/settings/scim/")
    expect(page.get_by_text(f"{live_server.url}/scim/v2/")).to_be_visible()
    page.get_by_label("Name").fill("Microsoft Entra ID")
    page.get_by_role("button", name="Make token").click()
    token = page.locator("#new-token").input_value()
    assert token.startswith("lsc_")
    screenshot(page, "scim-settings-new-token")
    answer = httpx2.get(f"{live_server.url}/scim/v2/Users", headers={"Authorization": f"Bearer {token}"}, timeout=120)
    assert answer.status_code == 200
    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)  # shown once
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("is revoked")).to_be_visible()
    answer = httpx2.get(f"{live_server.url}/scim/v2/Users", headers={"Authorization": f"Bearer {token}"}, timeout=120)
    assert answer.status_code == 401
