"""Who may comment: anyone who can write and may see the goal or KPI, except on goals of a
closed timeframe or closed objective (read-only for everyone but admins, the brief's rule).
Authors edit their comments; authors and admins delete them."""

from lodestar.conversations.models import Comment
from lodestar.okrs import permissions as goal_permissions
from lodestar.orgs.models import Membership


def can_comment_on_goal(actor: Membership, objective) -> bool:
    if not actor.can_write or not goal_permissions.can_view_objective(actor, objective):
        return False
    if not goal_permissions.can_write_in_timeframe(actor, objective.timeframe):
        return False
    return actor.is_admin or objective.state != objective.State.CLOSED


def can_comment_on_kpi(actor: Membership, kpi) -> bool:
    return actor.can_write and kpi.organization_id == actor.organization_id


def can_edit_comment(actor: Membership, comment: Comment) -> bool:
    return actor.can_write and comment.author_id == actor.pk


def can_delete_comment(actor: Membership, comment: Comment) -> bool:
    return actor.can_write and (comment.author_id == actor.pk or actor.is_admin)
