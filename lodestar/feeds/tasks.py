"""The worker's task polling data sources (safe to run twice: each feed is claimed by moving its
next poll on under a row lock)."""

from django.tasks import task
from django.utils import timezone

from lodestar.core.scoping import all_organizations
from lodestar.feeds.models import Feed
from lodestar.worker.outbox import BATCH, enqueue_after_commit, enqueue_once


@task()
def poll_feeds() -> int:
    from lodestar.feeds import services

    polled = 0
    while polled < BATCH:
        feed = services.claim_due_feed(timezone.now())
        if feed is None:
            return polled
        services.poll(feed)
        polled += 1
    enqueue_once(poll_feeds)
    return polled


def enqueue_polls() -> None:
    enqueue_after_commit(poll_feeds)


def enqueue_due_polls(now) -> None:
    """The worker's periodic job: poll when some feed of any organization is due."""
    with all_organizations():
        if Feed.objects.filter(kind=Feed.Kind.POLL, next_poll_at__lte=now).exists():
            enqueue_polls()
