"""Signing in through an organization's SAML 2.0 identity provider: a real one (pysaml2, signing
with xmlsec1) answers Lodestar's real requests; every response is checked by Lodestar as it would
be from Entra ID, Okta or ADFS."""

import base64

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from lodestar.audit.models import AuditEvent
from lodestar.core.scoping import organization_scope
from lodestar.orgs.models import Membership, Role
from lodestar.sso import services
from tests.sso.conftest import start
from tests.sso.saml_idp import SamlIdentityProvider, SignedResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def idp(tmp_path):
    return SamlIdentityProvider(
        tmp_path, entity_id="https://idp.acme.test/saml", sign_in_url="https://idp.acme.test/saml/sign-in"
    )


def set_up_saml(client, actor, idp: SamlIdentityProvider, *, domain="acme.test", join_policy="domain"):
    """Acme's admin pastes the provider's metadata; the provider trusts Lodestar's metadata."""
    with organization_scope(actor.organization):
        provider = services.save_saml_provider(actor=actor, metadata=idp.metadata)
        if domain:
            services.verify_domain_as_operator(organization=actor.organization, domain=domain)
        services.save_policy(actor=actor, join_policy=join_policy, sso_required=False)
    response = client.get(f"/accounts/saml/{provider.provider_id}/metadata/")
    assert response.status_code == 200, response.content.decode()[:2000]
    idp.trust(response.content.decode())
    return provider


