"""Recording what happened. Called by the goal, KPI and comment services inside their
transactions, so an event exists exactly when the change it describes was saved."""

from lodestar.activity.models import Activity
from lodestar.notifications import chat
from lodestar.orgs.models import Membership


def record(
    actor: Membership | None, kind: str, *, organization_id: int, data: dict | None = None, **targets
) -> Activity:
    """Save one event (``targets``: objective, key_result, check_in, kpi, comment) and queue its
    posts to the chat channels that asked for it."""
    activity = Activity.objects.create(
        organization_id=organization_id, actor=actor, kind=kind, data=data or {}, **targets
    )
    chat.queue_posts(activity)
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
