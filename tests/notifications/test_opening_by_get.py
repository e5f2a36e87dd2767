"""Opening a notification by GET marks it read: a harmless, idempotent GET by design (see
notifications.views.open_notification). Only the recipient's own notification changes, once, and a
third-party page cannot trigger it for a signed-in person."""

from django.conf import settings

from lodestar.notifications.models import Notification
from tests.conftest import reload, signed_in


def test_opening_twice_reads_once_and_leads_to_the_same_page(client, cast, world):
    notification = world.notification
    signed_in(client, cast.owner)
    first = client.get(f"/acme/notifications/{notification.pk}/")
    read_at = reload(notification).read_at
    assert read_at is not None
    second = client.get(f"/acme/notifications/{notification.pk}/")
    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"]
    assert reload(notification).read_at == read_at


def test_nobody_else_can_read_someone_elses_notification_by_opening_it(client, cast, world):
    for intruder in (cast.member, cast.admin, cast.beta_owner):
        signed_in(client, intruder)
        assert client.get(f"/acme/notifications/{world.notification.pk}/").status_code == 404
    assert Notification.objects.get(pk=world.notification.pk).read_at is None


def test_a_signed_out_visit_reads_nothing(client, world):
    response = client.get(f"/acme/notifications/{world.notification.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert reload(world.notification).read_at is None


def test_the_session_cookie_stays_on_the_site_for_requests_other_pages_make():
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_marking_read_without_opening_takes_a_post(client, cast, world):
    signed_in(client, cast.owner)
    assert client.get(f"/acme/notifications/{world.notification.pk}/read/").status_code == 405
    assert reload(world.notification).read_at is None
