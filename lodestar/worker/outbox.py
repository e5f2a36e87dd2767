"""Claiming outbox items (e-mails, chat posts, webhook deliveries) so that each goes out once.

A worker claims the oldest deliverable item under ``SELECT … FOR UPDATE SKIP LOCKED``, marks it
``sending`` with the time, and commits before it talks to the outside world; then it records
the result. A second worker skips what the first holds. An item stays ``sending`` only while its
worker lives: after the lease (``LODESTAR_WORKER_LEASE_SECONDS``) the next worker takes it over,
so a message of a killed worker is not lost. It is sent twice only if the worker died in the
instant between the receiver's acceptance and recording it: delivery is at least once, and that
window is one message wide, never a batch.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import Task
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from lodestar.core.scoping import all_organizations
from lodestar.worker.models import OutboxItem

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
# One task run sends at most this many messages, then hands over to a fresh run; a long queue
# does not hold one task (and its lease) for an hour.
BATCH = 200


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.LODESTAR_WORKER_LEASE_SECONDS)


def deliverable(now: datetime.datetime) -> Q:
    return Q(state=OutboxItem.State.QUEUED, next_attempt_at__lte=now) | Q(
        state=OutboxItem.State.SENDING, claimed_at__lt=now - lease()
    )


def claim_next(model):
    """The next item to send, claimed for this worker, or None when there is nothing to do."""
    while True:
        now = timezone.now()
        # The worker serves every organization; each item then runs inside its own organization's scope.
        with all_organizations(), transaction.atomic():
            item = (
                model.objects.select_for_update(skip_locked=True)
                .filter(deliverable(now))
                .order_by("next_attempt_at", "pk")
                .first()
            )
            if item is None:
                return None
            if item.attempts >= MAX_ATTEMPTS:  # taken over from dead workers that often: it is what kills them
                item.state = OutboxItem.State.FAILED
                item.last_error = item.last_error or gettext("Gave up: every worker that tried it stopped.")
                item.save(update_fields=["state", "last_error"])
                continue
            item.state = OutboxItem.State.SENDING
            item.claimed_at = now
            item.attempts += 1
            item.save(update_fields=["state", "claimed_at", "attempts"])
            return item


def backoff(attempts: int) -> datetime.timedelta:
    """1, 4, 16, 64 minutes … between attempts."""
    return datetime.timedelta(minutes=4 ** max(attempts - 1, 0))


def finish(item, *, error: str = "", skipped: bool = False, **fields) -> None:
    """Record how an attempt went: sent, skipped, or failed (retried later until MAX_ATTEMPTS)."""
    now = timezone.now()
    State = OutboxItem.State  # noqa: N806
    if skipped:
        item.state = State.SKIPPED
    elif not error:
        item.state, item.sent_at = State.SENT, now
    elif item.attempts >= MAX_ATTEMPTS:
        item.state = State.FAILED
    else:
        item.state, item.next_attempt_at = State.QUEUED, now + backoff(item.attempts)
    item.last_error = error[:2000]
    for name, value in fields.items():
        setattr(item, name, value)
    # Only while this worker's claim stands: after its lease another worker owns the item.
    with all_organizations():
        type(item).objects.filter(pk=item.pk, state=OutboxItem.State.SENDING, claimed_at=item.claimed_at).update(
            state=item.state,
            attempts=item.attempts,
            sent_at=item.sent_at,
            next_attempt_at=item.next_attempt_at,
            last_error=item.last_error,
            **fields,
        )


def attempt(item, send) -> None:
    """Run ``send()``, which returns whether it sent anything, and record how it went: sent, not
    needed, or failed. Network and SMTP trouble (OSErrors) are retried with back-off; any other
    error is a bug, logged and retried too, so that it never stops the other items."""
    try:
        sent = send()
    except OSError as error:
        finish(item, error=str(error) or type(error).__name__)
        return
    except Exception as error:
        logger.exception("%s %s could not be composed or sent", type(item).__name__, item.pk)
        finish(item, error=f"{type(error).__name__}: {error}")
        return
    finish(item, skipped=not sent)


def retry_now(items) -> int:
    """Queue failed or waiting items of a queryset again, at once and with a fresh count of attempts.
    One a worker is sending is left to it: handing it to a second worker would send it twice."""
    State = OutboxItem.State  # noqa: N806
    return items.filter(state__in=[State.FAILED, State.QUEUED]).update(
        state=State.QUEUED, next_attempt_at=timezone.now(), attempts=0
    )


def drain(model, deliver, *, next_run: Task) -> int:
    """Send up to BATCH items of an outbox, then leave the rest to ``next_run``, a fresh task.
    Safe to run twice, or on two workers at once: each item is claimed before it is sent."""
    sent = 0
    while sent < BATCH:
        item = claim_next(model)
        if item is None:
            return sent
        deliver(item)
        sent += 1
    enqueue_once(next_run)
    return sent


def enqueue_once(task: Task) -> None:
    """Enqueue ``task`` unless a run of it is already waiting."""
    if not DBTaskResult.objects.ready().filter(task_path=task.module_path).exists():
        task.enqueue()


def enqueue_after_commit(task: Task) -> None:
    """After the change commits: a run already waiting could start before it and miss the message."""
    transaction.on_commit(lambda: enqueue_once(task))
