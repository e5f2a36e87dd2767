"""Small checks every service shares."""

from collections.abc import Callable

from django.db import models

from lodestar.core.errors import NotFound


def require_same_organization(actor, *objects) -> None:
    """Objects of another organization do not exist for the actor (None is allowed)."""
    for obj in objects:
        if obj is not None and obj.organization_id != actor.organization_id:
            raise NotFound


def chain_reaches(start_id: int | None, target_id: int, parent_id_of: Callable[[int], int | None]) -> bool:
    """True when following parents up from ``start_id`` meets ``target_id`` (itself included).

    Used to refuse cycles: nesting X under Y is a cycle when Y's chain reaches X. Stops on
    an existing loop instead of running forever.
    """
    seen = set()
    current = start_id
    while current is not None and current not in seen:
        if current == target_id:
            return True
        seen.add(current)
        current = parent_id_of(current)
    return False


def replace_links(link_model: type[models.Model], *, organization_id: int, owner: dict, target_field: str, targets):
    """Make the link rows of one owner (e.g. an objective's contributors) exactly ``targets``."""
    rows = link_model.objects.filter(organization_id=organization_id, **owner)
    wanted = {target.pk for target in targets}
    rows.exclude(**{f"{target_field}__in": wanted}).delete()
    existing = set(rows.values_list(f"{target_field}_id", flat=True))
    link_model.objects.bulk_create(
        link_model(organization_id=organization_id, **owner, **{f"{target_field}_id": pk})
        for pk in sorted(wanted - existing)
    )
