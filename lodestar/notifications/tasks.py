"""The worker's tasks sending e-mails and chat posts (each drains its outbox: safe to run twice).

The senders are imported when a task runs: they enqueue these tasks themselves."""

from django.tasks import task

from lodestar.worker.outbox import drain, enqueue_after_commit


@task()
def deliver_emails() -> int:
    from lodestar.notifications import emails
    from lodestar.notifications.models import Email

    return drain(Email, emails.deliver, next_run=deliver_emails)


@task()
def deliver_chat_posts() -> int:
    from lodestar.notifications import chat
    from lodestar.notifications.models import ChatPost

    return drain(ChatPost, chat.deliver, next_run=deliver_chat_posts)


def enqueue_email_delivery() -> None:
    enqueue_after_commit(deliver_emails)


def enqueue_chat_delivery() -> None:
    enqueue_after_commit(deliver_chat_posts)
