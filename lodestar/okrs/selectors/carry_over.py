"""Carry-over links: the objective or key result one continues, and where it continues, as far as
the viewer may see (one query each, whether there are links or not).
"""

from django.db.models import Q

from lodestar.okrs.models import KeyResult, Objective
from lodestar.okrs.selectors.visibility import visible_objectives
from lodestar.orgs.models import Membership


def objective_carry_over(viewer: Membership, objective: Objective) -> tuple[Objective | None, list[Objective]]:
    """The objective this one continues, and those that continue it, that the viewer may see."""
    links = list(
        visible_objectives(viewer)
        .filter(Q(pk=objective.carried_over_from_id) | Q(carried_over_from=objective.pk))
        .select_related("timeframe")
        .order_by("timeframe__starts_on", "pk")
    )
    return _split(objective, links)


def key_result_carry_over(viewer: Membership, key_result: KeyResult) -> tuple[KeyResult | None, list[KeyResult]]:
    """The key result this one continues, and those that continue it, of objectives the viewer may see."""
    links = list(
        KeyResult.objects.filter(
            Q(pk=key_result.carried_over_from_id) | Q(carried_over_from=key_result.pk),
            organization_id=viewer.organization_id,
            objective__in=visible_objectives(viewer).values("pk"),
        )
        .select_related("objective__timeframe")
        .order_by("objective__timeframe__starts_on", "pk")
    )
    return _split(key_result, links)


def _split(item, links: list) -> tuple:
    carried_from = next((link for link in links if link.pk == item.carried_over_from_id), None)
    return carried_from, [link for link in links if link.carried_over_from_id == item.pk]
