"""Setting up feeds (whoever may check in on the key result, or change the KPI) and recording
what they bring.

A pushed value is authorised by the feed's secret URL; a polled one by the data source its
creator chose. Polls record a value when it changed, or when the feed last recorded a week ago
(so a steady figure still counts as this week's check-in); a pushed value is always recorded.
"""

import datetime
import logging
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lodestar.audit.services import host_of, record
from lodestar.core import outbound
from lodestar.core.errors import NotAllowed, NotFound, as_id
from lodestar.core.guards import require_same_organization
from lodestar.core.scoping import all_organizations, organization_scope
from lodestar.core.tokens import digest, matches
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_number, clean_text
from lodestar.feeds import reading, tasks
from lodestar.feeds.models import Feed
from lodestar.kpis import services as kpis
from lodestar.kpis.models import KPI
from lodestar.kpis.permissions import can_change_kpi
from lodestar.okrs import permissions as okr_permissions
from lodestar.okrs import services as okrs
from lodestar.okrs.access import access_key_result
from lodestar.orgs.models import Membership

logger = logging.getLogger(__name__)
URL_START = "lsf_"
STEADY_RECORD_AFTER = datetime.timedelta(days=7)


def may_manage(actor: Membership, target) -> bool:
    if isinstance(target, KPI):
        return can_change_kpi(actor, target)
    return okr_permissions.can_check_in(actor, target)


def _require_manage(actor: Membership, target) -> None:
    require_same_organization(actor, target)
    if not may_manage(actor, target):
        raise NotAllowed(_("Only those who may update it can set up its automatic updates."))


def _target_fields(target) -> dict:
    return {"kpi": target} if isinstance(target, KPI) else {"key_result": target}


@atomic_service
def create_push_feed(*, actor: Membership, target, name: str) -> tuple[Feed, str]:
    """A secret URL for the key result or KPI; its token is returned this once (stored hashed)."""
    _require_manage(actor, target)
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(24)
    feed = Feed.objects.create(
        organization_id=actor.organization_id,
        kind=Feed.Kind.PUSH,
        name=clean_text(name, field="name", max_length=80, required=True),
        prefix=prefix,
        secret_hash=digest(secret),
        created_by=actor,
        **_target_fields(target),
    )
    _record_created(actor, feed)
    return feed, f"{URL_START}{prefix}_{secret}"


def _record_created(actor: Membership, feed: Feed) -> None:
    """The audit row of a new feed: its kind and what it updates (not the key result's title, which
    may be private), and for a data source the host it polls."""
    details = {"kind": feed.kind, "updates": "kpi" if feed.kpi_id else "key_result"}
    if feed.url:
        details["url"] = host_of(feed.url)
    record(actor.organization_id, "feed.created", actor=actor, target=feed, details=details)


@atomic_service
def create_poll_feed(
    *, actor: Membership, target, name: str, url: str, format: str, field_path: str, every_minutes: int
) -> Feed:
    """A data source polled from now on, first at once."""
    _require_manage(actor, target)
    try:
        outbound.vet(url)
    except outbound.RefusedURL as error:
        raise ValidationError({"url": [str(error)]}) from error
    if every_minutes not in Feed.Every.values:
        raise ValidationError({"every_minutes": [_("Select one of the offered choices.")]})
    feed = Feed.objects.create(
        organization_id=actor.organization_id,
        kind=Feed.Kind.POLL,
        name=clean_text(name, field="name", max_length=80, required=True),
        url=url,
        format=clean_choice(format, field="format", choices=Feed.Format),
        field_path=clean_text(field_path, field="field_path", max_length=200, required=True),
        every_minutes=every_minutes,
        next_poll_at=timezone.now(),
        created_by=actor,
        **_target_fields(target),
    )
    _record_created(actor, feed)
    tasks.enqueue_polls()
    return feed


def access_feed(actor: Membership, feed_id) -> Feed:
    """A feed of the actor's organization on a key result they may see, or on a KPI (else 404)."""
    feed = Feed.objects.filter(organization_id=actor.organization_id, pk=as_id(feed_id)).select_related("kpi").first()
    if feed is None:
        raise NotFound
    if feed.key_result_id:
        feed.key_result = access_key_result(actor, feed.key_result_id)
    return feed


def feed_target(feed: Feed):
    return feed.kpi if feed.kpi_id else feed.key_result


@atomic_service
def delete_feed(*, actor: Membership, feed: Feed) -> None:
    _require_manage(actor, feed_target(feed))
    deleted, _kinds = Feed.objects.filter(organization_id=actor.organization_id, pk=feed.pk).delete()
    if deleted:
        record(actor.organization_id, "feed.revoked", actor=actor, target=feed, details={"kind": feed.kind})


@atomic_service
def poll_soon(*, actor: Membership, feed: Feed) -> None:
    """Poll now instead of at the next scheduled time."""
    _require_manage(actor, feed_target(feed))
    if feed.kind != Feed.Kind.POLL:
        raise ValidationError(_("Only a data source is polled."))
    Feed.objects.filter(organization_id=actor.organization_id, pk=feed.pk).update(next_poll_at=timezone.now())
    tasks.enqueue_polls()


