"""Making and revoking personal API tokens (each person their own, in this organization)."""

import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lodestar.api.models import ApiToken, CallCount
from lodestar.audit.services import plain, record
from lodestar.core.errors import NotAllowed
from lodestar.core.scoping import all_organizations
from lodestar.core.tokens import digest
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_text
from lodestar.orgs.models import Membership

TOKEN_START = "lsk_"


@atomic_service
def create_token(*, actor: Membership, name: str, scope: str, expires_on=None) -> tuple[ApiToken, str]:
    """A new token and its full text, which is shown this once and never again."""
    if not actor.is_active:
        raise NotAllowed(_("Only active members can make API tokens."))
    scope = clean_choice(scope, field="scope", choices=ApiToken.Scope)
    if scope == ApiToken.Scope.READ_WRITE and not actor.can_write:
        raise ValidationError({"scope": [_("Viewers can make read-only tokens only.")]})
    if expires_on is not None and expires_on <= actor.organization.today():
        raise ValidationError({"expires_on": [_("Choose a date after today, or none.")]})
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organization_id=actor.organization_id,
        membership=actor,
        name=clean_text(name, field="name", max_length=80, required=True),
        prefix=prefix,
        secret_hash=digest(secret),
        scope=scope,
        expires_on=expires_on,
    )
    record(
        actor.organization_id,
        "api_token.created",
        actor=actor,
        target=token,
        details={"scope": scope, "expires_on": plain(expires_on)},
    )
    return token, f"{TOKEN_START}{prefix}_{secret}"


@atomic_service
def revoke_token(*, actor: Membership, token: ApiToken) -> None:
    if token.membership_id != actor.pk:
        raise NotAllowed(_("You can only revoke your own tokens."))
    revoked = ApiToken.objects.filter(organization_id=actor.organization_id, pk=token.pk, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    if revoked:
        record(actor.organization_id, "api_token.revoked", actor=actor, target=token)


def sweep_call_counts(now) -> None:
    """Forget rate windows older than a day (the longest window a rate can have)."""
    with all_organizations():
        CallCount.objects.filter(window_start__lt=int(now.timestamp()) - 86400).delete()
