"""Turning ids from URLs into things to comment on, and comments, the person may see (404 otherwise)."""

from lodestar.conversations.models import Comment
from lodestar.core.errors import NotFound, as_id
from lodestar.kpis.access import access_kpi
from lodestar.okrs import permissions
from lodestar.okrs.access import access_check_in, access_key_result, access_objective
from lodestar.orgs.models import Membership

TARGETS = {
    "objective": access_objective,
    "key_result": access_key_result,
    "check_in": access_check_in,
    "kpi": access_kpi,
}


def access_target(actor: Membership, kind: str, target_id):
    return TARGETS[kind](actor, target_id)


def access_comment(actor: Membership, comment_id) -> Comment:
    comment = (
        Comment.objects.filter(organization_id=actor.organization_id, pk=as_id(comment_id))
        .select_related("objective__timeframe", "key_result", "kpi", "author__user")
        .first()
    )
    if comment is None or (comment.objective_id and not permissions.can_view_objective(actor, comment.objective)):
        raise NotFound
    return comment
