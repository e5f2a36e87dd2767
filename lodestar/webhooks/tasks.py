"""The worker's task for webhook deliveries (see notifications.tasks: safe to run twice)."""

from django.db import transaction
from django.tasks import task

from lodestar.notifications.tasks import drain, enqueue_once


@task()
def deliver_webhooks() -> int:
    from lodestar.webhooks import delivery
    from lodestar.webhooks.models import Delivery

    return drain(Delivery, delivery.deliver, next_run=deliver_webhooks)


def enqueue_delivery() -> None:
    """After the change commits: a task already waiting could run before it and miss the delivery."""
    transaction.on_commit(lambda: enqueue_once(deliver_webhooks))
