"""Alignment across a timeframe: how many group objectives align to the company's, and which
objectives align to nothing.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from lodestar.okrs.cards import objective_cards
from lodestar.okrs.models import Objective, Timeframe
from lodestar.okrs.selectors.lists import attach_groups
from lodestar.okrs.selectors.visibility import visible_objectives
from lodestar.orgs.models import Membership


@dataclass(frozen=True)
class AlignmentCoverage:
    aligned: int
    total: int

    @property
    def share(self) -> float:
        return self.aligned / self.total if self.total else 0.0


def alignment_coverage(viewer: Membership, timeframe: Timeframe) -> AlignmentCoverage:
    """How many of the timeframe's active group objectives (that the viewer may see) are aligned to a
    company objective, directly or through the group objective they align to (one query)."""
    company = Objective.Level.COMPANY
    counts = (
        visible_objectives(viewer)
        .filter(timeframe=timeframe, level=Objective.Level.GROUP, state=Objective.State.ACTIVE)
        .aggregate(
            total=Count("pk"),
            aligned=Count("pk", filter=Q(parent__level=company) | Q(parent__parent__level=company)),
        )
    )
    return AlignmentCoverage(aligned=counts["aligned"], total=counts["total"])


UNALIGNED_SHOWN = 500


def unaligned_objectives(viewer: Membership, timeframe: Timeframe) -> tuple[list[tuple[str, list]], int]:
    """Active group and personal objectives of the timeframe that align to nothing, as the viewer may
    see them: ([(owning group's name, or "" for personal ones, [cards])], how many in all). At most
    UNALIGNED_SHOWN are listed (three queries)."""
    objectives = visible_objectives(viewer).filter(
        timeframe=timeframe,
        level__in=[Objective.Level.GROUP, Objective.Level.PERSONAL],
        state=Objective.State.ACTIVE,
        parent__isnull=True,
    )
    total = objectives.count()
    cards = objective_cards(objectives.order_by("level", "title", "pk")[:UNALIGNED_SHOWN], with_key_results=False)
    attach_groups(viewer.organization_id, cards)
    by_group: dict[str, list] = {}
    for card in cards:
        for name in [group.name for group in card.groups] or [""]:
            by_group.setdefault(name, []).append(card)
    return sorted(by_group.items(), key=lambda item: (item[0] == "", item[0])), total
