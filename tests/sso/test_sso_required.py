"""SSO required: members sign in only through the provider; owners keep their password."""

import pytest
from django.core import mail

from lodestar.audit.models import AuditEvent
from lodestar.orgs.models import Role
from tests.conftest import PASSWORD, add_person
from tests.sso.conftest import set_up_sso, sign_in

pytestmark = pytest.mark.django_db


def _password_sign_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_a_member_cannot_sign_in_with_a_password_but_the_owner_can(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer, required=True)
    response = _password_sign_in(client, "member@acme.test")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Acme requires single sign-on" in page and "/accounts/sso/?email=member%40acme.test" in page
    assert "_auth_user_id" not in client.session
    # An admin is bound too; only owners keep the break-glass password.
    assert _password_sign_in(client, "admin@acme.test").status_code == 403
    response = _password_sign_in(client, "owner@acme.test")
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_member_of_an_outside_domain_is_bound_too(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer, required=True)
    add_person(cast.owner, "contractor@elsewhere.test", "Cora Contractor", Role.MEMBER)
    assert _password_sign_in(client, "contractor@elsewhere.test").status_code == 403


def test_other_organizations_people_keep_their_password(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer, required=True)
    assert _password_sign_in(client, "member@beta.test").status_code == 302


def test_the_member_signs_in_through_the_provider_instead(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer, required=True)
    sub = provider.person("max-7", email="member@acme.test", email_verified=True)
    response = sign_in(client, provider, sub, "member@acme.test")
    assert response["Location"] == "/acme/"
    assert client.get("/acme/").status_code == 200
    assert AuditEvent.objects.filter(organization=cast.acme, action="signin.succeeded", details__method="oidc").exists()


def test_password_reset_sends_no_link_to_a_bound_member(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer, required=True)
    mail.outbox.clear()
    response = client.post("/accounts/password/reset/", {"email": "member@acme.test"})
    assert response.status_code == 302
    assert mail.outbox == []
    client.post("/accounts/password/reset/", {"email": "owner@acme.test"})
    assert len(mail.outbox) == 1


def test_without_the_requirement_passwords_work(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer, required=False)
    assert _password_sign_in(client, "member@acme.test").status_code == 302


def test_a_wrong_password_for_an_address_of_the_domain_points_to_single_sign_on(client, cast, provider):
    set_up_sso(cast.owner, provider.issuer, required=True)
    response = _password_sign_in(client, "nobody@acme.test", "wrong-password-1")
    page = response.content.decode()
    assert "Your organization signs in with single sign-on." in page
    assert "/accounts/sso/?email=nobody%40acme.test" in page
    response = _password_sign_in(client, "nobody@beta.test", "wrong-password-1")
    assert "Your organization signs in with single sign-on." not in response.content.decode()
