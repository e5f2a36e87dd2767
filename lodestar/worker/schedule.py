"""The periodic side of the worker, knowing no domain app: every app registers in its
``AppConfig.ready`` the jobs that run on each tick and the outboxes the worker drains.

``tick`` runs every minute in every worker. Jobs must be safe to run in two workers at once and
twice in a row (they insert rows under unique keys, or claim them with a row lock); one job's
failure is logged and does not stop the others. After the jobs, each outbox that holds something
to send gets its task enqueued; and tasks a dead worker left ``RUNNING`` run again (django-tasks-db
never notices them: see pitfalls).
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.tasks import Task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lodestar.core.scoping import all_organizations
from lodestar.worker import outbox

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outbox:
    model: type[models.Model]  # an OutboxItem
    task: Task  # drains it


_jobs: dict[str, Callable[[datetime.datetime], object]] = {}
_outboxes: list[Outbox] = []


def register_job(name: str, job: Callable[[datetime.datetime], object]) -> None:
    """Run ``job(now)`` on every tick (registering a name twice keeps the last job)."""
    _jobs[name] = job


def register_outbox(model: type[models.Model], *, task: Task) -> None:
    """Have the worker enqueue ``task`` whenever ``model`` holds an item ready to send."""
    if all(known.model is not model for known in _outboxes):
        _outboxes.append(Outbox(model, task))


def tick(now: datetime.datetime | None = None) -> None:
    """Sweep, run every job, and have the worker send what is waiting."""
    now = now or timezone.now()
    requeue_stale_tasks(now)
    for name, job in _jobs.items():
        try:
            job(now)
        except Exception:  # one broken job must not stop the others' reminders
            logger.exception("Periodic job %s failed", name)
    enqueue_pending(now)


def enqueue_pending(now: datetime.datetime) -> None:
    with all_organizations():
        for known in _outboxes:
            if known.model.objects.filter(outbox.deliverable(now)).exists():
                outbox.enqueue_after_commit(known.task)


def requeue_stale_tasks(now: datetime.datetime) -> int:
    """Tasks left RUNNING by a worker that died run again: every Lodestar task is safe to run twice."""
    stale = DBTaskResult.objects.running().filter(started_at__lt=now - outbox.lease())
    count = stale.update(status="READY", started_at=None)
    if count:
        logger.warning("Re-queued %d task(s) of a worker that stopped answering", count)
    return count
