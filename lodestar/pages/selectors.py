"""Read queries for the strategy page and the presentation (each a fixed number of queries): the
strategy's pillars with the company objectives that serve them."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F

from lodestar.okrs import progress
from lodestar.okrs.cards import ObjectiveCard, objective_cards
from lodestar.okrs.models import Objective, Timeframe
from lodestar.okrs.selectors import attach_groups, only_visible, visible_objectives
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


@dataclass
class ObjectiveSlide:
    objective: ObjectiveCard  # with its key results
    pillar: str
    aligned: list[ObjectiveCard]  # team objectives aligned to it, with their groups


@dataclass
class Presentation:
    strategy: Strategy | None
    pillars: list[tuple[Pillar, int]]  # the year's pillars, each with how many of the slides' objectives serve it
    objectives: list[ObjectiveSlide]


def presentation(viewer: Membership, timeframe: Timeframe) -> Presentation:
    """What a company kick-off walks through: vision, mission, the pillars of the timeframe's year,
    and each company objective of the timeframe with its key results and the objectives aligned to
    it, as far as the viewer may see them (a fixed number of queries)."""
    org = viewer.organization_id
    strategy = Strategy.objects.filter(organization_id=org).first()
    pillars = list(Pillar.objects.filter(organization_id=org, year=timeframe.starts_on.year))
    # Visibility in the queries themselves rather than checked afterwards: the deck shows few
    # objectives, and its query count stays the same whether or not any of them is private.
    visible = visible_objectives(viewer)
    company = visible.filter(timeframe=timeframe, level=Objective.Level.COMPANY)
    in_pillar_order = (F("pillar__position").asc(nulls_last=True), "title", "pk")
    cards = objective_cards(company.order_by(*in_pillar_order))
    pillar_of = dict(company.values_list("pk", "pillar__name"))
    children = objective_cards(
        visible.filter(parent_id__in=[card.id for card in cards])
        .exclude(level=Objective.Level.PERSONAL)
        .order_by("level", "title", "pk"),
        with_key_results=False,
    )
    attach_groups(org, children)
    aligned: dict[int, list[ObjectiveCard]] = {}
    for child in children:
        aligned.setdefault(child.parent_id, []).append(child)
    serving = Counter(pillar_of[card.id] for card in cards)
    return Presentation(
        strategy=strategy,
        pillars=[(pillar, serving[pillar.name]) for pillar in pillars],
        objectives=[ObjectiveSlide(card, pillar_of[card.id] or "", aligned.get(card.id, [])) for card in cards],
    )
