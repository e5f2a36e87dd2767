"""The admins' single sign-on page with SAML 2.0: Lodestar's addresses to register, the provider's
metadata pasted in, and metadata that must not be taken."""

import pytest
from allauth.socialaccount.models import SocialAccount

from lodestar.audit.models import AuditEvent
from lodestar.sso import saml
from lodestar.sso.models import IdentityProvider
from tests.sso.conftest import set_up_sso, sign_in
from tests.sso.world import saml_metadata

pytestmark = pytest.mark.django_db

URL = "/acme/settings/sso/"
SAML_URL = "/acme/settings/sso/saml/"


def test_an_admin_connects_a_saml_provider_from_its_metadata(client, cast):
    client.force_login(cast.admin.user)
    page = client.get(URL + "?protocol=saml").content.decode()
    provider_id = f"lodestar-{cast.acme.pk}"
    assert f"http://testserver/accounts/saml/{provider_id}/acs/" in page
    assert f"http://testserver/accounts/saml/{provider_id}/metadata/" in page

    metadata = saml_metadata(entity_id="https://sts.windows.net/acme/", sign_in_url="https://login.acme.test/saml2")
    response = client.post(SAML_URL, {"metadata": metadata, "display_name": "Acme Entra"})
    assert response.status_code == 302
    found = IdentityProvider.objects.get(organization=cast.acme)
    assert (found.protocol, found.issuer, found.saml_sign_in_url) == (
        "saml",
        "https://sts.windows.net/acme/",
        "https://login.acme.test/saml2",
    )
    page = client.get(URL).content.decode()
    assert saml.fingerprint(found.saml_certificate) in page
    assert 'SAML 2.0 <span class="badge badge-current">connected</span>' in page
    event = AuditEvent.objects.get(organization=cast.acme, action="sso.configured")
    assert event.details == {"protocol": "saml", "issuer": "https://sts.windows.net/acme/"}
    # Lodestar's own metadata names this organization's reply URL.
    metadata_page = client.get(f"/accounts/saml/{provider_id}/metadata/")
    assert f"/accounts/saml/{provider_id}/acs/" in metadata_page.content.decode()


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ("not xml at all", "This is not SAML metadata"),
        ("<EntityDescriptor/>", "describes no identity provider"),
        (saml_metadata(sign_in_url="http://idp.acme.test/sso"), "must start with https://"),
        (saml_metadata().replace("X509Certificate>MII", "X509Certificate>!!MII"), "cannot be read"),
        (
            '<?xml version="1.0"?><!DOCTYPE md [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&xxe;"/>',
            "This is not SAML metadata",
        ),
    ],
)
def test_metadata_that_cannot_be_trusted_gets_a_message_and_nothing_is_saved(client, cast, metadata, message):
    client.force_login(cast.admin.user)
    response = client.post(SAML_URL, {"metadata": metadata, "display_name": ""})
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert "root:" not in page  # no file was read into the page
    assert not IdentityProvider.objects.exists()


def test_metadata_without_a_certificate_is_refused(client, cast):
    client.force_login(cast.admin.user)
    metadata = saml_metadata()
    start, end = metadata.index("<md:KeyDescriptor"), metadata.index("</md:KeyDescriptor>") + len("</md:KeyDescriptor>")
    response = client.post(SAML_URL, {"metadata": metadata[:start] + metadata[end:]})
    assert response.status_code == 422
    assert "holds no signing certificate" in response.content.decode()


def test_switching_from_openid_connect_to_saml_forgets_the_old_links_and_secret(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer)
    sub = provider.person("max-7", email="member@acme.test", email_verified=True)
    sign_in(client, provider, sub, "member@acme.test")
    assert SocialAccount.objects.exists()
    client.force_login(cast.admin.user)
    assert "Connecting this protocol replaces it" in client.get(URL + "?protocol=saml").content.decode()
    assert client.post(SAML_URL, {"metadata": saml_metadata()}).status_code == 302
    found = IdentityProvider.objects.get(organization=cast.acme)
    assert found.protocol == "saml" and found.client_secret_encrypted == "" and found.client_id == ""
    assert not SocialAccount.objects.exists()
    changed = AuditEvent.objects.filter(organization=cast.acme, action="sso.changed").latest("pk").details
    assert changed["protocol"] == ["oidc", "saml"] and changed["client_secret"] == "removed"


def test_members_cannot_connect_a_provider(client, cast):
    client.force_login(cast.member.user)
    response = client.post(SAML_URL, {"metadata": saml_metadata()})
    assert response.status_code == 403
    assert not IdentityProvider.objects.exists()


def test_the_button_label_changes_without_pasting_the_metadata_again(client, cast):
    client.force_login(cast.admin.user)
    assert client.post(SAML_URL, {"metadata": saml_metadata(), "display_name": ""}).status_code == 302
    certificate = IdentityProvider.objects.get(organization=cast.acme).saml_certificate
    assert "Leave this empty to keep the metadata" in client.get(URL).content.decode()
    assert client.post(SAML_URL, {"metadata": "", "display_name": "Acme Okta"}).status_code == 302
    found = IdentityProvider.objects.get(organization=cast.acme)
    assert (found.display_name, found.saml_certificate) == ("Acme Okta", certificate)
    latest = AuditEvent.objects.filter(organization=cast.acme, action="sso.changed").latest("pk")
    assert latest.details == {"display_name": ["", "Acme Okta"]}


def test_the_saml_setup_reads_in_german(client, cast):
    cast.admin.user.language = "de"
    cast.admin.user.save()
    client.force_login(cast.admin.user)
    page = client.get(URL + "?protocol=saml").content.decode()
    assert "Antwort-URL (Assertion Consumer Service)" in page and "Metadaten des Identitätsanbieters" in page
    response = client.post(SAML_URL, {"metadata": "kein XML"})
    assert "Das sind keine SAML-Metadaten" in response.content.decode()
