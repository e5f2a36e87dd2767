"""The worker's task for webhook deliveries (it drains the outbox: safe to run twice).

The sender is imported when the task runs: the services that queue deliveries enqueue it."""

from django.tasks import task

from lodestar.worker.outbox import drain, enqueue_after_commit


@task()
def deliver_webhooks() -> int:
    from lodestar.webhooks import delivery
    from lodestar.webhooks.models import Delivery

    return drain(Delivery, delivery.deliver, next_run=deliver_webhooks)


def enqueue_delivery() -> None:
    enqueue_after_commit(deliver_webhooks)
