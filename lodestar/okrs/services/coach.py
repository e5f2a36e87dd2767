"""The coach's findings: dismissing one with a reason, and restoring it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.core.errors import NotFound
from lodestar.core.guards import require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_text
from lodestar.okrs import coach, permissions
from lodestar.okrs.models import CoachDismissal, KeyResult, Objective
from lodestar.okrs.services._common import _lock_objective, _require
from lodestar.orgs.models import Membership


def _coached_target(actor: Membership, objective: Objective, key_result) -> KeyResult | None:
    """Lock the objective a finding is about and check the actor may answer for it: whoever may
    edit the objective, or for a key result's finding also its owner."""
    require_same_organization(actor, objective)
    locked = _lock_objective(actor, objective.pk)
    if not permissions.can_view_objective(actor, locked):
        raise NotFound
    if locked.state == Objective.State.CLOSED:
        raise ValidationError({"rule": [_("The coach no longer reviews a closed objective.")]})
    if key_result is None:
        _require(permissions.can_edit_objective(actor, locked), _("You may not answer the coach for this objective."))
        return None
    require_same_organization(actor, key_result)
    target = KeyResult.objects.filter(organization_id=actor.organization_id, objective=locked, pk=key_result.pk).first()
    if target is None:
        raise ValidationError({"key_result": [_("That key result belongs to another objective.")]})
    target.objective = locked
    _require(permissions.can_edit_key_result(actor, target), _("You may not answer the coach for this key result."))
    return target


@atomic_service
def dismiss_coach_finding(
    *, actor: Membership, objective: Objective, rule: str, reason: str, key_result: KeyResult | None = None
) -> CoachDismissal:
    """Leave a finding as it is, saying why: the coach stops raising it on this objective or key result
    (dismissing it again only changes the reason)."""
    target = _coached_target(actor, objective, key_result)
    if rule not in coach.RULE_TEXTS:
        raise ValidationError({"rule": [_("The coach has no such finding.")]})
    reason = clean_text(reason, field="reason", max_length=CoachDismissal.REASON_MAX, required=True)
    dismissal, _created = CoachDismissal.objects.update_or_create(
        organization_id=actor.organization_id,
        objective=objective,
        key_result=target,
        rule=rule,
        defaults={"reason": reason, "dismissed_by": actor},
    )
    return dismissal


@atomic_service
def restore_coach_finding(*, actor: Membership, objective: Objective, rule: str, key_result=None) -> None:
    """Let the coach raise a dismissed finding again."""
    target = _coached_target(actor, objective, key_result)
    deleted, _counts = CoachDismissal.objects.filter(
        organization_id=actor.organization_id, objective=objective, key_result=target, rule=rule
    ).delete()
    if not deleted:
        raise ValidationError({"rule": [_("This suggestion is not dismissed.")]})
