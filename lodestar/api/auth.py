"""Who calls the API: a personal token (``Authorization: Bearer lsk_…``). The token names the
organization; every operation then runs inside that organization's scope and the person's
language, exactly as a page does behind the organization middleware."""

import functools
import hmac

from django.utils import timezone, translation
from ninja.security import HttpBearer

from lodestar.api.models import ApiToken
from lodestar.api.services import TOKEN_START, digest
from lodestar.core.scoping import all_organizations, organization_scope


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        if not token.startswith(TOKEN_START) or token.count("_") < 2:
            return None
        prefix, _, secret = token.removeprefix(TOKEN_START).partition("_")
        # The one lookup before an organization is known: by the token's unique prefix.
        with all_organizations():
            found = (
                ApiToken.objects.select_related("membership__user", "membership__organization")
                .filter(prefix=prefix)
                .first()
            )
        if found is None or not hmac.compare_digest(found.secret_hash, digest(secret)):
            return None
        membership = found.membership
        if not membership.is_active or not found.is_usable(membership.organization.today()):
            return None
        with all_organizations():
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.api_token = found
        return membership


def in_organization(view):
    """Run an operation in the caller's organization scope and language."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = request.auth
        with organization_scope(membership.organization), translation.override(membership.language):
            return view(request, *args, **kwargs)

    return wrapper
