"""Sign-ins reach the audit log of each organization the person belongs to; failed ones reach the
organizations of the account that confirmed the typed address, and no other."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from lodestar.orgs import services as orgs
from tests.audit.conftest import logged
from tests.conftest import PASSWORD, add_person

LOGIN = "/accounts/login/"
ADDRESS = {"REMOTE_ADDR": "198.51.100.7", "HTTP_USER_AGENT": "Safari/19"}


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **{**ADDRESS, **extra})


def test_signing_in_is_logged_in_each_organization_of_the_person(client, cast):
    add_person(cast.beta_owner, "member@acme.test", "Max Member")  # Max belongs to Beta too
    response = sign_in(client, "member@acme.test")
    assert response.status_code == 302
    for organization in (cast.acme, cast.beta):
        (row,) = logged(organization, "signin.succeeded")
        assert (row.actor, row.target_label, row.details) == (cast.member.user, "Max Member", {"method": "password"})
        assert (row.ip_address, row.user_agent) == ("198.51.100.7", "Safari/19")


def test_an_organization_that_deactivated_the_person_does_not_log_their_sign_in(client, cast):
    beta_place = add_person(cast.beta_owner, "member@acme.test", "Max Member")
    orgs.update_membership(actor=cast.beta_owner, membership=beta_place, is_active=False)
    sign_in(client, "member@acme.test")
    assert len(logged(cast.acme, "signin.succeeded")) == 1
    assert logged(cast.beta, "signin.succeeded") == []


def test_a_wrong_password_is_logged_in_the_accounts_organization_only(client, cast):
    response = sign_in(client, "member@acme.test", "wrong-password")
    assert response.status_code == 200
    (row,) = logged(cast.acme, "signin.failed")
    assert (row.actor, row.actor_label) == (None, "")
    assert (row.target_type, row.target_id, row.target_label) == ("orgs.membership", str(cast.member.pk), "Max Member")
    assert (row.details, row.ip_address) == ({"method": "password"}, "198.51.100.7")
    assert logged(cast.beta, "signin.failed") == []
    assert logged(cast.acme, "signin.succeeded") == []


def test_a_failed_sign_in_behind_a_trusted_proxy_logs_the_forwarded_address(client, cast, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    sign_in(client, "owner@acme.test", "guess", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert logged(cast.acme, "signin.failed")[0].ip_address == "192.0.2.99"


def test_an_unknown_address_logs_nothing_anywhere(client, cast):
    before = len(logged(cast.acme)), len(logged(cast.beta))
    sign_in(client, "nobody@acme.test", "guess")
    assert (len(logged(cast.acme)), len(logged(cast.beta))) == before


def test_an_address_nobody_confirmed_logs_nothing(client, cast):
    """Someone typed Max's address into their own account without confirming it: a wrong password
    for it tells Acme nothing about Max, and nobody else's organization learns of it."""
    squatter = get_user_model().objects.create_user(email="squatter@example.test", password=PASSWORD)
    EmailAddress.objects.create(user=squatter, email="claimed@acme.test", verified=False)
    add_person(cast.beta_owner, "squatter@example.test", "Squatter")
    sign_in(client, "claimed@acme.test", "guess")
    assert logged(cast.acme, "signin.failed") == [] and logged(cast.beta, "signin.failed") == []
