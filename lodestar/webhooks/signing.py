"""How a receiver knows a delivery is Lodestar's and fresh.

Each attempt carries ``X-Lodestar-Timestamp`` (Unix seconds) and ``X-Lodestar-Signature:
v1=<hex>``, the HMAC-SHA256, keyed with the webhook's secret, of ``<timestamp>.<body>``. The
receiver recomputes it over the raw body, compares in constant time, and refuses timestamps
older than a few minutes (a replayed delivery carries its old timestamp, which the signature
binds to the body).
"""

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def headers(secret: str, body: bytes, *, event: str, event_id: str, now: float | None = None) -> dict[str, str]:
    timestamp = int(now if now is not None else time.time())
    return {
        "X-Lodestar-Event": event,
        "X-Lodestar-Delivery": event_id,
        "X-Lodestar-Timestamp": str(timestamp),
        "X-Lodestar-Signature": signature(secret, timestamp, body),
    }


def verify(secret: str, body: bytes, *, timestamp: str, signed: str, now: float | None = None) -> bool:
    """What a receiver does (Python): True for an authentic delivery made within the tolerance."""
    try:
        moment = int(timestamp)
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - moment) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, moment, body), signed)
