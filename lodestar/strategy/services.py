"""Writes to the organization's strategy: vision, mission and pillars (admins only)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.core.errors import NotAllowed
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_text
from lodestar.orgs.models import Membership
from lodestar.strategy.models import Pillar, Strategy

NAME_MAX = 120
TEXT_MAX = 5000


def _require_admin(actor: Membership) -> None:
    if not actor.is_admin:
        raise NotAllowed(_("Only admins can edit the strategy."))


@atomic_service
def update_strategy(*, actor: Membership, vision: str, mission: str) -> Strategy:
    _require_admin(actor)
    strategy, _created = Strategy.objects.get_or_create(organization_id=actor.organization_id)
    strategy.vision = clean_text(vision, field="vision", max_length=TEXT_MAX, multiline=True)
    strategy.mission = clean_text(mission, field="mission", max_length=TEXT_MAX, multiline=True)
    strategy.save()
    return strategy


def _clean_pillar(actor: Membership, *, year: int, name: str, description: str, pillar: Pillar | None = None) -> dict:
    """A pillar's name is required and unique within its year (in any case)."""
    name = clean_text(name, field="name", max_length=NAME_MAX, required=True)
    same_name = Pillar.objects.filter(organization_id=actor.organization_id, year=year, name__iexact=name)
    if pillar is not None:
        same_name = same_name.exclude(pk=pillar.pk)
    if same_name.exists():
        raise ValidationError({"name": [_("This year already has a pillar with this name.")]})
    return {
        "name": name,
        "description": clean_text(description, field="description", max_length=TEXT_MAX, multiline=True),
    }


def _year_pillars(actor: Membership, year: int) -> list[Pillar]:
    """The year's pillars in their order, locked, so that concurrent reorderings queue."""
    return list(
        Pillar.objects.filter(organization_id=actor.organization_id, year=year)
        .select_for_update()
        .order_by("position", "name", "pk")
    )


def _renumber(pillars: list[Pillar]) -> None:
    """Positions 0, 1, 2 … in the order given."""
    for position, pillar in enumerate(pillars):
        if pillar.position != position:
            pillar.position = position
            pillar.save(update_fields=["position"])


@atomic_service
def create_pillar(*, actor: Membership, year: int, name: str, description: str = "") -> Pillar:
    """A new pillar comes last in its year."""
    _require_admin(actor)
    if not isinstance(year, int) or not 1900 <= year <= 2200:
        raise ValidationError({"year": [_("Enter a year between 1900 and 2200.")]})
    fields = _clean_pillar(actor, year=year, name=name, description=description)
    position = len(_year_pillars(actor, year))
    return Pillar.objects.create(organization_id=actor.organization_id, year=year, position=position, **fields)


@atomic_service
def update_pillar(*, actor: Membership, pillar: Pillar, name: str, description: str = "") -> Pillar:
    _require_admin(actor)
    fields = _clean_pillar(actor, year=pillar.year, name=name, description=description, pillar=pillar)
    Pillar.objects.filter(organization_id=actor.organization_id, pk=pillar.pk).update(**fields)
    pillar.name, pillar.description = fields["name"], fields["description"]
    return pillar


MOVES = {"up": -1, "down": 1}


@atomic_service
def move_pillar(*, actor: Membership, pillar: Pillar, direction: str) -> Pillar:
    """Swap a pillar with its neighbour above (``up``) or below (``down``) in its year."""
    _require_admin(actor)
    if direction not in MOVES:
        raise ValidationError(_("Move a pillar up or down."))
    pillars = _year_pillars(actor, pillar.year)
    index = next(i for i, other in enumerate(pillars) if other.pk == pillar.pk)
    target = index + MOVES[direction]
    if not 0 <= target < len(pillars):
        message = (
            _("“%(name)s” is already the first pillar.") if target < 0 else _("“%(name)s” is already the last pillar.")
        )
        raise ValidationError(message % {"name": pillar.name})
    pillars[index], pillars[target] = pillars[target], pillars[index]
    _renumber(pillars)
    return pillar


@atomic_service
def delete_pillar(*, actor: Membership, pillar: Pillar) -> None:
    """Remove a pillar; the company objectives that served it keep everything but the pillar."""
    _require_admin(actor)
    pillars = _year_pillars(actor, pillar.year)
    Pillar.objects.filter(organization_id=actor.organization_id, pk=pillar.pk).delete()
    _renumber([other for other in pillars if other.pk != pillar.pk])
