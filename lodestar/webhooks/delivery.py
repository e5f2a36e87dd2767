"""One attempt at a webhook delivery: signed afresh, POSTed through the SSRF guard, the answer
kept for the admins' log. A 2xx answer is success; anything else is retried with back-off
(worker.outbox) until it fails for good."""

import json

from lodestar.core import outbound
from lodestar.webhooks import signing
from lodestar.webhooks.models import Delivery
from lodestar.worker import outbox


def deliver(delivery: Delivery) -> None:
    webhook = delivery.webhook
    objective = delivery.objective
    if not webhook.is_active or (objective is not None and objective.is_private):
        outbox.finish(delivery, skipped=True)  # paused, or the objective turned private while the delivery waited
        return
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    headers = signing.headers(webhook.secret, body, event=delivery.event, event_id=str(delivery.event_id))
    try:
        response = outbound.post_json(webhook.url, body, headers)
    except outbound.UnknownHost as error:
        outbox.finish(delivery, error=str(error), response_status=None)  # tried again later
        return
    except outbound.RefusedURL as error:
        delivery.attempts = outbox.MAX_ATTEMPTS  # refusing again will not help
        outbox.finish(delivery, error=str(error))
        return
    except OSError as error:
        outbox.finish(delivery, error=str(error) or type(error).__name__, response_status=None)
        return
    if 200 <= response.status < 300:
        outbox.finish(delivery, response_status=response.status)
    else:
        detail = response.body[:300].decode("utf-8", "replace")
        outbox.finish(delivery, error=f"HTTP {response.status} {detail}".strip(), response_status=response.status)