def post_response(client, signed):
    """The browser posts the response to Lodestar's ACS, which hands over to its finishing step."""
    response = client.post(signed.acs_url, signed.as_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def sign_in(client, idp, email, **answer):
    return post_response(client, idp.answer(start(client, email), email, **answer))


def _refusals(organization):
    return list(
        AuditEvent.objects.filter(organization=organization, action="signin.refused").values_list("details", flat=True)
    )


def test_a_person_of_a_verified_domain_joins_through_saml(client, cast, idp):
    provider = set_up_saml(client, cast.owner, idp)
    response = sign_in(client, idp, "ann@acme.test", name="Ann Acme")
    assert response.status_code == 302 and response["Location"] == "/acme/", response.content.decode()[:3000]
    user = get_user_model().objects.get(email="ann@acme.test")
    assert user.full_name == "Ann Acme" and not user.has_usable_password()
    assert Membership.objects.get(organization=cast.acme, user=user).role == Role.MEMBER
    assert SocialAccount.objects.filter(user=user, provider=provider.provider_id).exists()
    assert client.get("/acme/").status_code == 200
    assert AuditEvent.objects.filter(organization=cast.acme, action="signin.succeeded", details__method="saml").exists()


def test_an_existing_account_is_connected_and_signs_in_again_by_its_subject(client, cast, idp):
    provider = set_up_saml(client, cast.owner, idp)
    assert sign_in(client, idp, "member@acme.test")["Location"] == "/acme/"
    assert SocialAccount.objects.get(provider=provider.provider_id).user == cast.member.user
    client.logout()
    assert sign_in(client, idp, "member@acme.test")["Location"] == "/acme/"
    assert SocialAccount.objects.filter(provider=provider.provider_id).count() == 1


def assert_refused(client, response, organization, reason: str):
    assert response.status_code == 400, response.content.decode()[:2000]
    assert "Single sign-on did not complete" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(email="ann@acme.test").exists()
    assert reason in {details["reason"] for details in _refusals(organization)}


def test_a_response_signed_with_another_key_is_refused(client, cast, idp, tmp_path):
    set_up_saml(client, cast.owner, idp)
    impostor = SamlIdentityProvider(tmp_path, entity_id=idp.entity_id, sign_in_url=idp.sign_in_url, name="impostor")
    impostor.trust(client.get(f"/accounts/saml/lodestar-{cast.acme.pk}/metadata/").content.decode())
    response = post_response(client, impostor.answer(start(client, "ann@acme.test"), "ann@acme.test"))
    assert_refused(client, response, cast.acme, "invalid_response")
    assert "Signature validation failed" in _refusals(cast.acme)[0]["detail"]


def test_an_unsigned_assertion_is_refused(client, cast, idp):
    set_up_saml(client, cast.owner, idp)
    response = sign_in(client, idp, "ann@acme.test", sign_assertion=False)
    assert_refused(client, response, cast.acme, "invalid_response")


def test_an_assertion_signed_with_sha1_is_refused(client, cast, idp):
    set_up_saml(client, cast.owner, idp)
    response = sign_in(client, idp, "ann@acme.test", sha1=True)
    assert_refused(client, response, cast.acme, "invalid_response")
    assert "Deprecated signature algorithm" in _refusals(cast.acme)[0]["detail"]


def test_an_address_changed_after_signing_is_refused(client, cast, idp):
    set_up_saml(client, cast.owner, idp)
    signed = idp.answer(start(client, "ann@acme.test"), "ann@acme.test")
    forged = base64.b64decode(signed.saml_response).decode().replace("ann@acme.test", "owner@acme.test")
    signed.saml_response = base64.b64encode(forged.encode()).decode()
    response = post_response(client, signed)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert "invalid_response" in {details["reason"] for details in _refusals(cast.acme)}


def test_a_response_the_provider_sent_unasked_is_refused(client, cast, idp):
    set_up_saml(client, cast.owner, idp)
    response = sign_in(client, idp, "ann@acme.test", unsolicited=True)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(email="ann@acme.test").exists()


def test_a_replayed_response_signs_nobody_in(client, cast, idp):
    set_up_saml(client, cast.owner, idp)
    signed = idp.answer(start(client, "ann@acme.test"), "ann@acme.test")
    assert post_response(client, signed)["Location"] == "/acme/"
    client.logout()
    replayed = post_response(client, signed)
    assert replayed.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_response_for_one_organization_is_refused_at_another(client, cast, idp):
    """Beta's admin copies Acme's public metadata into Beta's settings and posts a response Acme's
    provider signed for one of Acme's people to Beta's address: the audience is Acme's."""
    set_up_saml(client, cast.owner, idp)
    with organization_scope(cast.beta):
        beta = services.save_saml_provider(actor=cast.beta_owner, metadata=idp.metadata)
    signed = idp.answer(start(client, "ann@acme.test"), "ann@acme.test")
    signed.acs_url = f"/accounts/saml/{beta.provider_id}/acs/"
    response = post_response(client, signed)
    assert response.status_code in (400, 403)
    assert "_auth_user_id" not in client.session
    assert not Membership.objects.filter(organization=cast.beta, user__email="ann@acme.test").exists()


def test_an_address_outside_the_verified_domains_is_refused(client, cast, idp):
    set_up_saml(client, cast.owner, idp, domain="")
    with organization_scope(cast.acme):
        services.verify_domain_as_operator(organization=cast.acme, domain="sales.acme.test")
    signed = idp.answer(start(client, "sam@sales.acme.test"), "eve@acme.test")
    response = post_response(client, signed)
    assert response.status_code == 403
    assert "is not an address of a domain" in response.content.decode()
    assert "domain_not_verified" in {details["reason"] for details in _refusals(cast.acme)}
    assert not get_user_model().objects.filter(email="eve@acme.test").exists()


def test_a_deactivated_member_is_refused(client, cast, idp):
    set_up_saml(client, cast.owner, idp)
    Membership.objects.filter(pk=cast.member.pk).update(is_active=False)
    response = sign_in(client, idp, "member@acme.test")
    assert response.status_code == 403
    assert "was deactivated" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_saml_addresses_of_organizations_without_saml_are_not_found(client, cast, idp):
    set_up_saml(client, cast.owner, idp)
    for path in ("/accounts/saml/lodestar-999999/metadata/", f"/accounts/saml/lodestar-{cast.beta.pk}/metadata/"):
        assert client.get(path).status_code == 404
    assert client.get("/accounts/saml/acme/acs/finish/").status_code == 404


def test_a_request_without_a_host_header_gets_an_answer_not_a_server_error(client, cast, idp):
    """HTTP/1.0 clients may leave out the Host header (Django's test client does too)."""
    provider = set_up_saml(client, cast.owner, idp)
    response = client.post(f"/accounts/saml/{provider.provider_id}/login/")
    assert response.status_code == 302 and response["Location"].startswith(idp.sign_in_url)
    assert (
        post_response(client, SignedResponse(f"/accounts/saml/{provider.provider_id}/acs/", "YWJj")).status_code == 400
    )


@pytest.mark.parametrize(
    "document",
    [
        "not xml",
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>',
        "<samlp:Response xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol'/>",
    ],
)
def test_a_response_that_is_no_saml_is_refused_not_a_server_error(client, cast, idp, document):
    provider = set_up_saml(client, cast.owner, idp)
    start(client, "ann@acme.test")
    encoded = base64.b64encode(document.encode()).decode()
    response = post_response(client, SignedResponse(f"/accounts/saml/{provider.provider_id}/acs/", encoded))
    assert response.status_code == 400
    assert "root:" not in response.content.decode()
    assert "invalid_response" in {details["reason"] for details in _refusals(cast.acme)}


@pytest.mark.parametrize("parameter", ["SAMLRequest", "SAMLResponse"])
@pytest.mark.parametrize("message", ["not base64 at all", base64.b64encode(b"not deflated xml").decode()])
def test_an_unreadable_logout_message_is_refused_not_a_server_error(client, cast, idp, parameter, message):
    provider = set_up_saml(client, cast.owner, idp)
    for send in (client.get, client.post):
        response = send(f"/accounts/saml/{provider.provider_id}/sls/", {parameter: message})
        assert response.status_code == 400
