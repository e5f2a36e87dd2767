"""Turning an id from a URL or payload into a group or person of the acting person's organization."""

from lodestar.core.errors import NotFound, as_id
from lodestar.orgs.models import Group, Membership


def access_group(actor: Membership, group_id) -> Group:
    group = Group.objects.filter(organization_id=actor.organization_id, pk=as_id(group_id)).first()
    if group is None:
        raise NotFound
    return group


def access_membership(actor: Membership, membership_id) -> Membership:
    membership = (
        Membership.objects.filter(organization_id=actor.organization_id, pk=as_id(membership_id))
        .select_related("user")
        .first()
    )
    if membership is None:
        raise NotFound
    return membership
