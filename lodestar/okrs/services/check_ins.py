"""Check-ins: recording one (by a person or from an automatic feed), correcting and deleting it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.core.errors import NotFound
from lodestar.core.events import publish
from lodestar.core.guards import require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_number, clean_text, is_plain_date
from lodestar.okrs import events, permissions, rollup
from lodestar.okrs import progress as math
from lodestar.okrs.models import CheckIn, CheckInStatus, KeyResult, Objective
from lodestar.okrs.services._common import _require, _stamp_history
from lodestar.orgs.models import Membership, Organization

COMMENT_MAX = 5_000


def _clean_reading(key_result: KeyResult, *, value, percent, done) -> dict:
    """Exactly the reading the key result's type takes."""
    kind = key_result.kind
    if kind in (KeyResult.Kind.METRIC, KeyResult.Kind.THRESHOLD):
        return {"value": clean_number(value, field="value"), "percent": None, "done": None}
    if kind == KeyResult.Kind.ESTIMATE:
        percent = clean_number(percent, field="percent")
        if not 0 <= percent <= 100:
            raise ValidationError({"percent": [_("Estimate progress between 0 and 100 %.")]})
        return {"value": None, "percent": percent.quantize(Decimal("0.01")), "done": None}
    if not isinstance(done, bool):
        raise ValidationError({"done": [_("Say whether the milestone is done.")]})
    return {"value": None, "percent": None, "done": done}


def _clean_check_in_fields(organization, key_result: KeyResult, fields: dict, *, automatic: bool = False) -> dict:
    """``automatic``: the status is always computed (a feed's reading says nothing of how it goes)."""
    cleaned = _clean_reading(key_result, value=fields["value"], percent=fields["percent"], done=fields["done"])
    confidence = fields["confidence"]
    if confidence is not None and (isinstance(confidence, bool) or confidence not in range(1, 11)):
        raise ValidationError({"confidence": [_("Confidence is a whole number from 1 to 10.")]})
    cleaned["confidence"] = confidence
    cleaned["comment"] = clean_text(fields["comment"], field="comment", max_length=COMMENT_MAX, multiline=True)
    effective_on = fields["effective_on"] or organization.today()
    if not is_plain_date(effective_on):
        raise ValidationError({"effective_on": [_("Enter a valid date.")]})
    if effective_on > organization.today():
        raise ValidationError({"effective_on": [_("A check-in cannot be dated in the future.")]})
    timeframe = key_result.objective.timeframe
    if effective_on < timeframe.starts_on:
        raise ValidationError(
            {"effective_on": [_("The date is before the timeframe %(name)s starts.") % {"name": timeframe.name}]}
        )
    cleaned["effective_on"] = effective_on
    status = None if automatic else fields["status"]
    if automatic:
        cleaned["status"] = _automatic_status(organization, key_result, cleaned)
        cleaned["status_is_automatic"] = True
    elif status:
        cleaned["status"] = clean_choice(status, field="status", choices=CheckInStatus)
        cleaned["status_is_automatic"] = False
    elif organization.automatic_status:
        cleaned["status"] = _automatic_status(organization, key_result, cleaned)
        cleaned["status_is_automatic"] = True
    else:
        raise ValidationError({"status": [_("Say how it is going: on track, needs attention or off track.")]})
    return cleaned


def _automatic_status(organization, key_result: KeyResult, reading: dict) -> str:
    progress = math.key_result_progress(
        kind=key_result.kind,
        start=key_result.start_value,
        target=key_result.target_value,
        threshold_direction=key_result.threshold_direction,
        value=reading["value"],
        percent=reading["percent"],
        done=reading["done"],
    )
    timeframe = key_result.objective.timeframe
    expected = math.expected_progress(
        starts_on=timeframe.starts_on, ends_on=timeframe.ends_on, on=reading["effective_on"]
    )
    return math.automatic_status(
        progress=progress,
        expected=expected,
        on_track_factor=organization.on_track_factor,
        needs_attention_factor=organization.needs_attention_factor,
    )


_CHECK_IN_DEFAULTS = {
    "value": None,
    "percent": None,
    "done": None,
    "status": None,
    "confidence": None,
    "comment": "",
    "effective_on": None,
}


