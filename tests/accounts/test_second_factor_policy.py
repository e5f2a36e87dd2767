"""An organization's rule "require a second factor": who it sends to the set-up page, and who and
what it leaves alone (other organizations, the account pages, the API, people who are not members)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from lodestar.api import services as api_tokens
from lodestar.core.errors import NotAllowed
from lodestar.orgs import services as orgs
from lodestar.orgs.models import Organization, SecondFactorPolicy
from tests.conftest import add_person, signed_in

SET_UP = "/accounts/2fa/"


def require(organization, policy):
    Organization.objects.filter(pk=organization.pk).update(second_factor_required_for=policy)


def give_authenticator_app(membership):
    TOTP.activate(membership.user, generate_totp_secret())


def test_an_admin_chooses_who_must_sign_in_with_a_second_factor(client, cast):
    url = reverse("orgs:settings", kwargs={"org_slug": "acme"})
    page = signed_in(client, cast.admin).get(url).content.decode()
    assert "Require a second factor" in page and "Admins and owners" in page
    data = {"name": "Acme", "language": "en", "time_zone": "Europe/Berlin", "check_in_weekday": "1"}
    assert client.post(url, {**data, "second_factor_required_for": "somebody"}).status_code == 422
    assert client.post(url, {**data, "second_factor_required_for": "everyone"}).status_code == 302
    assert Organization.objects.get(pk=cast.acme.pk).second_factor_required_for == "everyone"
    assert client.get(url).url == SET_UP  # the admin has none either: the rule applies to them at once
    give_authenticator_app(cast.admin)
    assert client.post(url, data).status_code == 302  # not sent (an older form, the API): unchanged
    assert Organization.objects.get(pk=cast.acme.pk).second_factor_required_for == "everyone"


def test_a_member_cannot_change_the_rule(cast):
    with pytest.raises(NotAllowed):
        orgs.update_organization_settings(
            actor=cast.member,
            name="Acme",
            language="en",
            time_zone="Europe/Berlin",
            check_in_weekday=1,
            second_factor_required_for="nobody",
        )


def test_an_admin_without_a_second_factor_is_sent_to_set_one_up_from_every_organization_page(client, cast):
    require(cast.acme, SecondFactorPolicy.ADMINS)
    signed_in(client, cast.admin)
    for path in ("/acme/", "/acme/settings/", "/acme/people/", "/acme/settings/personal/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url == SET_UP, path
    page = client.get(SET_UP).content.decode()
    assert "Acme asks its admins and owners to sign in with a second factor. Set one up to continue." in page
    assert client.post("/acme/timeframes/new/", {"name": "Q9"}).status_code == 302  # no write slips through
    assert not cast.acme.timeframes.filter(name="Q9").exists()


def test_members_are_not_asked_when_the_rule_is_for_admins(client, cast):
    require(cast.acme, SecondFactorPolicy.ADMINS)
    assert signed_in(client, cast.member).get("/acme/").status_code == 200


@pytest.mark.parametrize("person", ["member", "viewer", "owner"])
def test_everyone_means_every_role(client, cast, person):
    require(cast.acme, SecondFactorPolicy.EVERYONE)
    response = signed_in(client, getattr(cast, person)).get("/acme/")
    assert response.status_code == 302 and response.url == SET_UP
    assert "asks everyone" in client.get(SET_UP).content.decode()


def test_a_person_with_an_authenticator_app_goes_on(client, cast):
    require(cast.acme, SecondFactorPolicy.EVERYONE)
    give_authenticator_app(cast.member)
    assert signed_in(client, cast.member).get("/acme/").status_code == 200


def test_the_set_up_sign_out_and_account_pages_stay_reachable(client, cast):
    require(cast.acme, SecondFactorPolicy.EVERYONE)
    signed_in(client, cast.member)
    for path in (SET_UP, "/accounts/email/", "/accounts/password/change/"):
        assert client.get(path).status_code in (200, 302), path
        assert client.get(path).get("Location", "") != SET_UP
    assert client.get(SET_UP).status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_another_organizations_rule_does_not_apply_here(client, cast):
    """Max is in Acme (nobody must) and in Beta (everyone must): Beta asks, Acme does not."""
    add_person(cast.beta_owner, "member@acme.test", "Max Member")
    require(cast.beta, SecondFactorPolicy.EVERYONE)
    signed_in(client, cast.member)
    assert client.get("/acme/").status_code == 200
    response = client.get("/beta/")
    assert response.status_code == 302 and response.url == SET_UP
    assert client.get("/acme/people/").status_code == 200


def test_a_deactivated_person_learns_nothing_of_the_rule(client, cast):
    require(cast.acme, SecondFactorPolicy.EVERYONE)
    orgs.update_membership(actor=cast.owner, membership=cast.member, is_active=False)
    assert signed_in(client, cast.member).get("/acme/").status_code == 404


def test_an_outsider_learns_nothing_of_the_rule(client, cast):
    require(cast.acme, SecondFactorPolicy.EVERYONE)
    assert signed_in(client, cast.beta_member).get("/acme/").status_code == 404


def test_the_api_takes_tokens_not_second_factors(client, cast):
    _token, text = api_tokens.create_token(actor=cast.admin, name="Reporting", scope="read")
    require(cast.acme, SecondFactorPolicy.ADMINS)
    response = client.get("/api/v1/organization", headers={"Authorization": f"Bearer {text}"})
    assert response.status_code == 200


def test_a_page_partial_sends_the_whole_page_to_the_set_up(client, cast):
    require(cast.acme, SecondFactorPolicy.EVERYONE)
    response = signed_in(client, cast.member).get("/acme/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"] == SET_UP


def test_once_set_up_the_page_offers_to_continue_where_the_person_was_going(client, cast):
    require(cast.acme, SecondFactorPolicy.EVERYONE)
    signed_in(client, cast.member).get("/acme/people/?role=admin")
    assert 'href="/acme/people/?role=admin"' not in client.get(SET_UP).content.decode()  # nothing set up yet
    give_authenticator_app(cast.member)
    assert 'href="/acme/people/?role=admin"' in client.get(SET_UP).content.decode()


def test_the_personal_settings_page_shows_whether_two_step_sign_in_is_on(client, cast):
    url = reverse("orgs:personal_settings", kwargs={"org_slug": "acme"})
    page = signed_in(client, cast.member).get(url).content.decode()
    assert "Set up two-step sign-in" in page and f'href="{SET_UP}"' in page
    give_authenticator_app(cast.member)
    assert "Manage two-step sign-in" in client.get(url).content.decode()
