"""One attempt at a webhook delivery: signed afresh and POSTed to the target (worker.targets:
through the SSRF guard, the answer kept for the admins' log, retried with back-off until it
fails for good)."""

import json

from lodestar.webhooks import signing
from lodestar.webhooks.models import Delivery
from lodestar.worker import outbox, targets


def deliver(delivery: Delivery) -> None:
    webhook = delivery.webhook
    objective = delivery.objective
    if not webhook.is_active or (objective is not None and objective.is_private):
        outbox.finish(delivery, skipped=True)  # paused, or the objective turned private while the delivery waited
        return
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    headers = signing.headers(webhook.secret, body, event=delivery.event, event_id=str(delivery.event_id))
    targets.post(delivery, webhook.url, body, headers)
