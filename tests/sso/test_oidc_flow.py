"""Signing in through an organization's OpenID provider, run for real on 127.0.0.1."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth import get_user_model

from lodestar.audit.models import AuditEvent
from lodestar.onboarding import services as onboarding
from lodestar.orgs.models import Membership, Role
from tests.sso.conftest import CLIENT_SECRET, set_up_sso, sign_in, start

pytestmark = pytest.mark.django_db


def _refusals(organization):
    return list(
        AuditEvent.objects.filter(organization=organization, action="signin.refused").values_list("details", flat=True)
    )


def test_a_person_of_a_verified_domain_joins_just_in_time(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer)
    sub = provider.person("ann-1", email="ann@acme.test", email_verified=True, name="Ann Acme")
    response = sign_in(client, provider, sub, "ann@acme.test")
    assert response.status_code == 302 and response["Location"] == "/acme/"
    user = get_user_model().objects.get(email="ann@acme.test")
    assert user.full_name == "Ann Acme" and not user.has_usable_password()
    membership = Membership.objects.get(organization=cast.acme, user=user)
    assert membership.role == Role.MEMBER and membership.is_active
    assert EmailAddress.objects.filter(user=user, email="ann@acme.test", verified=True).exists()
    assert SocialAccount.objects.filter(user=user, provider=f"lodestar-{cast.acme.pk}", uid="ann-1").exists()
    assert client.get("/acme/").status_code == 200
    assert not SocialApp.objects.exists()  # the client secret is nowhere in allauth's table
    assert AuditEvent.objects.filter(organization=cast.acme, action="signin.succeeded", details__method="oidc").exists()
    # The second time the link by subject signs the same person in.
    client.logout()
    assert sign_in(client, provider, sub, "ann@acme.test")["Location"] == "/acme/"
    assert get_user_model().objects.filter(email="ann@acme.test").count() == 1


def test_an_existing_account_with_the_confirmed_address_is_connected(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer)
    sub = provider.person("max-1", email="member@acme.test", email_verified=True)
    response = sign_in(client, provider, sub, "member@acme.test")
    assert response["Location"] == "/acme/"
    assert SocialAccount.objects.get(uid="max-1").user == cast.member.user


def test_invited_only_refuses_a_stranger_and_lets_the_invited_in(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer, join_policy="invited")
    stranger = provider.person("eve-1", email="eve@acme.test", email_verified=True)
    response = sign_in(client, provider, stranger, "eve@acme.test")
    assert response.status_code == 403
    assert "lets in only people it invited" in response.content.decode()
    assert not get_user_model().objects.filter(email="eve@acme.test").exists()
    assert {"method": "oidc", "reason": "not_invited", "email": "eve@acme.test"} in _refusals(cast.acme)

    invitation = onboarding.invite(actor=cast.owner, email="ivy@acme.test", full_name="Ivy Invited", role=Role.VIEWER)
    invited = provider.person("ivy-1", email="ivy@acme.test", email_verified=True)
    response = sign_in(client, provider, invited, "ivy@acme.test")
    assert response["Location"] == "/acme/"
    invitation.refresh_from_db()
    assert invitation.state == "accepted"
    assert Membership.objects.get(organization=cast.acme, user__email="ivy@acme.test").role == Role.VIEWER


def test_an_unverified_email_claim_is_refused(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer)
    sub = provider.person("max-2", email="member@acme.test", email_verified=False)
    response = sign_in(client, provider, sub, "member@acme.test")
    assert response.status_code == 403
    assert "does not confirm" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session
    assert _refusals(cast.acme)[0]["reason"] == "email_unverified"


def test_a_missing_email_verified_claim_is_refused(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer)
    sub = provider.person("max-3", email="member@acme.test")
    assert sign_in(client, provider, sub, "member@acme.test").status_code == 403
    assert not SocialAccount.objects.exists()


def test_an_address_outside_the_verified_domains_is_refused(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer)
    # The provider (rightly) says the address is verified, but Acme never proved beta.test.
    sub = provider.person("bea-1", email="member@beta.test", email_verified=True)
    callback = provider.authorize(start(client, "someone@acme.test"), sub)
    response = client.get(callback)
    assert response.status_code == 403
    assert not SocialAccount.objects.exists()
    assert not Membership.objects.filter(organization=cast.acme, user=cast.beta_member.user).exists()
    assert _refusals(cast.acme)[0]["reason"] == "domain_not_verified"


def test_an_account_whose_address_nobody_confirmed_is_not_linked(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer)
    squatter = get_user_model().objects.create_user(
        email="cto@acme.test", password="squatter-password-1", full_name="X"
    )
    squatter.last_login = squatter.date_joined
    squatter.save()
    sub = provider.person("cto-1", email="cto@acme.test", email_verified=True)
    response = sign_in(client, provider, sub, "cto@acme.test")
    assert response.status_code == 403
    assert not SocialAccount.objects.exists()
    assert not Membership.objects.filter(user=squatter).exists()


def test_a_wrong_state_is_refused(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer)
    sub = provider.person("ann-2", email="ann@acme.test", email_verified=True)
    callback = provider.authorize(start(client, "ann@acme.test"), sub)
    forged = callback.replace("state=", "state=x")
    response = client.get(forged)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(email="ann@acme.test").exists()
    # A second browser (no state in its session) replaying the genuine callback gets nothing either.
    from django.test import Client

    assert Client().get(callback).status_code == 400
    assert not get_user_model().objects.filter(email="ann@acme.test").exists()


def test_a_foreign_issuers_sign_in_is_refused(client, cast, provider, other_provider):
    """Beta trusts another provider; its people cannot sign in to Acme, not even with an Acme address."""
    set_up_sso(cast.owner, provider.issuer)
    set_up_sso(cast.beta_owner, other_provider.issuer, domain="beta.test")
    mallory = other_provider.person("mal-1", email="owner@acme.test", email_verified=True)
    # Mallory at Beta's provider, then the answer is fed to Acme's callback.
    acme_start = start(client, "owner@acme.test")
    state = acme_start.split("state=")[1].split("&")[0]
    beta_authorize = other_provider.issuer + "/oauth2/authorize?" + acme_start.split("?", 1)[1]
    callback = other_provider.authorize(beta_authorize, mallory)
    assert f"state={state}" in callback
    response = client.get(callback)
    assert response.status_code in (400, 403)
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    # Through Beta's own provider she reaches Beta at most, never Acme's owner account.
    response = sign_in(client, other_provider, mallory, "someone@beta.test")
    assert response.status_code == 403  # acme.test is not Beta's verified domain
    assert not SocialAccount.objects.filter(user=cast.owner.user).exists()


def test_a_changed_issuer_in_the_id_token_is_refused(cast):
    from lodestar.core.scoping import organization_scope
    from lodestar.sso import services
    from lodestar.sso.models import IdentityProvider

    found = IdentityProvider(organization=cast.acme, issuer="https://idp.acme.test")
    with organization_scope(cast.acme), pytest.raises(services.Refused) as refusal:
        services.check_claims(
            found, issuer="https://evil.test", claims={"email": "owner@acme.test", "email_verified": True}
        )
    assert refusal.value.reason == "foreign_issuer"


def test_the_secret_is_stored_encrypted(cast, provider):
    from lodestar.sso.models import IdentityProvider

    set_up_sso(cast.owner, provider.issuer)
    stored = IdentityProvider.objects.get(organization=cast.acme)
    assert CLIENT_SECRET not in stored.client_secret_encrypted
    assert CLIENT_SECRET not in str(list(AuditEvent.objects.values_list("details", flat=True)))


def test_the_sign_in_form_may_lead_to_the_provider_and_no_other_page_may(client, cast):
    """form-action: the start page's form ends at an identity provider's https address; elsewhere 'self'."""
    policy = client.get("/accounts/sso/")["Content-Security-Policy"]
    assert "form-action 'self' https: http://127.0.0.1" in policy
    assert "form-action 'self';" in client.get("/accounts/login/")["Content-Security-Policy"] + ";"


def test_connecting_the_provider_to_a_signed_in_account_is_refused(client, cast, provider):
    """allauth's "connect" process would link whoever signs in at the provider to the session's
    account; only admit() links, from a verified address."""
    from allauth.socialaccount.adapter import get_adapter

    from lodestar.core.scoping import organization_scope

    set_up_sso(cast.owner, provider.issuer)
    client.force_login(cast.member.user)
    sub = provider.person("ann-3", email="ann@acme.test", email_verified=True)
    request = client.get("/accounts/sso/").wsgi_request
    with organization_scope(cast.acme):
        social = get_adapter(request).get_provider(request, f"lodestar-{cast.acme.pk}")
    response = client.post(social.get_login_url(request, process="connect"))
    assert response.status_code == 302
    callback = provider.authorize(response["Location"], sub)
    assert client.get(callback).status_code == 403
    assert not SocialAccount.objects.exists()


def test_asking_which_domains_use_single_sign_on_is_rate_limited(client, cast, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "sso_start": "3/m/ip"}
    for number in range(3):
        response = client.post("/accounts/sso/", {"email": f"someone{number}@example{number}.test"})
        assert response.status_code == 422
    response = client.post("/accounts/sso/", {"email": "someone@acme.test"})
    assert response.status_code == 429
    assert "Too many tries from your network" in response.content.decode()
    assert client.get("/accounts/sso/").status_code == 200  # the page itself stays open
