"""Who calls the API: a personal token (``Authorization: Bearer lsk_…``), or a signed-in browser
session (the UI's own calls: CSRF-checked, the organization named by the
``X-Lodestar-Organization`` header unless the person belongs to just one). Either way the caller
is a membership; every operation then runs inside that organization's scope and the person's
language, exactly as a page does behind the organization middleware."""

import datetime
import functools

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle

from lodestar.api.models import ApiToken, CallCount
from lodestar.api.services import TOKEN_START
from lodestar.core.errors import NotAllowed
from lodestar.core.rates import parse_rate
from lodestar.core.scoping import all_organizations, organization_scope
from lodestar.core.tokens import matches
from lodestar.orgs.models import Membership

ORGANIZATION_HEADER = "X-Lodestar-Organization"
# "Last used" is shown to the minute: a token in steady use costs no write per call.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        if not token.startswith(TOKEN_START) or token.count("_") < 2:
            return None
        prefix, _separator, secret = token.removeprefix(TOKEN_START).partition("_")
        # The one lookup before an organization is known: by the token's unique prefix.
        with all_organizations():
            found = (
                ApiToken.objects.select_related("membership__user", "membership__organization")
                .filter(prefix=prefix)
                .first()
            )
        if found is None or not matches(found.secret_hash, secret):
            return None
        membership = found.membership
        if not (membership.is_active and membership.user.is_active):
            # The secret was right, so its holder may hear why: the person it acts for may not sign in.
            raise AuthenticationError(message=_("The account of this token is disabled or no longer a member here."))
        if not found.is_usable(membership.organization.today()):
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
            with all_organizations():
                ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.api_token = found
        return membership


class BrowserSessionAuth(APIKeyCookie):
    """The signed-in person of the browser; ninja checks the CSRF token on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "The session cookie of a signed-in browser, with the CSRF token on writes."

    def _get_key(self, request):
        # No session cookie, no session call: a token call that failed stays a 401, not a CSRF 403.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        if not key or not request.user.is_authenticated:
            return None
        slug = request.headers.get(ORGANIZATION_HEADER, "")
        # Before an organization is known: the person's own memberships, by user.
        with all_organizations():
            memberships = Membership.objects.select_related("user", "organization").filter(
                user=request.user, is_active=True
            )
            if slug:
                memberships = memberships.filter(organization__slug=slug)
            found = list(memberships[:2])
        if len(found) != 1:
            return None
        request.api_token = None
        return found[0]


class PerCallerThrottle(BaseThrottle):
    """``LODESTAR_API_RATE`` calls (e.g. "600/min") per token, or per person for browser calls,
    in fixed windows. Counted in the database so the limit holds across worker processes: one
    atomic upsert per call (Django's database cache took eleven queries and loses counts
    under concurrency)."""

    def allow_request(self, request) -> bool:
        membership = request.auth
        token = request.api_token
        caller = f"token:{token.pk}" if token is not None else f"person:{membership.pk}"
        return count_call(membership.organization_id, caller)

    def wait(self) -> float:
        """Seconds to the next window (ninja sends it as Retry-After): from the clock, as one
        throttle serves every thread."""
        return float(seconds_to_next_window())


COUNT_CALL = f"""
    INSERT INTO {CallCount._meta.db_table} (organization_id, caller, window_start, calls) VALUES (%s, %s, %s, 1)
    ON CONFLICT (organization_id, caller, window_start) DO UPDATE SET calls = {CallCount._meta.db_table}.calls + 1
    RETURNING calls
"""


def count_call(organization_id: int, caller: str) -> bool:
    """Count one call of ``caller`` in the current window; True while within the rate."""
    allowed, seconds = parse_rate(settings.LODESTAR_API_RATE)
    now = int(timezone.now().timestamp())
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A count lost in a crash is harmless; not waiting for the disk keeps a call cheap.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(COUNT_CALL, [organization_id, caller, now - now % seconds])
        (calls,) = cursor.fetchone()
    return calls <= allowed


def seconds_to_next_window() -> int:
    _allowed, seconds = parse_rate(settings.LODESTAR_API_RATE)
    return seconds - int(timezone.now().timestamp()) % seconds


def _in_scope(view, *, write: bool):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = request.auth
        with organization_scope(membership.organization), translation.override(membership.language):
            token = request.api_token
            if write and token is not None and not token.can_write:
                raise NotAllowed(_("This token may only read: make a read-and-write token to change data."))
            return view(request, *args, **kwargs)

    return wrapper


def reads(view):
    """Run a reading operation in the caller's organization scope and language (outermost
    decorator: a page is cut from the queryset inside the scope)."""
    return _in_scope(view, write=False)


def writes(view):
    """Like ``reads``, and refuse a read-only token."""
    return _in_scope(view, write=True)
