"""Writes to the organization's strategy: vision, mission and pillars (admins only)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.core.errors import NotAllowed
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_text
from lodestar.orgs.models import Membership
from lodestar.strategy.models import Pillar, Strategy


def _require_admin(actor: Membership) -> None:
    if not actor.is_admin:
        raise NotAllowed(_("Only admins can edit the strategy."))


@atomic_service
def update_strategy(*, actor: Membership, vision: str, mission: str) -> Strategy:
    _require_admin(actor)
    strategy, _created = Strategy.objects.get_or_create(organization_id=actor.organization_id)
    strategy.vision = clean_text(vision, field="vision", max_length=5000, multiline=True)
    strategy.mission = clean_text(mission, field="mission", max_length=5000, multiline=True)
    strategy.save()
    return strategy


@atomic_service
def create_pillar(*, actor: Membership, year: int, name: str, description: str = "") -> Pillar:
    _require_admin(actor)
    name = clean_text(name, field="name", max_length=120, required=True)
    if not isinstance(year, int) or not 1900 <= year <= 2200:
        raise ValidationError({"year": [_("Enter a year between 1900 and 2200.")]})
    if Pillar.objects.filter(organization_id=actor.organization_id, year=year, name__iexact=name).exists():
        raise ValidationError({"name": [_("This year already has a pillar with this name.")]})
    position = Pillar.objects.filter(organization_id=actor.organization_id, year=year).count()
    return Pillar.objects.create(
        organization_id=actor.organization_id,
        year=year,
        name=name,
        description=clean_text(description, field="description", max_length=5000, multiline=True),
        position=position,
    )
