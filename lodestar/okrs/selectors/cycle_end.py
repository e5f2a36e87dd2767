"""The end of a cycle: how far a timeframe's closing has come, what may carry on and where to,
and a group's retrospective.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from lodestar.okrs.models import KeyResult, Objective, ObjectiveGroup, Timeframe
from lodestar.okrs.selectors.visibility import visible_objectives
from lodestar.orgs.models import Membership


@dataclass(frozen=True)
class ClosingTracker:
    """How far a timeframe's closing has come: ``open_by_holder`` lists the objectives still to close
    under each group that holds them (company and personal ones under their level's name)."""

    closed: int
    total: int
    open_by_holder: list[tuple[str, list[Objective]]]
    leads: list[Membership]

    @property
    def share(self) -> float:
        return self.closed / self.total if self.total else 0.0


def closing_tracker(timeframe) -> ClosingTracker:
    """For admins (they see every objective): two queries whatever the number of objectives."""
    objectives = list(
        Objective.objects.filter(organization_id=timeframe.organization_id, timeframe=timeframe)
        .exclude(state=Objective.State.DRAFT)
        .select_related("lead__user")
        .prefetch_related(Prefetch("objective_groups", queryset=ObjectiveGroup.objects.select_related("group")))
        .order_by("title", "pk")
    )
    still_open = [objective for objective in objectives if objective.state == Objective.State.ACTIVE]
    by_holder = defaultdict(list)
    for objective in still_open:
        holders = [link.group.name for link in objective.objective_groups.all()] or [objective.get_level_display()]
        for holder in holders:
            by_holder[holder].append(objective)
    leads = {objective.lead_id: objective.lead for objective in still_open}
    return ClosingTracker(
        closed=len(objectives) - len(still_open),
        total=len(objectives),
        open_by_holder=sorted(by_holder.items(), key=lambda item: item[0].casefold()),
        leads=sorted(leads.values(), key=lambda lead: lead.full_name.casefold()),
    )


def later_open_timeframes(timeframe) -> QuerySet[Timeframe]:
    """Timeframes still open that start after this one does: where unfinished work can continue."""
    return (
        Timeframe.objects.filter(organization_id=timeframe.organization_id, starts_on__gt=timeframe.starts_on)
        .exclude(state=Timeframe.State.CLOSED)
        .order_by("starts_on", "pk")
    )


def carry_over_candidates(timeframe) -> list[Objective]:
    """A timeframe's objectives (active or closed, not accomplished) with key results still short of
    their target that have not been carried over yet: what a cycle's end may carry on in bulk."""
    return list(
        Objective.objects.filter(
            organization_id=timeframe.organization_id,
            timeframe=timeframe,
            state__in=[Objective.State.ACTIVE, Objective.State.CLOSED],
            carried_over_to__isnull=True,
        )
        .exclude(outcome=Objective.Outcome.ACCOMPLISHED)
        .annotate(unfinished=Count("key_results", filter=Q(key_results__progress__lt=1)))
        .filter(unfinished__gt=0)
        .select_related("lead__user")
        .order_by("level", "title", "pk")
    )


def retrospective_objectives(viewer: Membership, timeframe, group) -> list[Objective]:
    """The objectives a group owns in a timeframe, as far as the viewer may see, closed ones first
    and each with its key results (two queries)."""
    return list(
        visible_objectives(viewer)
        .filter(timeframe=timeframe, objective_groups__group=group)
        .exclude(state=Objective.State.DRAFT)
        .select_related("lead")
        .prefetch_related(Prefetch("key_results", queryset=KeyResult.objects.order_by("position", "pk")))
        .order_by("-closed_at", "title", "pk")
    )
