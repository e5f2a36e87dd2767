"""Read queries for the strategy page (a fixed number of queries)."""

from dataclasses import dataclass, field

from lodestar.okrs import progress
from lodestar.okrs.cards import objective_cards
from lodestar.okrs.models import Objective
from lodestar.okrs.selectors import only_visible, visible_objectives
from lodestar.orgs.models import Membership
from lodestar.strategy.models import Pillar, Strategy


@dataclass
class PillarView:
    pillar: Pillar
    objectives: list = field(default_factory=list)  # (card, timeframe name), newest timeframe first

    @property
    def progress(self) -> float:
        """Mean progress of the pillar's company objectives that count (drafts do not)."""
        return progress.weighted_progress(
            (card.progress, 1) for card, _timeframe in self.objectives if card.state != "draft"
        )


def strategy_page(viewer: Membership, year: int) -> tuple[Strategy | None, list[PillarView]]:
    """Vision and mission, and the year's pillars, each with the company objectives that serve it."""
    org = viewer.organization_id
    strategy = Strategy.objects.filter(organization_id=org).first()
    pillars = [PillarView(pillar) for pillar in Pillar.objects.filter(organization_id=org, year=year)]
    by_id = {view.pillar.pk: view for view in pillars}
    if by_id:
        objectives = Objective.objects.filter(
            organization_id=org, level=Objective.Level.COMPANY, pillar_id__in=by_id
        ).order_by("-timeframe__starts_on", "title")
        cards = only_visible(viewer, objective_cards(objectives, with_key_results=False))
        pillar_and_timeframe = {
            pk: (pillar_id, timeframe) for pk, pillar_id, timeframe in objectives.values_list(
                "pk", "pillar_id", "timeframe__name"
            )
        }  # fmt: skip
        for card in cards:
            pillar_id, timeframe = pillar_and_timeframe[card.id]
            by_id[pillar_id].objectives.append((card, timeframe))
    return strategy, pillars


def pillar_objective_count(viewer: Membership, pillar: Pillar) -> int:
    """How many company objectives the viewer may see name this pillar (one query)."""
    return visible_objectives(viewer).filter(pillar=pillar).count()
