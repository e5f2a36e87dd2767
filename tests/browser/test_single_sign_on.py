"""Single sign-on in a browser, from a fresh organization: its owner connects the OpenID provider
(run on 127.0.0.1 in the test) and verifies the company's domain by its DNS record; a colleague
who was never invited signs in through the provider and lands on My goals — in English and German.
Screenshots of the settings and sign-in pages go to test-artifacts/screenshots/."""

import re
import socket

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import get_resolver
from playwright.sync_api import expect

from lodestar.audit.models import AuditEvent
from lodestar.core.scoping import organization_scope
from lodestar.orgs.models import Membership
from lodestar.sso import services
from lodestar.sso.models import EmailDomain
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, make_organization
from tests.sso.conftest import CLIENT_SECRET, run_provider
from tests.sso.saml_idp import SamlIdentityProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MY_GOALS = {"en": "My goals", "de": "Meine Ziele"}


@pytest.fixture
def idp():
    server, thread = run_provider()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(2)


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_colleague_signs_in_through_the_provider_of_a_fresh_organization(
    live_server, browser, idp, monkeypatch, language
):
    organization, owner = make_organization("Nordwind", "nordwind", "owner@nordwind.test")
    organization.language = language
    organization.save()
    owner.user.language = language
    owner.user.save()
    assert get_resolver().url_patterns  # the live server's first request need not import every view
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=language)
    context.set_default_timeout(90_000)  # a busy machine: two cores shared with other test runs
    page = context.new_page()

    # The owner signs in with a password and connects the provider.
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill("owner@nordwind.test")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button.button-primary").click()
    page.wait_for_url(f"{live_server.url}/nordwind/")
    page.goto(f"{live_server.url}/nordwind/settings/sso/")
    redirect_url = page.locator("#redirect-url").input_value()
    assert redirect_url.endswith(f"/accounts/oidc/lodestar-{organization.pk}/login/callback/")
    page.locator("input[name=issuer]").fill(idp)
    page.locator("input[name=client_id]").fill("nordwind-lodestar")
    page.locator("input[name=client_secret]").fill(CLIENT_SECRET)
    page.locator("form[action$='/settings/sso/'] button.button-primary").click()
    page.wait_for_url(f"{live_server.url}/nordwind/settings/sso/")
    page.locator("input[name=domain]").fill("nordwind.test")
    page.locator("form[action$='/settings/sso/domains/'] button").click()
    page.wait_for_url(f"{live_server.url}/nordwind/settings/sso/")
    with organization_scope(organization):
        record = EmailDomain.objects.get(organization=organization).txt_record
    monkeypatch.setattr(services, "txt_records", lambda domain: [record] if domain == "nordwind.test" else [])
    page.locator("form[action$='/check/'] button").click()
    page.wait_for_url(f"{live_server.url}/nordwind/settings/sso/")
    expect(page.locator("td .badge-current")).to_be_visible()  # the domain is verified
    assert CLIENT_SECRET not in page.content()
    screenshot(page, f"sso-settings-{language}")
    page.locator("form[action$='/sso/policy/'] button").click()  # domain join, SSO not required: saved as shown
    page.wait_for_url(f"{live_server.url}/nordwind/settings/sso/")
    context.clear_cookies()

    # A colleague never invited: the sign-in page, single sign-on, the provider, My goals.
    assert (
        requests.put(
            f"{idp}/users/ida",
            json={"email": "ida@nordwind.test", "email_verified": True, "name": "Ida Nord"},
            timeout=5,
        ).status_code
        == 204
    )
    page.goto(f"{live_server.url}/accounts/login/")
    screenshot(page, f"sso-sign-in-{language}")
    page.locator("a[href='/accounts/sso/']").click()
    page.locator("input[name=email]").fill("ida@nordwind.test")
    screenshot(page, f"sso-start-{language}")
    page.locator("form[action='/accounts/sso/'] button").click()
    page.wait_for_url(re.compile(r"/oauth2/authorize"))
    assert page.url.startswith(idp)
    page.locator("#subject-input").fill("ida")
    page.locator("#subject-input").press("Enter")
    page.wait_for_url(f"{live_server.url}/nordwind/")
    expect(page.get_by_role("heading", name=MY_GOALS[language])).to_be_visible()
    user = get_user_model().objects.get(email="ida@nordwind.test")
    assert user.full_name == "Ida Nord"
    assert Membership.objects.get(organization=organization, user=user).role == "member"
    assert AuditEvent.objects.filter(organization=organization, action="signin.succeeded", actor=user).exists()
    context.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_colleague_signs_in_through_a_saml_provider(live_server, browser, tmp_path):
    """The owner pastes the provider's metadata; Ida signs in at the provider, whose page posts
    the signed answer back to Lodestar (a cross-site POST, as from Entra ID or Okta)."""
    organization, _ = make_organization("Nordwind", "nordwind", "owner@nordwind.test")
    saml_idp = SamlIdentityProvider(
        tmp_path, entity_id="https://idp.nordwind.test/saml", sign_in_url=f"http://127.0.0.1:{free_port()}/sso"
    )
    assert get_resolver().url_patterns
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en")
    context.set_default_timeout(90_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill("owner@nordwind.test")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/nordwind/")
    page.goto(f"{live_server.url}/nordwind/settings/sso/")
    page.get_by_role("link", name="SAML 2.0").click()
    metadata_url = page.locator("#saml-metadata-url").input_value()
    assert metadata_url == f"{live_server.url}/accounts/saml/lodestar-{organization.pk}/metadata/"
    page.locator("textarea[name=metadata]").fill(saml_idp.metadata)
    page.locator("form[action$='/settings/sso/saml/'] button.button-primary").click()
    page.wait_for_url(f"{live_server.url}/nordwind/settings/sso/")
    expect(page.get_by_text("https://idp.nordwind.test/saml")).to_be_visible()
    screenshot(page, "sso-settings-saml")
    with organization_scope(organization):
        services.verify_domain_as_operator(organization=organization, domain="nordwind.test")
    saml_idp.trust(requests.get(metadata_url, timeout=10).text)
    context.clear_cookies()

    running = saml_idp.serve("ida@nordwind.test")
    try:
        page.goto(f"{live_server.url}/accounts/sso/")
        page.locator("input[name=email]").fill("ida@nordwind.test")
        page.locator("form[action='/accounts/sso/'] button").click()
        page.wait_for_url(f"{live_server.url}/nordwind/")
    finally:
        running.stop()
    expect(page.get_by_role("heading", name="My goals")).to_be_visible()
    user = get_user_model().objects.get(email="ida@nordwind.test")
    assert Membership.objects.get(organization=organization, user=user).role == "member"
    assert AuditEvent.objects.filter(
        organization=organization, action="signin.succeeded", actor=user, details__method="saml"
    ).exists()
    context.close()
