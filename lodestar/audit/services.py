"""Writing the audit log. Call ``record`` inside the service's transaction, after the change."""

from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest

from lodestar.audit.actions import ACTIONS
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
    address (behind the configured proxies) and user agent."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: add it to lodestar/audit/actions.py")
    user = getattr(actor, "user", actor)
    return AuditEvent.objects.create(
        organization=organization,
        actor=user,
        actor_label=_actor_label(user),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[:300],
        details=details or {},
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
