"""Turning ids from URLs and forms into rollout rows: another organization's id, or a round the
person may not see, is simply not found (404)."""

from lodestar.core.errors import NotFound, as_id
from lodestar.orgs.models import Membership
from lodestar.rollout import permissions
from lodestar.rollout.models import ChallengeRound, FeedbackPoint, RolloutGroup, RolloutStep, TrainingSession


def _found(queryset, object_id):
    found = queryset.filter(pk=as_id(object_id)).first()
    if found is None:
        raise NotFound
    return found


def access_step(actor: Membership, step_id) -> RolloutStep:
    return _found(
        RolloutStep.objects.filter(organization_id=actor.organization_id).select_related("owner__user"), step_id
    )


def access_rollout_group(actor: Membership, group_id) -> RolloutGroup:
    return _found(
        RolloutGroup.objects.filter(organization_id=actor.organization_id).select_related("coach__user"), group_id
    )


def access_session(actor: Membership, session_id) -> TrainingSession:
    queryset = TrainingSession.objects.filter(organization_id=actor.organization_id).select_related("rollout_group")
    return _found(queryset, session_id)


def access_round(actor: Membership, round_id) -> ChallengeRound:
    """A round the person may see (see permissions.can_view_round)."""
    found = _found(ChallengeRound.objects.filter(organization_id=actor.organization_id), round_id)
    if not permissions.can_view_round(actor, found):
        raise NotFound
    return found


def access_point(actor: Membership, point_id) -> FeedbackPoint:
    """A feedback point the person may read: in a round they see, and submitted (or their own)."""
    queryset = FeedbackPoint.objects.filter(organization_id=actor.organization_id).select_related(
        "round", "reviewer", "objective"
    )
    point = _found(queryset, point_id)
    if not permissions.can_view_round(actor, point.round) or not permissions.can_read_point(actor, point):
        raise NotFound
    return point
