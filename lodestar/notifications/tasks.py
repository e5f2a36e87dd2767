"""Background tasks (Django's tasks framework, database backend; `lodestar worker` runs them).

Each task drains its outbox, so running one twice, or two at once on two workers, sends nothing
twice (see outbox.py). Enqueuing skips a task that is already waiting to run.
"""

from django.db import transaction
from django.tasks import task
from django_tasks_db.models import DBTaskResult

# One task run sends at most this many messages, then hands over to a fresh run; a long queue
# does not hold one task (and its lease) for an hour.
BATCH = 200


def drain(model, deliver, *, next_run) -> int:
    """Send up to BATCH items of an outbox, then leave the rest to ``next_run``, a fresh task."""
    from lodestar.notifications import outbox

    sent = 0
    while sent < BATCH:
        item = outbox.claim_next(model)
        if item is None:
            return sent
        deliver(item)
        sent += 1
    enqueue_once(next_run)
    return sent


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


def enqueue_once(scheduled_task) -> None:
    if not DBTaskResult.objects.ready().filter(task_path=scheduled_task.module_path).exists():
        scheduled_task.enqueue()


def enqueue_email_delivery() -> None:
    """After the change commits: a task already waiting could run before it and miss the message."""
    transaction.on_commit(lambda: enqueue_once(deliver_emails))


def enqueue_chat_delivery() -> None:
    transaction.on_commit(lambda: enqueue_once(deliver_chat_posts))
