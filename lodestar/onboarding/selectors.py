from django.utils import timezone

from lodestar.onboarding.models import Invitation

ANSWERED_SHOWN = 50


def open_invitations(actor):
    """Pending invitations, expired ones included (they can be resent), newest first."""
    return (
        Invitation.objects.filter(organization_id=actor.organization_id, state=Invitation.State.PENDING)
        .select_related("inviter__user")
        .order_by("-created_at", "-pk")
    )


def answered_invitations(actor):
    """The latest accepted and withdrawn invitations."""
    return (
        Invitation.objects.filter(organization_id=actor.organization_id)
        .exclude(state=Invitation.State.PENDING)
        .select_related("inviter__user", "accepted_by")
        .order_by("-created_at", "-pk")[:ANSWERED_SHOWN]
    )


def pending_count(organization_id: int) -> int:
    return Invitation.objects.filter(
        organization_id=organization_id, state=Invitation.State.PENDING, expires_at__gt=timezone.now()
    ).count()
