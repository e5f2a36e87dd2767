"""The admins' single sign-on page: connecting a provider, the secret, domains and the join rules."""

import logging

import pytest
from django.core.management import CommandError, call_command

from lodestar.audit.models import AuditEvent
from lodestar.sso import services
from lodestar.sso.models import EmailDomain, IdentityProvider
from tests.sso.conftest import CLIENT_ID, CLIENT_SECRET, set_up_sso, sign_in

pytestmark = pytest.mark.django_db

URL = "/acme/settings/sso/"


def _connect(client, issuer, **extra):
    data = {"issuer": issuer, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "display_name": "", **extra}
    return client.post(URL, data)


def test_an_admin_connects_a_provider_and_never_sees_the_secret_again(client, cast, provider, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(cast.admin.user)
    page = client.get(URL)
    assert page.status_code == 200
    assert f"http://testserver/accounts/oidc/lodestar-{cast.acme.pk}/login/callback/" in page.content.decode()
    response = _connect(client, provider.issuer + "/")
    assert response.status_code == 302
    found = IdentityProvider.objects.get(organization=cast.acme)
    assert found.issuer == provider.issuer  # as the provider names itself
    page = client.get(URL).content.decode()
    assert "Replace client secret" in page and CLIENT_SECRET not in page
    # Saving without a secret keeps it; a new one replaces it (logged as "replaced", never the value).
    assert _connect(client, provider.issuer, client_secret="", display_name="Acme login").status_code == 302
    assert (
        _connect(client, provider.issuer, client_secret="next-secret-Pq77", display_name="Acme login").status_code
        == 302
    )
    events = list(AuditEvent.objects.filter(organization=cast.acme, action__startswith="sso.").order_by("pk"))
    assert [event.action for event in events] == ["sso.configured", "sso.changed", "sso.changed"]
    assert events[2].details == {"client_secret": "replaced"}
    for secret in (CLIENT_SECRET, "next-secret-Pq77"):
        assert secret not in str([event.details for event in events])
        assert secret not in caplog.text
        assert secret not in IdentityProvider.objects.get(organization=cast.acme).client_secret_encrypted


def test_the_secret_appears_in_no_page_or_log_of_a_whole_sign_in(client, cast, provider, caplog):
    caplog.set_level(logging.DEBUG)
    set_up_sso(cast.owner, provider.issuer)
    sub = provider.person("ann-9", email="ann@acme.test", email_verified=True)
    response = sign_in(client, provider, sub, "ann@acme.test")
    assert response.status_code == 302
    client.force_login(cast.owner.user)
    for url in (URL, "/acme/", "/accounts/sso/"):
        assert CLIENT_SECRET not in client.get(url).content.decode()
    assert CLIENT_SECRET not in caplog.text


def test_an_issuer_that_is_no_openid_provider_is_refused(client, cast, provider, receiver):
    client.force_login(cast.admin.user)
    response = _connect(client, receiver.url("/issuer"))
    assert response.status_code == 422
    assert not IdentityProvider.objects.exists()
    response = _connect(client, "https://10.0.0.7/realms/acme")
    assert response.status_code == 422 and "internal address" in response.content.decode()
    response = _connect(client, "https://idp.invalid")
    assert response.status_code == 422
    response = _connect(client, provider.issuer, client_secret="")
    assert response.status_code == 422 and "client secret" in response.content.decode()


def test_members_are_refused_and_another_organizations_admin_sees_nothing(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer)
    domain = EmailDomain.objects.get(organization=cast.acme)
    client.force_login(cast.member.user)
    assert client.get(URL).status_code == 403
    assert client.post("/acme/settings/sso/remove/").status_code == 403
    client.force_login(cast.beta_owner.user)
    for url in (URL, "/acme/settings/sso/policy/", "/acme/settings/sso/remove/"):
        assert client.get(url).status_code == 404
        assert client.post(url, {"join_policy": "domain"}).status_code == 404
    for action in ("check", "remove"):
        assert client.post(f"/beta/settings/sso/domains/{domain.pk}/{action}/").status_code == 404
    assert IdentityProvider.objects.filter(organization=cast.acme).exists()
    assert EmailDomain.objects.filter(pk=domain.pk).exists()
    assert provider.issuer not in client.get("/beta/settings/sso/").content.decode()


def test_a_domain_is_verified_by_its_dns_record(client, cast, monkeypatch):
    client.force_login(cast.admin.user)
    assert client.post("/acme/settings/sso/domains/", {"domain": "Acme.TEST."}).status_code == 302
    domain = EmailDomain.objects.get(organization=cast.acme)
    assert domain.domain == "acme.test" and not domain.is_verified
    assert domain.txt_record in client.get(URL).content.decode()
    monkeypatch.setattr(services, "txt_records", lambda name: ["v=spf1 -all"])
    client.post(f"/acme/settings/sso/domains/{domain.pk}/check/")
    domain.refresh_from_db()
    assert not domain.is_verified
    monkeypatch.setattr(
        services, "txt_records", lambda name: ["v=spf1 -all", domain.txt_record] if name == "acme.test" else []
    )
    client.post(f"/acme/settings/sso/domains/{domain.pk}/check/")
    domain.refresh_from_db()
    assert domain.is_verified and domain.verified_by == "dns"


def test_a_domain_verified_by_one_organization_cannot_be_verified_by_another(client, cast, monkeypatch):
    call_command("verify_domain", "--organization", "acme", "acme.test")
    client.force_login(cast.beta_owner.user)
    response = client.post("/beta/settings/sso/domains/", {"domain": "acme.test"})
    assert response.status_code == 422 and "verified by another organization" in response.content.decode()
    with pytest.raises(CommandError):
        call_command("verify_domain", "--organization", "beta", "acme.test")
    assert not EmailDomain.objects.filter(organization=cast.beta_owner.organization).exists()


def test_bad_domains_are_refused(client, cast):
    client.force_login(cast.admin.user)
    for bad in ("localhost", "-x.com", "a..b", "x" * 300, "exa mple.com", "1.2.3.4"):
        response = client.post("/acme/settings/sso/domains/", {"domain": bad})
        assert response.status_code == 422, bad
    assert not EmailDomain.objects.exists()


def test_sso_required_needs_a_verified_domain(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer, domain="")
    client.force_login(cast.admin.user)
    response = client.post("/acme/settings/sso/policy/", {"join_policy": "invited", "sso_required": "on"})
    assert response.status_code == 422
    assert not IdentityProvider.objects.get(organization=cast.acme).sso_required


def test_removing_sso_forgets_the_provider_and_its_links(client, cast, provider):
    from allauth.socialaccount.models import SocialAccount

    set_up_sso(cast.owner, provider.issuer)
    sub = provider.person("max-5", email="member@acme.test", email_verified=True)
    sign_in(client, provider, sub, "member@acme.test")
    assert SocialAccount.objects.exists()
    client.force_login(cast.admin.user)
    assert client.post("/acme/settings/sso/remove/").status_code == 302
    assert not IdentityProvider.objects.exists() and not SocialAccount.objects.exists()
    assert AuditEvent.objects.filter(organization=cast.acme, action="sso.removed").exists()
    client.logout()
    response = client.post("/accounts/sso/", {"email": "member@acme.test"})
    assert response.status_code == 422
