"""Who may do what in the rollout. Admins and OKR ambassadors run it (Membership.runs_rollout);
everyone may read the plan and the rollout groups. A challenge round is seen by those who run the
rollout, its reviewers and the leads of its objectives until it closes; then by everyone."""

from lodestar.okrs.permissions import can_edit_objective, can_view_objective
from lodestar.orgs.models import Membership
from lodestar.rollout.models import ChallengeRound, FeedbackPoint, Reviewer, RoundObjective


def is_reviewer(actor: Membership, challenge: ChallengeRound) -> bool:
    return Reviewer.objects.filter(organization_id=actor.organization_id, round=challenge, membership=actor).exists()


def leads_objective_in(actor: Membership, challenge: ChallengeRound) -> bool:
    return RoundObjective.objects.filter(
        organization_id=actor.organization_id, round=challenge, objective__lead=actor
    ).exists()


def can_view_round(actor: Membership, challenge: ChallengeRound) -> bool:
    if actor.organization_id != challenge.organization_id or not actor.is_active:
        return False
    if actor.runs_rollout or not challenge.is_open:
        return True
    return is_reviewer(actor, challenge) or leads_objective_in(actor, challenge)


def still_reviewing(actor: Membership, challenge: ChallengeRound) -> bool:
    """A reviewer of the round who has not submitted yet: they judge without seeing the others."""
    return Reviewer.objects.filter(
        organization_id=actor.organization_id, round=challenge, membership=actor, submitted_at__isnull=True
    ).exists()


def can_read_point(actor: Membership, point: FeedbackPoint) -> bool:
    """A reviewer's points are theirs alone until they submit their review, and a reviewer sees the
    others' only after submitting their own; the objective must be visible."""
    if not can_view_objective(actor, point.objective):
        return False
    if point.reviewer.membership_id == actor.pk:
        return True
    return point.reviewer.submitted_at is not None and not still_reviewing(actor, point.round)


def can_answer_point(actor: Membership, point: FeedbackPoint) -> bool:
    """The objective's authors (whoever may edit it), the reviewers and those running the rollout
    discuss a point; only while the round is open, and only once they may read it."""
    if not point.round.is_open or not actor.can_write or not _may_read(actor, point):
        return False
    return actor.runs_rollout or can_edit_objective(actor, point.objective) or is_reviewer(actor, point.round)


def can_resolve_point(actor: Membership, point: FeedbackPoint) -> bool:
    if not point.round.is_open or not _may_read(actor, point):
        return False
    return actor.runs_rollout or can_edit_objective(actor, point.objective)


def _may_read(actor: Membership, point: FeedbackPoint) -> bool:
    """What access.access_point requires: the round is visible to the person, and the point too."""
    return can_view_round(actor, point.round) and can_read_point(actor, point)
