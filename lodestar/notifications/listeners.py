"""What notifications and chat channels do with the goal, comment and activity events
(subscribed in NotificationsConfig.ready): tell people what concerns them, and post the feed's
events to the channels that asked for them."""

from lodestar.activity.events import ActivityRecorded, ActivityRetold
from lodestar.conversations import markdown
from lodestar.conversations.events import CommentEdited, CommentPosted
from lodestar.conversations.services import involved, target_title
from lodestar.core.events import subscribe
from lodestar.notifications import chat
from lodestar.notifications.models import Notification
from lodestar.notifications.services import notify
from lodestar.okrs.events import CheckInCreated, KeyResultAssigned, ObjectiveChanged, ObjectiveCreated
from lodestar.okrs.models import KeyResult, Objective, Status
from lodestar.orgs.models import Membership

EXCERPT_IN_NOTIFICATIONS = 300


def _assigned(actor: Membership, people, role: str, *, objective: Objective, key_result: KeyResult | None = None):
    target = key_result.title if key_result else objective.title
    notify(
        people,
        Notification.Kind.ASSIGNED,
        actor=actor,
        objective=objective,
        key_result=key_result,
        data={"target": target, "role": role},
    )


def _objective_contributors(objective: Objective) -> list[Membership]:
    return list(
        Membership.objects.filter(
            organization_id=objective.organization_id, objective_contributions__objective=objective
        ).select_related("user")
    )


def _key_result_contributors(key_result: KeyResult) -> list[Membership]:
    return list(
        Membership.objects.filter(
            organization_id=key_result.organization_id, key_result_contributions__key_result=key_result
        ).select_related("user")
    )


def objective_created(event: ObjectiveCreated) -> None:
    objective = event.objective
    _assigned(event.actor, [objective.lead], "lead", objective=objective)
    _assigned(event.actor, _objective_contributors(objective), "contributor", objective=objective)


def objective_changed(event: ObjectiveChanged) -> None:
    objective = event.objective
    if objective.lead_id != event.lead_before:
        _assigned(event.actor, [objective.lead], "lead", objective=objective)
    added = [person for person in _objective_contributors(objective) if person.pk not in event.contributors_before]
    _assigned(event.actor, added, "contributor", objective=objective)


def key_result_assigned(event: KeyResultAssigned) -> None:
    key_result = event.key_result
    objective = key_result.objective
    if key_result.owner_id != event.owner_before:
        _assigned(event.actor, [key_result.owner], "owner", objective=objective, key_result=key_result)
    added = [person for person in _key_result_contributors(key_result) if person.pk not in event.contributors_before]
    _assigned(event.actor, added, "contributor", objective=objective, key_result=key_result)


def checked_in(event: CheckInCreated) -> None:
    """The owner hears when their key result turns off track (not again while it stays so)."""
    key_result = event.check_in.key_result
    if key_result.status == Status.OFF_TRACK and event.status_before != Status.OFF_TRACK:
        notify(
            [key_result.owner],
            Notification.Kind.OFF_TRACK,
            actor=event.actor,
            objective=key_result.objective,
            key_result=key_result,
            data={"target": key_result.title},
        )


def _comment_notice(comment) -> dict:
    return {
        "data": {
            "target": target_title(comment),
            "excerpt": markdown.plain_text(comment.body)[:EXCERPT_IN_NOTIFICATIONS],
        },
        "comment": comment,
        "objective": comment.objective,
        "key_result": comment.key_result,
        "kpi": comment.kpi,
    }


def comment_posted(event: CommentPosted) -> None:
    """The people mentioned, then who leads, owns, contributes to or talked about the goal."""
    notice = _comment_notice(event.comment)
    notify(event.mentioned, Notification.Kind.MENTIONED, actor=event.actor, **notice)
    mentioned_ids = {person.pk for person in event.mentioned}
    others = [person for person in involved(event.comment) if person.pk not in mentioned_ids]
    notify(others, Notification.Kind.COMMENTED, actor=event.actor, **notice)


def comment_edited(event: CommentEdited) -> None:
    """Notifications already sent say what the comment says now; people newly mentioned are told."""
    comment = event.comment
    notice = _comment_notice(comment)
    excerpt = notice["data"]["excerpt"]
    for told in Notification.objects.filter(organization_id=comment.organization_id, comment=comment):
        told.data = {**told.data, "excerpt": excerpt}
        told.save(update_fields=["data"])
    notify(event.new_mentions, Notification.Kind.MENTIONED, actor=event.actor, **notice)


def activity_recorded(event: ActivityRecorded) -> None:
    chat.queue_posts(event.activity)


def activity_retold(event: ActivityRetold) -> None:
    chat.retell_unsent(event.activity)


def subscribe_all() -> None:
    subscribe(ObjectiveCreated, objective_created)
    subscribe(ObjectiveChanged, objective_changed)
    subscribe(KeyResultAssigned, key_result_assigned)
    subscribe(CheckInCreated, checked_in)
    subscribe(CommentPosted, comment_posted)
    subscribe(CommentEdited, comment_edited)
    subscribe(ActivityRecorded, activity_recorded)
    subscribe(ActivityRetold, activity_retold)
