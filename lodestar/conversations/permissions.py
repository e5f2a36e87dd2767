"""Who may comment: anyone who can write and may see the goal or KPI, except on goals of a
closed timeframe or closed objective (read-only for everyone but admins, the brief's rule).
Authors edit their comments; authors and admins delete them; anyone who may comment reacts —
all of it only while the goal is open."""

from lodestar.conversations.models import Comment
from lodestar.okrs import permissions as goal_permissions
from lodestar.orgs.models import Membership


def _goal_open(actor: Membership, objective) -> bool:
    if not goal_permissions.can_write_in_timeframe(actor, objective.timeframe):
        return False
    return actor.is_admin or objective.state != objective.State.CLOSED


def can_comment_on_goal(actor: Membership, objective) -> bool:
    if not actor.can_write or not goal_permissions.can_view_objective(actor, objective):
        return False
    return _goal_open(actor, objective)


def can_comment_on_kpi(actor: Membership, kpi) -> bool:
    return actor.can_write and kpi.organization_id == actor.organization_id


def _thread_open(actor: Membership, comment: Comment) -> bool:
    """The comment (whose objective the actor may see, see access.py) is on something still open."""
    return actor.can_write and (comment.objective_id is None or _goal_open(actor, comment.objective))


def can_edit_comment(actor: Membership, comment: Comment) -> bool:
    return comment.author_id == actor.pk and _thread_open(actor, comment)


def can_delete_comment(actor: Membership, comment: Comment) -> bool:
    return (comment.author_id == actor.pk or actor.is_admin) and _thread_open(actor, comment)


def can_react(actor: Membership, comment: Comment) -> bool:
    return _thread_open(actor, comment)
