"""The worker's task polling data sources (safe to run twice: each feed is claimed by moving its
next poll on under a row lock)."""

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from lodestar.notifications.tasks import BATCH, enqueue_once


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
    transaction.on_commit(lambda: enqueue_once(poll_feeds))
