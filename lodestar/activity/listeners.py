"""The activity feed records the goal and comment events (subscribed in ActivityConfig.ready)."""

from lodestar.activity import services
from lodestar.activity.models import Activity
from lodestar.conversations import markdown
from lodestar.conversations.events import CommentEdited, CommentPosted
from lodestar.conversations.services import target_title
from lodestar.core.events import subscribe
from lodestar.okrs.events import CheckInCreated, ObjectiveClosed, ObjectiveCreated


def objective_created(event: ObjectiveCreated) -> None:
    services.record_objective(event.actor, event.objective, Activity.Kind.OBJECTIVE_CREATED)


def objective_closed(event: ObjectiveClosed) -> None:
    services.record_objective(event.actor, event.objective, Activity.Kind.OBJECTIVE_CLOSED)


def checked_in(event: CheckInCreated) -> None:
    services.record_check_in(
        event.actor, event.check_in, status_from=event.status_before, progress_from=event.progress_before
    )


def comment_posted(event: CommentPosted) -> None:
    comment = event.comment
    services.record_comment(
        event.actor, comment, target=target_title(comment), excerpt=markdown.plain_text(comment.body)
    )


def comment_edited(event: CommentEdited) -> None:
    services.retell_comment(event.comment, excerpt=markdown.plain_text(event.comment.body))


def subscribe_all() -> None:
    subscribe(ObjectiveCreated, objective_created)
    subscribe(ObjectiveClosed, objective_closed)
    subscribe(CheckInCreated, checked_in)
    subscribe(CommentPosted, comment_posted)
    subscribe(CommentEdited, comment_edited)