@atomic_service
def record_check_in(*, actor: Membership, key_result: KeyResult, **reading) -> CheckIn:
    """Record a check-in and roll its effect up the alignment chain in the same transaction.

    ``reading`` takes value (metric, threshold), percent (estimate) or done (milestone), plus
    status, confidence 1–10, comment and effective_on (default: today in the organization's
    time zone). Without a status, automatic status applies when the organization has it on.
    """
    unknown = set(reading) - set(_CHECK_IN_DEFAULTS)
    if unknown:
        raise TypeError(f"record_check_in got unknown fields {sorted(unknown)}")
    require_same_organization(actor, key_result)
    key_result = rollup.lock_key_result(actor.organization_id, key_result.pk)
    _require(permissions.can_check_in(actor, key_result), _("You may not check in on this key result."))
    cleaned = _clean_check_in_fields(actor.organization, key_result, {**_CHECK_IN_DEFAULTS, **reading})
    check_in = CheckIn(organization_id=actor.organization_id, key_result=key_result, author=actor, **cleaned)
    _stamp_history(check_in, actor)
    check_in.save()
    status_before, progress_before = key_result.status, key_result.progress
    rollup.refresh_after_check_in(key_result)
    publish(
        events.CheckInCreated(
            actor=actor, check_in=check_in, status_before=status_before, progress_before=progress_before
        )
    )
    return check_in


@atomic_service
def record_fed_check_in(*, key_result: KeyResult, value, source: str, effective_on=None, comment: str = "") -> CheckIn:
    """A reading from an automatic feed (see feeds.services, which holds the authority: a secret
    URL or a data source set up by someone who may check in). No author; the source is noted;
    the status is the automatic one. ``value`` is the key result's number, its estimated percent,
    or for a milestone any number, 1 or more meaning done."""
    key_result = rollup.lock_key_result(key_result.organization_id, key_result.pk)
    objective = key_result.objective
    if objective.state == Objective.State.CLOSED or objective.timeframe.is_closed:
        raise ValidationError({"value": [_("The key result's objective or timeframe is closed.")]})
    number = clean_number(value, field="value")
    reading = {**_CHECK_IN_DEFAULTS, "comment": comment, "effective_on": effective_on}
    if key_result.kind == KeyResult.Kind.ESTIMATE:
        reading["percent"] = number
    elif key_result.kind == KeyResult.Kind.MILESTONE:
        reading["done"] = number >= 1
    else:
        reading["value"] = number
    organization = Organization.objects.get(pk=key_result.organization_id)
    cleaned = _clean_check_in_fields(organization, key_result, reading, automatic=True)
    check_in = CheckIn(organization_id=organization.pk, key_result=key_result, author=None, source=source, **cleaned)
    check_in.save()
    status_before, progress_before = key_result.status, key_result.progress
    rollup.refresh_after_check_in(key_result)
    publish(
        events.CheckInCreated(
            actor=None, check_in=check_in, status_before=status_before, progress_before=progress_before
        )
    )
    return check_in


def _reload_check_in(actor: Membership, check_in_id: int, key_result: KeyResult) -> CheckIn:
    check_in = CheckIn.objects.filter(
        organization_id=actor.organization_id, key_result=key_result, pk=check_in_id
    ).first()
    if check_in is None:
        raise NotFound
    check_in.key_result = key_result
    return check_in


@atomic_service
def update_check_in(*, actor: Membership, check_in: CheckIn, **changes) -> CheckIn:
    """Correct a check-in; the previous version stays in its history."""
    unknown = set(changes) - set(_CHECK_IN_DEFAULTS)
    if unknown:
        raise TypeError(f"update_check_in got unknown fields {sorted(unknown)}")
    require_same_organization(actor, check_in)
    key_result = rollup.lock_key_result(actor.organization_id, check_in.key_result_id)
    check_in = _reload_check_in(actor, check_in.pk, key_result)
    _require(permissions.can_change_check_in(actor, check_in), _("You may not change this check-in."))
    current = {field: getattr(check_in, field) for field in _CHECK_IN_DEFAULTS}
    if check_in.status_is_automatic and "status" not in changes and actor.organization.automatic_status:
        current["status"] = None  # recomputed from the corrected reading
    cleaned = _clean_check_in_fields(actor.organization, key_result, {**current, **changes})
    for field, value in cleaned.items():
        setattr(check_in, field, value)
    _stamp_history(check_in, actor)
    check_in.save()
    rollup.refresh_after_check_in(key_result)
    return check_in


@atomic_service
def delete_check_in(*, actor: Membership, check_in: CheckIn) -> None:
    """Delete a check-in; it stays in history, and the key result falls back to the previous one."""
    require_same_organization(actor, check_in)
    key_result = rollup.lock_key_result(actor.organization_id, check_in.key_result_id)
    check_in = _reload_check_in(actor, check_in.pk, key_result)
    _require(permissions.can_change_check_in(actor, check_in), _("You may not delete this check-in."))
    _stamp_history(check_in, actor)
    check_in.delete()
    rollup.refresh_after_check_in(key_result)
