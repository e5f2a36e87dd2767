"""What chat channels and webhooks share: a URL an admin registers for chosen events, checked
against server-side request forgery when it is saved and again when each event is POSTed to it;
every POST is one attempt of an outbox item (worker.outbox: retried with back-off)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.core import outbound
from lodestar.core.validation import clean_text
from lodestar.worker import outbox


def clean_target(*, name, url, events, offered, is_active) -> dict:
    """The fields every delivery target has, checked: a name, a URL the worker may reach, and at
    least one event of those ``offered``."""
    if not events or set(events) - set(offered):
        raise ValidationError({"events": [_("Choose at least one of the events offered.")]})
    try:
        outbound.vet(url)
    except outbound.RefusedURL as error:
        raise ValidationError({"url": [str(error)]}) from error
    return {
        "name": clean_text(name, field="name", max_length=80, required=True),
        "url": url,
        "events": sorted(set(events)),
        "is_active": bool(is_active),
    }


def post(item, url: str, body: bytes, headers: dict | None = None) -> None:
    """One attempt at an outbox item that is a POST to a target; the receiver's status code is kept
    for the admins' log. A 2xx answer is success; anything else is tried again later, except a URL
    that is refused (it will not become allowed by waiting)."""
    try:
        response = outbound.post_json(url, body, headers)
    except outbound.UnknownHost as error:
        outbox.finish(item, error=str(error), response_status=None)
        return
    except outbound.RefusedURL as error:
        item.attempts = outbox.MAX_ATTEMPTS
        outbox.finish(item, error=str(error))
        return
    except OSError as error:
        outbox.finish(item, error=str(error) or type(error).__name__, response_status=None)
        return
    if 200 <= response.status < 300:
        outbox.finish(item, response_status=response.status)
    else:
        detail = response.body[:300].decode("utf-8", "replace")
        outbox.finish(item, error=f"HTTP {response.status} {detail}".strip(), response_status=response.status)
