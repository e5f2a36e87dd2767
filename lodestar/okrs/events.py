"""What goal changes tell others: the activity feed, chat channels and notifications.

Called by okrs.services inside their transactions, after the change is saved and rolled up."""

from lodestar.activity import services as activity
from lodestar.activity.models import Activity
from lodestar.notifications import services as notifications
from lodestar.notifications.models import Notification
from lodestar.okrs.models import CheckIn, KeyResult, Objective, Status
from lodestar.orgs.models import Membership
from lodestar.webhooks import services as webhooks


def _assigned(actor: Membership, people, role: str, *, objective: Objective, key_result: KeyResult | None = None):
    target = key_result.title if key_result else objective.title
    notifications.notify(
        people,
        Notification.Kind.ASSIGNED,
        actor=actor,
        objective=objective,
        key_result=key_result,
        data={"target": target, "role": role},
    )


def objective_contributors(objective: Objective) -> list[Membership]:
    return list(
        Membership.objects.filter(
            organization_id=objective.organization_id, objective_contributions__objective=objective
        ).select_related("user")
    )


def key_result_contributors(key_result: KeyResult) -> list[Membership]:
    return list(
        Membership.objects.filter(
            organization_id=key_result.organization_id, key_result_contributions__key_result=key_result
        ).select_related("user")
    )


def objective_created(actor: Membership, objective: Objective) -> None:
    activity.record_objective(actor, objective, Activity.Kind.OBJECTIVE_CREATED)
    _assigned(actor, [objective.lead], "lead", objective=objective)
    _assigned(actor, objective_contributors(objective), "contributor", objective=objective)


def objective_changed(actor: Membership, objective: Objective, *, lead_before: int, contributors_before: set[int]):
    if objective.lead_id != lead_before:
        _assigned(actor, [objective.lead], "lead", objective=objective)
    added = [person for person in objective_contributors(objective) if person.pk not in contributors_before]
    _assigned(actor, added, "contributor", objective=objective)


def key_result_assigned(
    actor: Membership, key_result: KeyResult, *, owner_before: int | None = None, contributors_before=frozenset()
) -> None:
    objective = key_result.objective
    if key_result.owner_id != owner_before:
        _assigned(actor, [key_result.owner], "owner", objective=objective, key_result=key_result)
    added = [person for person in key_result_contributors(key_result) if person.pk not in contributors_before]
    _assigned(actor, added, "contributor", objective=objective, key_result=key_result)


def checked_in(actor: Membership | None, check_in: CheckIn, *, status_before: str, progress_before: float) -> None:
    """``actor`` is None for a check-in an automatic feed recorded."""
    key_result = check_in.key_result
    activity.record_check_in(actor, check_in, status_from=status_before, progress_from=progress_before)
    webhooks.check_in_created(check_in)
    if key_result.status == Status.OFF_TRACK and status_before != Status.OFF_TRACK:
        notifications.notify(
            [key_result.owner],
            Notification.Kind.OFF_TRACK,
            actor=actor,
            objective=key_result.objective,
            key_result=key_result,
            data={"target": key_result.title},
        )


def objectives_changed_status(organization_id: int, status_before: dict[int, str]) -> None:
    """Called by the roll-up with {objective id: status before} for objectives whose status moved."""
    for objective in Objective.objects.filter(organization_id=organization_id, pk__in=status_before).order_by("pk"):
        webhooks.objective_status_changed(objective, status_from=status_before[objective.pk])


def objective_closed(actor: Membership, objective: Objective) -> None:
    activity.record_objective(actor, objective, Activity.Kind.OBJECTIVE_CLOSED)
    webhooks.objective_closed(objective)


def close_due(actor: Membership, objectives) -> int:
    """Ask each objective's lead to close it; returns how many were asked (leads who left are not)."""
    asked = 0
    for objective in objectives:
        asked += len(
            notifications.notify(
                [objective.lead],
                Notification.Kind.CLOSE_DUE,
                actor=actor,
                objective=objective,
                data={"target": objective.title},
            )
        )
    return asked
