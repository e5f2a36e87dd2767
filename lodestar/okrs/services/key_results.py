"""Key results: creating, editing and deleting them, and measuring an estimate into a metric."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.core.events import publish
from lodestar.core.guards import replace_links, require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_number, clean_text
from lodestar.okrs import events, permissions, rollup
from lodestar.okrs.models import CheckIn, CheckInStatus, KeyResult, KeyResultContributor, Objective
from lodestar.okrs.services._common import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    _clean_people,
    _lock_objective,
    _require,
    _stamp_history,
)
from lodestar.orgs.models import Membership
from lodestar.orgs.services import clean_goal_holder

MAX_WEIGHT = 1000


_KEY_RESULT_DEFAULTS = {
    "description": "",
    "start_value": None,
    "target_value": None,
    "threshold_direction": "",
    "unit": "",
    "weight": 1,
    "contributors": (),
}
_KEY_RESULT_FIELDS = ("title", "kind", "owner", *_KEY_RESULT_DEFAULTS)


def _clean_key_result_fields(actor: Membership, fields: dict) -> dict:
    cleaned = dict(fields)
    cleaned["title"] = clean_text(fields["title"], field="title", max_length=TITLE_MAX, required=True)
    cleaned["description"] = clean_text(
        fields["description"], field="description", max_length=DESCRIPTION_MAX, multiline=True
    )
    cleaned["unit"] = clean_text(fields["unit"], field="unit", max_length=30)
    kind = clean_choice(fields["kind"], field="kind", choices=KeyResult.Kind)
    cleaned["owner"] = clean_goal_holder(actor, fields["owner"], "owner")
    cleaned["contributors"] = _clean_people(actor, fields["contributors"], "contributors")
    weight = clean_number(fields["weight"], field="weight").quantize(Decimal("0.01"))
    if weight <= 0 or weight > MAX_WEIGHT:
        raise ValidationError(
            {"weight": [_("Enter a weight of at least 0.01 and at most %(max)d.") % {"max": MAX_WEIGHT}]}
        )
    cleaned["weight"] = weight
    if kind == KeyResult.Kind.METRIC:
        start = clean_number(fields["start_value"], field="start_value")
        target = clean_number(fields["target_value"], field="target_value")
        if start == target:
            raise ValidationError({"target_value": [_("The target must differ from the start value.")]})
        cleaned.update(start_value=start, target_value=target, threshold_direction="")
    elif kind == KeyResult.Kind.THRESHOLD:
        cleaned["target_value"] = clean_number(fields["target_value"], field="target_value")
        if fields["threshold_direction"] not in KeyResult.ThresholdDirection.values:
            raise ValidationError({"threshold_direction": [_("Choose whether to stay above or below the value.")]})
        cleaned["start_value"] = clean_number(fields["start_value"], field="start_value", required=False)
    else:
        cleaned.update(start_value=None, target_value=None, threshold_direction="")
    return cleaned


def _set_key_result_contributors(key_result: KeyResult, contributors) -> None:
    replace_links(
        KeyResultContributor,
        organization_id=key_result.organization_id,
        owner={"key_result": key_result},
        target_field="membership",
        targets=contributors,
    )


@atomic_service
def create_key_result(*, actor: Membership, objective: Objective, title: str, kind: str, owner: Membership, **options):
    unknown = set(options) - set(_KEY_RESULT_DEFAULTS)
    if unknown:
        raise TypeError(f"create_key_result got unknown fields {sorted(unknown)}")
    require_same_organization(actor, objective, owner)
    objective = _lock_objective(actor, objective.pk)
    _require(permissions.can_edit_objective(actor, objective), _("You may not add key results to this objective."))
    fields = {**_KEY_RESULT_DEFAULTS, **options, "title": title, "kind": kind, "owner": owner}
    cleaned = _clean_key_result_fields(actor, fields)
    contributors = cleaned.pop("contributors")
    position = KeyResult.objects.filter(organization_id=actor.organization_id, objective=objective).count()
    key_result = KeyResult(organization_id=actor.organization_id, objective=objective, position=position, **cleaned)
    if key_result.kind == KeyResult.Kind.METRIC:
        key_result.current_value = key_result.start_value
    _stamp_history(key_result, actor)
    key_result.save()
    _set_key_result_contributors(key_result, contributors)
    rollup.refresh_objective_chain(actor.organization_id, objective.pk)
    publish(events.KeyResultAssigned(actor=actor, key_result=key_result))
    return key_result


@atomic_service
def update_key_result(*, actor: Membership, key_result: KeyResult, **changes) -> KeyResult:
    require_same_organization(actor, key_result)
    unknown = set(changes) - set(_KEY_RESULT_FIELDS)
    if unknown:
        raise TypeError(f"update_key_result got unknown fields {sorted(unknown)}")
    key_result = rollup.lock_key_result(actor.organization_id, key_result.pk)
    _require(permissions.can_edit_key_result(actor, key_result), _("You may not edit this key result."))
    current = {field: getattr(key_result, field) for field in _KEY_RESULT_FIELDS if field != "contributors"}
    current["contributors"] = list(key_result.contributors.all())
    fields = {**current, **changes}
    if fields["kind"] != key_result.kind and key_result.check_ins.exists():
        raise ValidationError({"kind": [_("The type of a key result with check-ins cannot change.")]})
    cleaned = _clean_key_result_fields(actor, fields)
    contributors = cleaned.pop("contributors")
    owner_before, contributors_before = key_result.owner_id, {person.pk for person in current["contributors"]}
    for field, value in cleaned.items():
        setattr(key_result, field, value)
    _stamp_history(key_result, actor)
    key_result.save()
    _set_key_result_contributors(key_result, contributors)
    rollup.refresh_after_check_in(key_result)
    publish(
        events.KeyResultAssigned(
            actor=actor,
            key_result=key_result,
            owner_before=owner_before,
            contributors_before=frozenset(contributors_before),
        )
    )
    return key_result


@atomic_service
def delete_key_result(*, actor: Membership, key_result: KeyResult) -> None:
    require_same_organization(actor, key_result)
    key_result = rollup.lock_key_result(actor.organization_id, key_result.pk)
    _require(permissions.can_edit_objective(actor, key_result.objective), _("You may not delete this key result."))
    for check_in in key_result.check_ins.all():
        _stamp_history(check_in, actor)
        check_in.delete()
    _stamp_history(key_result, actor)
    key_result.delete()
    rollup.refresh_objective_chain(actor.organization_id, key_result.objective_id)


@atomic_service
def convert_estimate_to_metric(
    *, actor: Membership, key_result: KeyResult, start_value, target_value, unit: str = "", current_value=None
) -> KeyResult:
    """Turn a gut-feeling estimate into a metric once a baseline is measured. Its estimated check-ins
    stay in its history; a first metric check-in records the baseline (or the current value, when
    given), so progress is measured from then on."""
    require_same_organization(actor, key_result)
    key_result = rollup.lock_key_result(actor.organization_id, key_result.pk)
    _require(permissions.can_edit_key_result(actor, key_result), _("You may not edit this key result."))
    if key_result.kind != KeyResult.Kind.ESTIMATE:
        raise ValidationError({"kind": [_("Only an estimate can be converted into a metric.")]})
    start = clean_number(start_value, field="start_value", required=True)
    target = clean_number(target_value, field="target_value", required=True)
    if start == target:
        raise ValidationError({"target_value": [_("The target must differ from the baseline.")]})
    reading = clean_number(current_value, field="current_value", required=False)
    key_result.kind, key_result.start_value, key_result.target_value = KeyResult.Kind.METRIC, start, target
    key_result.unit = clean_text(unit, field="unit", max_length=30)
    _stamp_history(key_result, actor)
    key_result.save()
    check_in = CheckIn(
        organization_id=actor.organization_id,
        key_result=key_result,
        author=actor,
        value=start if reading is None else reading,
        status=key_result.status if key_result.status in CheckInStatus.values else CheckInStatus.ON_TRACK,
        effective_on=actor.organization.today(),
        comment=_("Baseline measured: converted from an estimate into a metric."),
    )
    _stamp_history(check_in, actor)
    check_in.save()
    rollup.refresh_after_check_in(key_result)
    return key_result
