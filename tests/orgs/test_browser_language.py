"""New people may start in their browser's language: when someone who has not chosen a language
signs in, an organization of theirs allows it, and the browser names a language Lodestar speaks,
that language becomes theirs (e-mails follow it too). Otherwise they keep the organization's."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lodestar.orgs import services as orgs
from lodestar.orgs.models import Organization
from tests.conftest import PASSWORD, add_person, signed_in

GERMAN_BROWSER = "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7"


def allow_browser_language(organization, allowed=True):
    Organization.objects.filter(pk=organization.pk).update(use_browser_language=allowed)


def sign_in(client, email, accept_language):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": PASSWORD},
        headers={"accept-language": accept_language},
        follow=True,
    )


def language_of(membership) -> str:
    return get_user_model().objects.get(pk=membership.user_id).language


def test_a_new_person_starts_in_their_browsers_language_when_the_organization_allows_it(client, cast):
    allow_browser_language(cast.acme)

    response = sign_in(client, "member@acme.test", GERMAN_BROWSER)

    assert language_of(cast.member) == "de"
    assert response["Content-Language"] == "de"  # the first page after signing in already
    assert "Meine Ziele" in response.content.decode()


def test_the_browsers_first_language_lodestar_speaks_counts(client, cast):
    allow_browser_language(cast.acme)
    sign_in(client, "member@acme.test", "fr-CH, fr;q=0.9, de-AT;q=0.8, en;q=0.5")
    assert language_of(cast.member) == "de"


def test_without_the_organizations_consent_the_person_keeps_the_organizations_language(client, cast):
    response = sign_in(client, "member@acme.test", GERMAN_BROWSER)

    assert language_of(cast.member) == ""
    assert response["Content-Language"] == "en"


def test_a_browser_language_lodestar_does_not_speak_changes_nothing(client, cast):
    allow_browser_language(cast.acme)
    sign_in(client, "member@acme.test", "fr-FR,fr;q=0.9,es;q=0.5")
    assert language_of(cast.member) == ""


@pytest.mark.parametrize("header", ["", "*", "x" * 600, "de;q=0", "de-" + "x" * 600])
def test_an_odd_or_missing_header_changes_nothing(client, cast, header):
    allow_browser_language(cast.acme)
    sign_in(client, "member@acme.test", header)
    assert language_of(cast.member) == ""


def test_a_language_the_person_chose_is_never_overwritten(client, cast):
    allow_browser_language(cast.acme)
    cast.member.user.language = "en"
    cast.member.user.save()

    response = sign_in(client, "member@acme.test", GERMAN_BROWSER)

    assert language_of(cast.member) == "en"
    assert response["Content-Language"] == "en"


def test_one_allowing_organization_of_the_person_is_enough(client, cast):
    add_person(cast.beta_owner, "member@acme.test", "Max Member")
    allow_browser_language(cast.beta)
    sign_in(client, "member@acme.test", GERMAN_BROWSER)
    assert language_of(cast.member) == "de"  # now theirs in Acme too: the language is the account's


def test_an_organization_that_deactivated_the_person_does_not_count(client, cast):
    beta_membership = add_person(cast.beta_owner, "member@acme.test", "Max Member")
    orgs.update_membership(actor=cast.beta_owner, membership=beta_membership, is_active=False)
    allow_browser_language(cast.beta)
    sign_in(client, "member@acme.test", GERMAN_BROWSER)
    assert language_of(cast.member) == ""


def settings_fields(**changes):
    return {
        "name": "Acme",
        "language": "en",
        "time_zone": "Europe/Berlin",
        "check_in_weekday": "1",
        "reflection_questions": "",
        **changes,
    }


def test_an_admin_lets_new_people_start_in_their_browsers_language(client, cast):
    url = reverse("orgs:settings", kwargs={"org_slug": "acme"})
    signed_in(client, cast.admin)
    page = client.get(url).content.decode()
    assert "New people start in their browser&#x27;s language" in page

    assert client.post(url, settings_fields(use_browser_language="on")).status_code == 302
    assert Organization.objects.get(pk=cast.acme.pk).use_browser_language is True
    assert 'id="id_use_browser_language" checked' in client.get(url).content.decode()

    assert client.post(url, settings_fields()).status_code == 302  # an unticked box is not sent
    assert Organization.objects.get(pk=cast.acme.pk).use_browser_language is False
