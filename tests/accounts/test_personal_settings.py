"""A person's own settings page: their name, language and time zone, saved for the account (so in
every organization they belong to), refused with a message when wrong, and nobody else's."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from lodestar.accounts import services
from lodestar.activity.models import Activity
from lodestar.okrs import services as okrs
from lodestar.orgs import services as orgs
from tests import factories
from tests.conftest import add_person, reload, signed_in


def settings_url(slug="acme") -> str:
    return reverse("orgs:personal_settings", kwargs={"org_slug": slug})


def choices(full_name="Max Member", language="", time_zone=""):
    return {"full_name": full_name, "language": language, "time_zone": time_zone}


def account_of(membership):
    return get_user_model().objects.get(pk=membership.user_id)


def test_the_page_shows_name_address_and_the_organizations_defaults(client, cast):
    response = signed_in(client, cast.member).get(settings_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Max Member"' in page
    assert "member@acme.test" in page and f'href="{reverse("account_email")}"' in page  # changed at allauth's page
    assert "every organization you belong to" in page
    assert "The organization&#x27;s language (English)" in page
    assert "The organization&#x27;s time zone (Europe/Berlin)" in page
    assert '<optgroup label="Europe">' in page and '<option value="Europe/Vienna">Vienna (UTC+' in page
    assert '<option value="de">Deutsch (German)</option>' in page


def test_the_sidebar_leads_to_the_page(client, cast):
    page = signed_in(client, cast.member).get(reverse("okrs:home", kwargs={"org_slug": "acme"})).content.decode()
    assert f'href="{settings_url()}"' in page


def test_saving_answers_the_next_page_in_the_new_language_and_time_zone(client, cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Delight fleet managers")
    key_result = factories.metric(cast.owner, objective, owner=cast.member)
    okrs.record_check_in(actor=cast.member, key_result=key_result, value=40, status="on_track")
    moment = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.UTC)  # 11 March, 08:30 in Tokyo
    Activity.objects.filter(organization=cast.acme).update(created_at=moment)
    signed_in(client, cast.member)

    response = client.post(settings_url(), choices("Max Mustermann", "de", "Asia/Tokyo"))

    assert response.status_code == 302 and response["Location"] == settings_url()
    page = client.get(response["Location"])
    assert page["Content-Language"] == "de" and '<html lang="de">' in page.content.decode()
    assert "Meine Ziele" in page.content.decode()  # the navigation, in German at once
    assert 'value="Max Mustermann"' in page.content.decode()
    assert '<option value="Asia/Tokyo" selected>' in page.content.decode()
    activity = client.get(reverse("activity:organization", kwargs={"org_slug": "acme"})).content.decode()
    assert 'datetime="2026-03-11T08:30:00+09:00"' in activity  # dates shown in the person's time zone
    user = account_of(cast.member)
    assert (user.full_name, user.language, user.time_zone) == ("Max Mustermann", "de", "Asia/Tokyo")


def test_empty_choices_mean_the_organizations_language_and_time_zone(client, cast):
    cast.member.user.language, cast.member.user.time_zone = "de", "Asia/Tokyo"
    cast.member.user.save()
    signed_in(client, cast.member)

    response = client.post(settings_url(), choices(), follow=True)

    assert response["Content-Language"] == "en"
    assert "Your settings are saved." in response.content.decode()
    user = account_of(cast.member)
    assert (user.language, user.time_zone) == ("", "")


def test_the_settings_apply_in_every_organization_of_the_person(client, cast):
    add_person(cast.beta_owner, "member@acme.test", "Max Member")
    cast.member.user.refresh_from_db()  # as the account is now (adding a person may set their password)
    signed_in(client, cast.member).post(settings_url(), choices(language="de"))

    page = client.get(reverse("okrs:home", kwargs={"org_slug": "beta"}))

    assert page["Content-Language"] == "de"
    assert "Meine Ziele" in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("language", "fr", "Select a valid choice. fr is not one of the available choices."),
        ("time_zone", "Mars/Olympus_Mons", "Select a valid choice. Mars/Olympus_Mons is not one of the available"),
        ("full_name", "   ", "This field is required."),
        ("full_name", "Max\x07Member", "Remove the control characters from this text."),
        ("full_name", "x" * 151, "Ensure this value has at most 150 characters (it has 151)."),
    ],
)
def test_a_wrong_choice_gets_a_message_next_to_its_field_and_nothing_is_saved(client, cast, field, value, message):
    before = account_of(cast.member)
    response = signed_in(client, cast.member).post(settings_url(), {**choices("Max Moved", "de"), field: value})

    assert response.status_code == 422
    page = response.content.decode()
    assert 'class="field-error"' in page and message in page
    after = account_of(cast.member)
    assert (after.full_name, after.language, after.time_zone) == (before.full_name, before.language, before.time_zone)


def test_the_service_refuses_a_language_lodestar_does_not_speak_and_an_unknown_time_zone(cast):
    user = cast.member.user
    with pytest.raises(ValidationError) as language:
        services.update_personal_settings(user=user, full_name="Max", language="fr", time_zone="")
    with pytest.raises(ValidationError) as time_zone:
        services.update_personal_settings(user=user, full_name="Max", language="", time_zone="Mars/Base")
    assert list(language.value.message_dict) == ["language"]
    assert time_zone.value.message_dict == {"time_zone": ["Mars/Base is not a known time zone."]}
    assert account_of(cast.member).full_name == "Max Member"


def test_only_ones_own_settings_change_whatever_is_posted(client, cast):
    """There is no id in the URL, and the form takes none: posting someone else's id or address
    changes the signed-in person's own settings, nobody else's."""
    others = {m.user_id: (m.user.full_name, m.user.email) for m in (cast.lead, cast.owner, cast.beta_member)}
    assert reverse("orgs:personal_settings", kwargs={"org_slug": "acme"}) == "/acme/settings/personal/"

    response = signed_in(client, cast.member).post(
        settings_url(),
        {**choices("Max Moved", "de"), "user": cast.lead.user_id, "id": cast.lead.user_id, "email": "x@evil.test"},
    )

    assert response.status_code == 302
    for membership in (cast.lead, cast.owner, cast.beta_member):
        user = account_of(membership)
        assert (user.full_name, user.email) == others[user.pk] and user.language == ""
    moved = account_of(cast.member)
    assert (moved.full_name, moved.email, moved.language) == ("Max Moved", "member@acme.test", "de")


def test_a_viewer_changes_their_own_settings(client, cast):
    response = signed_in(client, cast.viewer).post(settings_url(), choices("Vic Viewer", "de", "America/New_York"))
    assert response.status_code == 302
    assert (account_of(cast.viewer).language, account_of(cast.viewer).time_zone) == ("de", "America/New_York")


def test_a_deactivated_member_cannot_reach_the_page(client, cast):
    orgs.update_membership(actor=cast.owner, membership=cast.member, is_active=False)
    signed_in(client, cast.member)
    assert client.get(settings_url()).status_code == 404
    assert client.post(settings_url(), choices("Max Moved")).status_code == 404
    assert reload(cast.member.user).full_name == "Max Member"


def test_another_organizations_member_gets_404(client, cast):
    signed_in(client, cast.beta_member)
    assert client.get(settings_url()).status_code == 404
    assert client.post(settings_url(), choices("Bea Moved")).status_code == 404
    assert account_of(cast.beta_member).full_name == "Bea Beta"
