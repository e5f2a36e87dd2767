"""The secret URL of an automatic feed: POST a value, and it is recorded on the feed's key result
(as a check-in) or KPI (as a value). The token in the path is the only authority needed, so a
Zapier-style tool or a script can call it without an API token."""

from ninja import Router, Status
from ninja.errors import Throttled

from lodestar.api.auth import count_call, seconds_to_next_window
from lodestar.api.common import CLIENT_ERRORS
from lodestar.api.schemas import FedValueIn, FedValueOut
from lodestar.core.errors import NotFound
from lodestar.feeds import services

router = Router()


@router.post(
    "/feeds/{token}",
    auth=None,
    throttle=[],
    response={201: FedValueOut, **CLIENT_ERRORS},
    tags=["automatic feeds"],
    url_name="feed_value",
)
def feed_value(request, token: str, payload: FedValueIn):
    """Record a value: a key result's number (its estimated percent; for a milestone 1 means
    done), or a KPI's value. ``effective_on`` defaults to today in the organization."""
    feed = services.find_push_feed(token)
    if feed is None:
        raise NotFound
    if not count_call(feed.organization_id, f"feed:{feed.pk}"):
        raise Throttled(wait=seconds_to_next_window())
    recorded = services.record_pushed(feed, **payload.dict())
    kind = "kpi_value" if feed.kpi_id else "check_in"
    return Status(201, {"feed": feed.name, "recorded": kind, "id": recorded.pk})
