"""In-app notifications: who is told what, the bell's count, reading them, and e-mail preferences."""

from lodestar.conversations import services as conversations
from lodestar.notifications import services
from lodestar.notifications.models import Email, Notification
from lodestar.okrs import services as okrs
from lodestar.okrs.models import Objective
from tests import factories
from tests.conftest import signed_in


def kinds(person):
    return [n.kind for n in Notification.objects.filter(recipient=person).order_by("pk")]


def test_being_given_a_key_result_or_a_contribution_notifies_but_giving_yourself_one_does_not(cast, world):
    before = kinds(cast.lead)
    key_result = factories.metric(cast.member, world.objective, owner=cast.lead, contributors=[cast.sales])
    assert kinds(cast.lead) == [*before, "assigned"]
    assert Notification.objects.get(recipient=cast.sales, key_result=key_result).data["role"] == "contributor"
    factories.metric(cast.member, world.objective, owner=cast.member, title="Own work")
    assert not Notification.objects.filter(recipient=cast.member, actor=cast.member).exists()


def test_a_key_result_turning_off_track_tells_its_owner_once(cast, world):
    okrs.record_check_in(actor=cast.lead, key_result=world.key_result, value=6, status="off_track")
    okrs.record_check_in(actor=cast.lead, key_result=world.key_result, value=7, status="off_track")
    off_track = Notification.objects.filter(recipient=cast.member, kind="off_track")
    assert off_track.count() == 1 and off_track.get().data["target"] == "Weekly active users"


def test_the_bell_counts_unread_notifications_and_opening_one_reads_it(client, cast, world):
    signed_in(client, cast.lead)
    unread = Notification.objects.filter(recipient=cast.lead, read_at=None).count()
    assert unread >= 1
    assert f'<span class="bell-count">{unread}<' in client.get("/acme/").content.decode()
    notification = Notification.objects.filter(recipient=cast.lead, comment=world.comment).get()
    response = client.get(f"/acme/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/acme/objectives/{world.objective.pk}/#comment-{world.comment.pk}"
    notification.refresh_from_db()
    assert notification.read_at is not None
    client.post("/acme/notifications/read/")
    assert 'class="bell-count"' not in client.get("/acme/").content.decode()


def test_someone_elses_notification_is_not_found(client, cast, world):
    assert signed_in(client, cast.member).get(f"/acme/notifications/{world.notification.pk}/").status_code == 404
    assert client.post(f"/acme/notifications/{world.notification.pk}/read/").status_code == 404
    world.notification.refresh_from_db()
    assert world.notification.read_at is None


def test_a_notification_disappears_when_its_objective_turns_private_to_the_reader(client, cast, world):
    conversations.post_comment(actor=cast.member, target=world.objective, body="@[Sam Sales] have a look")
    signed_in(client, cast.sales)
    assert "Max Member mentioned you" in client.get("/acme/notifications/").content.decode()
    okrs.update_objective(actor=cast.member, objective=world.objective, visibility=Objective.Visibility.PRIVATE)
    page = client.get("/acme/notifications/").content.decode()
    assert "secret plan" not in page and 'class="bell-count"' not in page


def test_the_bell_counts_unread_notifications_about_private_objectives_only_for_who_may_see_them(client, cast, world):
    conversations.post_comment(actor=cast.member, target=world.objective, body="@[Lea Lead] @[Sam Sales] look")
    okrs.update_objective(actor=cast.member, objective=world.objective, visibility=Objective.Visibility.PRIVATE)
    private_unread = Notification.objects.filter(recipient=cast.lead, objective=world.objective, read_at=None)
    assert private_unread.exists()
    expected = services.inbox(cast.lead).filter(read_at=None).count()  # the inbox's own visibility rule
    assert expected == Notification.objects.filter(recipient=cast.lead, read_at=None).count()
    assert f'<span class="bell-count">{expected}<' in signed_in(client, cast.lead).get("/acme/").content.decode()
    assert 'class="bell-count"' not in signed_in(client, cast.sales).get("/acme/").content.decode()


def test_e_mail_follows_the_persons_preference(cast, world):
    services.update_preferences(actor=cast.lead, notification_emails="daily")
    services.update_preferences(actor=cast.sales, notification_emails="off")
    conversations.post_comment(actor=cast.member, target=world.objective, body="@[Lea Lead] @[Sam Sales] @[Ada Admin]")
    queued = set(
        Email.objects.filter(kind="notification", notification__actor=cast.member).values_list("recipient", flat=True)
    )
    assert queued == {cast.admin.pk, cast.owner.pk}  # the owner commented before: hears of the reply


def test_preferences_are_each_persons_own(client, cast):
    signed_in(client, cast.member)
    response = client.post(
        "/acme/settings/notifications/", {"notification_emails": "daily", "check_in_reminders": "", "lead_digest": "on"}
    )
    assert response.status_code == 302
    mine = services.preferences_of(cast.member)
    assert (mine.notification_emails, mine.check_in_reminders, mine.lead_digest) == ("daily", False, True)
    assert services.preferences_of(cast.lead).notification_emails == "immediately"
    assert client.post("/acme/settings/notifications/", {"notification_emails": "hourly"}).status_code == 422


def test_a_tampered_unsubscribe_link_is_not_found(client, cast):
    assert client.get("/unsubscribe/not-a-token/").status_code == 404
    assert client.post("/unsubscribe/eyJtIjoxLCJrIjoibm90aWZpY2F0aW9uIn0:1xYVQU:forged/").status_code == 404
