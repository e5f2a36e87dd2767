"""Carry-over links: the objective or key result one continues, and where it continues, as far as
the viewer may see.
"""

from lodestar.okrs.models import KeyResult, Objective
from lodestar.okrs.selectors.visibility import visible_objectives
from lodestar.orgs.models import Membership


def carried_from(viewer: Membership, objective: Objective) -> Objective | None:
    """The objective this one continues, when the viewer may see it."""
    if objective.carried_over_from_id is None:
        return None
    return visible_objectives(viewer).select_related("timeframe").filter(pk=objective.carried_over_from_id).first()


def carried_to(viewer: Membership, objective: Objective) -> list[Objective]:
    """Where this objective continues, as far as the viewer may see."""
    return list(
        visible_objectives(viewer)
        .filter(carried_over_from=objective.pk)
        .select_related("timeframe")
        .order_by("timeframe__starts_on", "pk")
    )


def key_result_carried_from(viewer: Membership, key_result) -> KeyResult | None:
    if key_result.carried_over_from_id is None:
        return None
    return (
        KeyResult.objects.filter(
            organization_id=viewer.organization_id,
            pk=key_result.carried_over_from_id,
            objective__in=visible_objectives(viewer).values("pk"),
        )
        .select_related("objective__timeframe")
        .first()
    )


def key_result_carried_to(viewer: Membership, key_result) -> list[KeyResult]:
    return list(
        KeyResult.objects.filter(
            organization_id=viewer.organization_id,
            carried_over_from=key_result.pk,
            objective__in=visible_objectives(viewer).values("pk"),
        )
        .select_related("objective__timeframe")
        .order_by("objective__timeframe__starts_on", "pk")
    )
