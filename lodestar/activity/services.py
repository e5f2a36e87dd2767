"""Recording what happened, in the transaction of the change it describes (activity.listeners
call these for the goal and comment events), so an event exists exactly when its change was saved."""

from lodestar.activity.events import ActivityRecorded, ActivityRetold
from lodestar.activity.models import Activity
from lodestar.core.events import publish
from lodestar.orgs.models import Membership

EXCERPT_IN_FEED = 200


def record(
    actor: Membership | None, kind: str, *, organization_id: int, data: dict | None = None, **targets
) -> Activity:
    """Save one event (``targets``: objective, key_result, check_in, kpi, comment) and publish it
    (chat channels that asked for it post it)."""
    activity = Activity.objects.create(
        organization_id=organization_id, actor=actor, kind=kind, data=data or {}, **targets
    )
    publish(ActivityRecorded(activity=activity))
    return activity


def record_check_in(actor: Membership | None, check_in, *, status_from: str, progress_from: float) -> Activity:
    key_result = check_in.key_result
    return record(
        actor,
        Activity.Kind.CHECK_IN,
        organization_id=key_result.organization_id,
        objective=key_result.objective,
        key_result=key_result,
        check_in=check_in,
        data={
            "objective": key_result.objective.title,
            "key_result": key_result.title,
            "progress_from": progress_from,
            "progress_to": key_result.progress,
            "status_from": status_from,
            "status_to": key_result.status,
            "comment": check_in.comment[:500],
            "source": check_in.source,
        },
    )


def record_objective(actor: Membership, objective, kind: str) -> Activity:
    data = {"objective": objective.title, "level": objective.level, "state": objective.state}
    if objective.score is not None:
        data.update(score=str(objective.score), outcome=objective.outcome)
    return record(actor, kind, organization_id=objective.organization_id, objective=objective, data=data)


def record_comment(actor: Membership, comment, *, target: str, excerpt: str) -> Activity:
    targets = {"objective": comment.objective, "key_result": comment.key_result, "kpi": comment.kpi}
    if comment.check_in_id:
        targets["check_in"] = comment.check_in
    return record(
        actor,
        Activity.Kind.COMMENT,
        organization_id=comment.organization_id,
        comment=comment,
        data={"target": target, "excerpt": excerpt[:EXCERPT_IN_FEED]},
        **targets,
    )


def retell_comment(comment, *, excerpt: str) -> None:
    """The feed says what an edited comment says now."""
    for activity in Activity.objects.filter(organization_id=comment.organization_id, comment=comment):
        activity.data = {**activity.data, "excerpt": excerpt[:EXCERPT_IN_FEED]}
        activity.save(update_fields=["data"])
        publish(ActivityRetold(activity=activity))
