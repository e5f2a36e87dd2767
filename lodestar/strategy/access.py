"""Turning a pillar id from a URL into a pillar of the acting person's organization (404 otherwise)."""

from django.utils.translation import gettext as _

from lodestar.core.errors import NotAllowed, NotFound, as_id
from lodestar.orgs.models import Membership
from lodestar.strategy.models import Pillar


def access_pillar(actor: Membership, pillar_id, *, for_write: bool = False) -> Pillar:
    pillar = Pillar.objects.filter(organization_id=actor.organization_id, pk=as_id(pillar_id)).first()
    if pillar is None:
        raise NotFound
    if for_write and not actor.is_admin:
        raise NotAllowed(_("Only admins can edit the strategy."))
    return pillar
