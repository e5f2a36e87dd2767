"""The audit log's entries for a person's second factor (allauth.mfa's signals): an authenticator
added or removed, recovery codes renewed. A person's second factor guards every organization they
belong to, so each of their organizations logs it."""

from allauth.mfa import signals
from django.db import transaction

from lodestar.audit.services import record
from lodestar.core.scoping import organization_scope
from lodestar.orgs.models import Organization


def _record_for_each_organization(action: str, *, request, user, authenticator) -> None:
    organizations = list(
        Organization.objects.filter(memberships__user=user, memberships__is_active=True).order_by("pk")
    )
    details = {"kind": authenticator.type}
    name = (authenticator.data or {}).get("name") if authenticator.type == "webauthn" else None
    if name:
        details["name"] = str(name)[:100]
    with transaction.atomic():
        for organization in organizations:
            with organization_scope(organization):
                record(organization, action, actor=user, target=user, details=details, request=request)


def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    _record_for_each_organization("mfa.added", request=request, user=user, authenticator=authenticator)


def on_authenticator_removed(sender, request, user, authenticator, **kwargs) -> None:
    _record_for_each_organization("mfa.removed", request=request, user=user, authenticator=authenticator)


def on_authenticator_reset(sender, request, user, authenticator, **kwargs) -> None:
    _record_for_each_organization("mfa.recovery_codes_renewed", request=request, user=user, authenticator=authenticator)


def connect() -> None:
    signals.authenticator_added.connect(on_authenticator_added, dispatch_uid="lodestar.audit.mfa.added")
    signals.authenticator_removed.connect(on_authenticator_removed, dispatch_uid="lodestar.audit.mfa.removed")
    signals.authenticator_reset.connect(on_authenticator_reset, dispatch_uid="lodestar.audit.mfa.reset")
