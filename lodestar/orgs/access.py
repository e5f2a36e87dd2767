"""Turning an id from a URL or payload into a group or person of the acting person's organization.

Missing and another organization's rows raise the same NotFound, so nothing about their existence leaks;
changing them (``for_write``) is for admins, others get NotAllowed with the reason.
"""

from django.utils.translation import gettext as _

from lodestar.core.errors import NotAllowed, NotFound, as_id
from lodestar.orgs.models import Group, Membership


def access_group(actor: Membership, group_id, *, for_write: bool = False) -> Group:
    group = (
        Group.objects.filter(organization_id=actor.organization_id, pk=as_id(group_id)).select_related("parent").first()
    )
    if group is None:
        raise NotFound
    if for_write and not actor.is_admin:
        raise NotAllowed(_("Only admins can manage people and groups."))
    return group


def access_membership(actor: Membership, membership_id, *, for_write: bool = False) -> Membership:
    membership = (
        Membership.objects.filter(organization_id=actor.organization_id, pk=as_id(membership_id))
        .select_related("user", "manager__user")
        .first()
    )
    if membership is None:
        raise NotFound
    if for_write and not actor.is_admin:
        raise NotAllowed(_("Only admins can manage people and groups."))
    return membership
