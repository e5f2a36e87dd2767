"""The outbox under trouble: a message whose sending crashes is recorded and retried, not stuck; a
message that kills every worker is given up; a chat post waiting for a retry is not sent once its
objective turned private."""

import datetime

from django.utils import timezone

from lodestar.notifications import emails, tasks
from lodestar.notifications.models import ChatPost, Email
from lodestar.okrs import services as okrs
from lodestar.okrs.models import Objective
from lodestar.worker import outbox


def test_an_e_mail_that_cannot_be_composed_is_recorded_and_the_others_still_go_out(cast, world, monkeypatch):
    from django.core import mail

    real = emails.compose

    def broken_for_the_lead(email):
        if email.recipient_id == cast.lead.pk:
            raise KeyError("a template bug")
        return real(email)

    monkeypatch.setattr(emails, "compose", broken_for_the_lead)
    tasks.deliver_emails.call()
    broken = Email.objects.filter(recipient=cast.lead)
    assert broken and all(e.state == "queued" and "KeyError" in e.last_error for e in broken)
    assert Email.objects.filter(state="sent").exists() and mail.outbox


def test_a_message_taken_over_from_dead_workers_too_often_is_given_up(cast, world):
    stuck = Email.objects.filter(state="queued").first()
    long_ago = timezone.now() - datetime.timedelta(days=1)
    Email.objects.filter(pk=stuck.pk).update(state="sending", claimed_at=long_ago, attempts=outbox.MAX_ATTEMPTS)
    Email.objects.exclude(pk=stuck.pk).update(state="sent")
    assert outbox.claim_next(Email) is None
    stuck.refresh_from_db()
    assert stuck.state == "failed" and stuck.last_error


def test_a_chat_post_waiting_for_its_retry_is_dropped_when_the_objective_turns_private(cast, world):
    okrs.record_check_in(actor=cast.member, key_result=world.key_result, value=8, status="on_track")
    post = ChatPost.objects.get(activity__check_in__value=8)
    okrs.update_objective(actor=cast.member, objective=world.objective, visibility=Objective.Visibility.PRIVATE)
    tasks.deliver_chat_posts.call()
    post.refresh_from_db()
    assert post.state == "skipped" and post.response_status is None


def test_a_notification_e_mail_about_an_objective_turned_private_meanwhile_is_not_sent(cast, world):
    from django.core import mail

    from lodestar.conversations import services as conversations

    tasks.deliver_emails.call()
    mail.outbox.clear()
    conversations.post_comment(actor=cast.member, target=world.objective, body="@[Sam Sales] a look?")
    okrs.update_objective(actor=cast.member, objective=world.objective, visibility=Objective.Visibility.PRIVATE)
    tasks.deliver_emails.call()
    assert [message.to for message in mail.outbox if "Sam" in str(message.to)] == []
    assert Email.objects.get(recipient=cast.sales, notification__comment__body__contains="a look").state == "skipped"