# --- recording ---------------------------------------------------------------------------------


def _record(feed: Feed, value, *, effective_on=None, comment: str = ""):
    if feed.kpi_id:
        return kpis.record_fed_kpi_value(
            kpi=feed.kpi, value=value, source=feed.source_text(), recorded_on=effective_on, comment=comment
        )
    return okrs.record_fed_check_in(
        key_result=feed.key_result, value=value, source=feed.source_text(), effective_on=effective_on, comment=comment
    )


def _typed_number(value):
    """A number as a tool sends it: a JSON number, or text like "1,234.5" or "42 %"."""
    if isinstance(value, str):
        try:
            value = reading.number(value, "value")
        except reading.Unreadable as error:
            raise ValidationError({"value": [str(error)]}) from None
    return clean_number(value, field="value")


def _remember(feed: Feed, **fields) -> None:
    Feed.objects.filter(organization_id=feed.organization_id, pk=feed.pk).update(**fields)


def creator_refusal(feed: Feed) -> str:
    """Why the feed records nothing now, or "". A feed acts on its creator's authority: once that
    person is deactivated here, their account disabled, or gone, it stops (and starts again when
    they are reactivated)."""
    creator = feed.created_by
    if creator is not None and creator.is_active and creator.user.is_active:
        return ""
    return _(
        "The person who set up this feed is no longer active here, so it records nothing: whoever may "
        "update the goal can set up a new one."
    )


def find_push_feed(token: str) -> Feed | None:
    """The feed a secret URL's token names, or None (wrong, deleted, or not a token at all)."""
    if not token.startswith(URL_START) or token.count("_") < 2:
        return None
    prefix, _separator, secret = token.removeprefix(URL_START).partition("_")
    # The one lookup before an organization is known: by the token's unique prefix.
    with all_organizations():
        feed = (
            Feed.objects.select_related("organization", "created_by__user")
            .filter(prefix=prefix, kind=Feed.Kind.PUSH)
            .first()
        )
    if feed is None or not matches(feed.secret_hash, secret):
        return None
    return feed


def record_pushed(feed: Feed, *, value, effective_on=None, comment: str = ""):
    """A value sent to the feed's secret URL; a refused value is kept as the feed's last failure."""
    with organization_scope(feed.organization):
        now = timezone.now()
        refusal = creator_refusal(feed)
        if refusal:
            _remember(feed, last_error=refusal, last_error_at=now)
            raise NotAllowed(refusal)
        try:
            number = _typed_number(value)
            recorded = _record(feed, number, effective_on=effective_on, comment=comment)
        except ValidationError as error:
            _remember(feed, last_error=" ".join(error.messages)[:2000], last_error_at=now)
            raise
        _remember(feed, last_value=number, last_success_at=now, last_recorded_at=now, last_error="")
        return recorded


def claim_due_feed(now: datetime.datetime) -> Feed | None:
    """The next data source due, its next poll moved on so no other worker takes it too."""
    with all_organizations(), transaction.atomic():
        feed = (
            Feed.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("organization", "created_by__user")
            .filter(kind=Feed.Kind.POLL, next_poll_at__lte=now)
            .order_by("next_poll_at", "pk")
            .first()
        )
        if feed is None:
            return None
        feed.next_poll_at = now + datetime.timedelta(minutes=feed.every_minutes)
        feed.save(update_fields=["next_poll_at"])
    return feed


def poll(feed: Feed) -> None:
    """Fetch the data source, read the value, record it when due; any failure is kept on the feed."""
    with organization_scope(feed.organization):
        now = timezone.now()
        refusal = creator_refusal(feed)
        if refusal:  # not even fetched: the request would go out on the authority of nobody
            _remember(feed, last_error=refusal, last_error_at=now)
            return
        try:
            response = outbound.get(feed.url)
            if not 200 <= response.status < 300:
                raise OSError(_("The data source answered HTTP %(status)s.") % {"status": response.status})
            value = clean_number(
                reading.value_at(response.body, format=feed.format, field_path=feed.field_path), field="value"
            )
            steady = feed.last_value is not None and value == feed.last_value
            if steady and feed.last_recorded_at and now - feed.last_recorded_at < STEADY_RECORD_AFTER:
                _remember(feed, last_success_at=now, last_error="")
                return
            _record(feed, value)
        except (OSError, outbound.RefusedURL, reading.Unreadable) as error:
            _remember(feed, last_error=str(error)[:2000] or type(error).__name__, last_error_at=now)
            return
        except ValidationError as error:
            _remember(feed, last_error=" ".join(error.messages)[:2000], last_error_at=now)
            return
        except Exception:  # whatever it was, the feed says so and the worker goes on to the next one
            logger.exception("Polling feed %s failed", feed.pk)
            _remember(
                feed,
                last_error=_("Polling failed unexpectedly; the administrators can see why in the log."),
                last_error_at=now,
            )
            return
        _remember(feed, last_value=value, last_success_at=now, last_recorded_at=now, last_error="")
