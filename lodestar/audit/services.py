"""Writing the audit log. Call ``record`` inside the service's transaction, after the change."""

import datetime
from urllib.parse import urlsplit

from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model
from django.http import HttpRequest

from lodestar.audit.actions import ACTIONS
from lodestar.audit.middleware import current_request
from lodestar.audit.models import AuditEvent


def record(
    organization,
    action: str,
    *,
    actor=None,
    target=None,
    target_label: str = "",
    details: dict | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Log ``action`` (a dotted code such as ``"member.role_changed"``, see ``actions.py``).

    ``actor`` is a user, a membership or None (the system); ``target`` any model instance (its
    ``str`` is kept as the label unless ``target_label`` is given); ``request`` supplies the client
    address (behind the configured proxies) and user agent — without it, the request being answered
    (``lodestar.audit.middleware``), so services need not pass it down. ``organization`` is an
    Organization or its id."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: add it to lodestar/audit/actions.py")
    if request is None:
        request = current_request()
    user = getattr(actor, "user", actor)
    # An integration acting without a person (orgs.actors.SystemActor) is named by its label.
    label = _actor_label(user) if user is not None else (str(actor) if actor is not None else "")
    return AuditEvent.objects.create(
        organization_id=getattr(organization, "pk", organization),
        actor=user,
        actor_label=label[:300],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[:300],
        # A system actor (orgs.actors.SystemActor, e.g. SCIM) says which integration acted.
        details={**getattr(actor, "audit_details", {}), **(details or {})},
        ip_address=_client_ip(request),
        user_agent=request.headers.get("User-Agent", "")[:300] if request is not None else "",
    )


def _actor_label(user) -> str:
    if user is None:
        return ""
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{name} <{user.email}>" if name else user.email


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    try:
        return get_adapter(request).get_client_ip(request)
    except (ImproperlyConfigured, PermissionDenied):  # a short forwarded header must not fail the change
        return None


# --- details ----------------------------------------------------------------------------------


def plain(value):
    """A value as the log keeps it: a person or group by name (the row outlives them), a date as
    ISO text, a choice by its code (the page translates it)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def as_changes(changes: dict) -> dict:
    """``{field: (before, after)}`` as the log's details: ``{"field": [before, after]}``."""
    return {field: [plain(before), plain(after)] for field, (before, after) in changes.items()}


def changes_between(before: dict, after: dict) -> dict:
    """The details of a change from one snapshot of fields to the next: the fields that differ."""
    return {
        field: [plain(before.get(field)), plain(value)] for field, value in after.items() if before.get(field) != value
    }


def host_of(url: str) -> str:
    """Where a URL points, without its path or query: a chat channel's or webhook's URL often holds
    its secret, which the log must not keep."""
    try:
        return urlsplit(url or "").hostname or ""
    except ValueError:
        return ""
