"""Who may see and change goals: the brief's role rules in one place.

- owner/admin: everything, including closed timeframes;
- member: creates and edits their own goals and those of groups they belong to or
  lead; checks in on what they own or contribute to; group leads also check in on
  their groups' key results;
- viewer (and deactivated people): read-only;
- private objectives are seen only by their lead, contributors, key result owners and
  contributors, members of their owning groups, and admins;
- a closed timeframe or closed objective is read-only for everyone but admins.
"""

from lodestar.okrs.models import CheckIn, KeyResult, Objective, Timeframe
from lodestar.orgs.models import Membership
from lodestar.orgs.permissions import group_ids


def _same_org(actor: Membership, obj) -> bool:
    return obj.organization_id == actor.organization_id


def can_write_in_timeframe(actor: Membership, timeframe: Timeframe) -> bool:
    return actor.can_write and _same_org(actor, timeframe) and (actor.is_admin or not timeframe.is_closed)


def objective_open_for(actor: Membership, objective: Objective) -> bool:
    """Whether the actor may still write in the objective's cycle: not closed (or an admin)."""
    if not can_write_in_timeframe(actor, objective.timeframe):
        return False
    return actor.is_admin or objective.state != Objective.State.CLOSED


def can_view_objective(actor: Membership, objective: Objective) -> bool:
    if not _same_org(actor, objective):
        return False
    if not objective.is_private or actor.is_admin or objective.lead_id == actor.pk:
        return True
    member_of, _ = group_ids(actor)
    if member_of & {link.group_id for link in objective.objective_groups.all()}:
        return True
    if any(link.membership_id == actor.pk for link in objective.objective_contributors.all()):
        return True
    return (
        objective.key_results.filter(owner=actor).exists()
        or objective.key_results.filter(key_result_contributors__membership=actor).exists()
    )


def can_create_objective(actor: Membership, *, level: str, owning_group_ids: set[int], lead: Membership) -> bool:
    """Company objectives: admins. Group objectives: people in one of the owning groups.
    Personal objectives: for yourself, or as the person's manager."""
    if not actor.can_write:
        return False
    if actor.is_admin:
        return True
    if level == Objective.Level.COMPANY:
        return False
    if level == Objective.Level.GROUP:
        member_of, _ = group_ids(actor)
        return bool(member_of & set(owning_group_ids))
    return lead.pk == actor.pk or lead.manager_id == actor.pk


def can_edit_objective(actor: Membership, objective: Objective) -> bool:
    if not objective_open_for(actor, objective) or not can_view_objective(actor, objective):
        return False
    if actor.is_admin or objective.lead_id == actor.pk:
        return True
    if objective.level == Objective.Level.GROUP:
        member_of, _ = group_ids(actor)
        return bool(member_of & {link.group_id for link in objective.objective_groups.all()})
    if objective.level == Objective.Level.PERSONAL:
        return objective.lead.manager_id == actor.pk
    return False


def can_edit_key_result(actor: Membership, key_result: KeyResult) -> bool:
    """Whoever may edit the objective, and the key result's owner."""
    if can_edit_objective(actor, key_result.objective):
        return True
    return objective_open_for(actor, key_result.objective) and key_result.owner_id == actor.pk


def can_check_in(actor: Membership, key_result: KeyResult) -> bool:
    objective = key_result.objective
    if not objective_open_for(actor, objective):
        return False
    if actor.is_admin or actor.pk in (key_result.owner_id, objective.lead_id):
        return True
    if any(link.membership_id == actor.pk for link in key_result.key_result_contributors.all()):
        return True
    if any(link.membership_id == actor.pk for link in objective.objective_contributors.all()):
        return True
    _, leads = group_ids(actor)
    return bool(leads & {link.group_id for link in objective.objective_groups.all()})


def can_change_check_in(actor: Membership, check_in: CheckIn) -> bool:
    """Editing or deleting a check-in: its author (while they may still check in), the objective's lead, admins."""
    key_result = check_in.key_result
    if not objective_open_for(actor, key_result.objective):
        return False
    if actor.is_admin or key_result.objective.lead_id == actor.pk:
        return True
    return check_in.author_id == actor.pk and can_check_in(actor, key_result)


def can_edit_initiative(actor: Membership, initiative, key_results) -> bool:
    """Its owner (while they may write), and whoever may check in on one of its key results
    (``key_results``, with their objectives and contributors loaded): the people doing the work."""
    if not actor.can_write or initiative.organization_id != actor.organization_id:
        return False
    if actor.is_admin:
        return True
    if key_results and not any(objective_open_for(actor, key_result.objective) for key_result in key_results):
        return False  # the work of a closed cycle is read-only like its goals
    return initiative.owner_id == actor.pk or any(can_check_in(actor, key_result) for key_result in key_results)
