"""Timeframes: creating, changing and deleting them, marking the current one, and their lifecycle."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.core.guards import require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_text, is_plain_date
from lodestar.okrs import closing
from lodestar.okrs.models import Objective, Timeframe
from lodestar.okrs.services._common import _require, _stamp_history
from lodestar.orgs.models import Membership, Organization


def _clean_timeframe_fields(*, name, kind, starts_on, ends_on, state) -> dict:
    name = clean_text(name, field="name", max_length=80, required=True)
    clean_choice(kind, field="kind", choices=Timeframe.Kind)
    clean_choice(state, field="state", choices=Timeframe.State)
    if not (is_plain_date(starts_on) and is_plain_date(ends_on)):
        raise ValidationError({"starts_on": [_("Enter valid dates.")]})
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": [_("The end date must be after the start date.")]})
    if starts_on.year < 1900 or ends_on.year > 2200:
        raise ValidationError({"starts_on": [_("Enter dates between the years 1900 and 2200.")]})
    return {"name": name, "kind": kind, "starts_on": starts_on, "ends_on": ends_on, "state": state}


def _ensure_unique_timeframe_name(actor, name, exclude_pk=None) -> None:
    clash = Timeframe.objects.filter(organization_id=actor.organization_id, name__iexact=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": [_("A timeframe with this name already exists.")]})


@atomic_service
def create_timeframe(
    *, actor: Membership, name: str, starts_on, ends_on, kind=Timeframe.Kind.QUARTER, state=Timeframe.State.PLANNING
) -> Timeframe:
    _require(actor.is_admin, _("Only admins can manage timeframes."))
    fields = _clean_timeframe_fields(name=name, kind=kind, starts_on=starts_on, ends_on=ends_on, state=state)
    _ensure_unique_timeframe_name(actor, fields["name"])
    timeframe = Timeframe(organization_id=actor.organization_id, **fields)
    _stamp_history(timeframe, actor)
    timeframe.save()
    return timeframe


@atomic_service
def update_timeframe(*, actor: Membership, timeframe: Timeframe, **changes) -> Timeframe:
    require_same_organization(actor, timeframe)
    _require(actor.is_admin, _("Only admins can manage timeframes."))
    current = {f: getattr(timeframe, f) for f in ("name", "kind", "starts_on", "ends_on", "state")}
    unknown = set(changes) - set(current)
    if unknown:
        raise TypeError(f"update_timeframe got unknown fields {sorted(unknown)}")
    fields = _clean_timeframe_fields(**{**current, **changes})
    _ensure_unique_timeframe_name(actor, fields["name"], exclude_pk=timeframe.pk)
    if fields["state"] != current["state"] and not closing.can_change_timeframe_state(
        current["state"], fields["state"]
    ):
        raise ValidationError({"state": [_lifecycle_refusal(current["state"], fields["state"])]})
    for field, value in fields.items():
        setattr(timeframe, field, value)
    _stamp_history(timeframe, actor)
    timeframe.save()
    return timeframe


@atomic_service
def delete_timeframe(*, actor: Membership, timeframe: Timeframe) -> None:
    """Remove a timeframe that holds no objectives (one that does is closed instead, to keep them)."""
    require_same_organization(actor, timeframe)
    _require(actor.is_admin, _("Only admins can manage timeframes."))
    if Objective.objects.filter(organization_id=actor.organization_id, timeframe=timeframe).exists():
        raise ValidationError(
            {"timeframe": [_("This timeframe holds objectives: close it instead, or move them first.")]}
        )
    Timeframe.objects.filter(organization_id=actor.organization_id, pk=timeframe.pk).delete()


@atomic_service
def mark_current_timeframe(*, actor: Membership, timeframe: Timeframe) -> Timeframe:
    """Pages open on the current timeframe unless another is chosen; an organization has at most one."""
    require_same_organization(actor, timeframe)
    _require(actor.is_admin, _("Only admins can manage timeframes."))
    # Serialise switches within the organization, so that two admins marking different timeframes
    # at once queue up instead of one of them failing on the one-current constraint.
    Organization.objects.select_for_update().filter(pk=actor.organization_id).first()
    timeframes = Timeframe.objects.filter(organization_id=actor.organization_id)
    timeframes.filter(is_current=True).exclude(pk=timeframe.pk).update(is_current=False)
    timeframes.filter(pk=timeframe.pk).update(is_current=True)
    timeframe.is_current = True
    return timeframe


def _lifecycle_refusal(current: str, new: str) -> str:
    return _("A timeframe cannot go from “%(current)s” to “%(new)s”.") % {
        "current": Timeframe.State(current).label,
        "new": Timeframe.State(new).label,
    }


@atomic_service
def change_timeframe_state(*, actor: Membership, timeframe: Timeframe, state: str) -> Timeframe:
    """Move a timeframe along planning → active → closing → closed (see closing.TIMEFRAME_TRANSITIONS).
    Reopening a closed timeframe is an admin's action like every change here; its history records who."""
    require_same_organization(actor, timeframe)
    _require(actor.is_admin, _("Only admins can manage timeframes."))
    clean_choice(state, field="state", choices=Timeframe.State)
    timeframe = Timeframe.objects.select_for_update().get(organization_id=actor.organization_id, pk=timeframe.pk)
    if not closing.can_change_timeframe_state(timeframe.state, state):
        raise ValidationError({"state": [_lifecycle_refusal(timeframe.state, state)]})
    timeframe.state = state
    _stamp_history(timeframe, actor)
    timeframe.save(update_fields=["state"])
    return timeframe
