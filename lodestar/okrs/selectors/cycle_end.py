"""The end of a cycle: how far a timeframe's closing has come, what may carry on and where to,
and a group's retrospective.
"""

from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from lodestar.core.pagination import page_of
from lodestar.okrs.models import KeyResult, Objective, ObjectiveGroup, Timeframe
from lodestar.okrs.selectors.visibility import visible_objectives
from lodestar.orgs.cards import Person
from lodestar.orgs.models import Membership

# The closing tracker's page sizes: holders (groups and levels) per page, the objectives furthest
# behind shown on each holder's card, and objectives per page of a holder's full list.
HOLDERS_PER_PAGE = 24
FURTHEST_BEHIND_SHOWN = 5
OBJECTIVES_PER_PAGE = 50

# Furthest behind first: what an admin chases at a cycle's end.
_FURTHEST_BEHIND = ("progress", "title", "id")
_ROW_COLUMNS = ("id", "title", "progress", "lead_id")  # the lead last: _to_close adds the person


@dataclass(slots=True)
class ObjectiveToClose:
    id: int
    title: str
    progress: float
    lead_id: int
    lead: Person


@dataclass(slots=True)
class Holder:
    """A group that holds open objectives, or a level (its name) for company and personal ones."""

    name: str
    open_count: int
    group_id: int | None = None
    level: str = ""
    furthest_behind: list[ObjectiveToClose] = field(default_factory=list)


@dataclass(frozen=True)
class ClosingTracker:
    """How far a timeframe's closing has come: one page of ``holders``, each with the objectives still
    to close that are furthest behind, and how many leads those still open have."""

    closed: int
    total: int
    open_leads: int
    holders: Page

    @property
    def share(self) -> float:
        return self.closed / self.total if self.total else 0.0


def _open_objectives(timeframe) -> QuerySet[Objective]:
    return Objective.objects.filter(
        organization_id=timeframe.organization_id, timeframe=timeframe, state=Objective.State.ACTIVE
    )


def _open_links(timeframe) -> QuerySet[ObjectiveGroup]:
    return ObjectiveGroup.objects.filter(
        organization_id=timeframe.organization_id,
        objective__timeframe=timeframe,
        objective__state=Objective.State.ACTIVE,
    )


# Group objectives are held by their groups (at least one: services.objectives insists), company and
# personal ones (which have none) by their level.
LEVEL_HOLDERS = (Objective.Level.COMPANY, Objective.Level.PERSONAL)


def _held_by_level(objectives: QuerySet[Objective]) -> QuerySet[Objective]:
    return objectives.filter(level__in=LEVEL_HOLDERS)


def closing_tracker(timeframe, *, page=None) -> ClosingTracker:
    """For admins (they see every objective). Closed of all non-draft objectives, the leads of those
    still open and how many each level holds come from one aggregate, the groups' from one GROUP BY;
    holders come most to close first (the first page shows where most is left), then by name; the
    page's holders' objectives furthest behind and their leads from three more queries. Five queries,
    whatever the number of objectives and groups."""
    active = Q(state=Objective.State.ACTIVE)
    summary = (
        Objective.objects.filter(organization_id=timeframe.organization_id, timeframe=timeframe)
        .exclude(state=Objective.State.DRAFT)
        .aggregate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(state=Objective.State.CLOSED)),
            open_leads=Count("lead_id", distinct=True, filter=active),
            **{level: Count("pk", filter=active & Q(level=level)) for level in LEVEL_HOLDERS},
        )
    )
    by_level = {level: summary.pop(level) for level in LEVEL_HOLDERS}
    holders = page_of(_holders(timeframe, by_level), page, per_page=HOLDERS_PER_PAGE)
    _attach_furthest_behind(timeframe, holders.object_list)
    return ClosingTracker(holders=holders, **summary)


def _holders(timeframe, by_level: dict[str, int]) -> list[Holder]:
    groups = _open_links(timeframe).values_list("group_id", "group__name").annotate(count=Count("pk"))
    holders = [Holder(name, count, group_id=group_id) for group_id, name, count in groups.order_by()]
    holders += [
        Holder(str(Objective.Level(level).label), count, level=level) for level, count in by_level.items() if count
    ]
    return sorted(holders, key=lambda holder: (-holder.open_count, holder.name.casefold(), holder.group_id or 0))


def _attach_furthest_behind(timeframe, holders: list[Holder]) -> None:
    """Each holder's few objectives furthest behind: one query for the page's groups (a window over
    their open objectives), one for its levels (a sorted LIMIT per level: a window would sort every
    personal objective, thousands in a large organization) and one for the leads."""
    by_group = {holder.group_id: holder for holder in holders if holder.group_id}
    by_level = {holder.level: holder for holder in holders if holder.level}
    found = []
    if by_group:
        order = [F(f"objective__{column}").asc() for column in _FURTHEST_BEHIND]
        rows = (
            _open_links(timeframe)
            .filter(group_id__in=by_group)
            .annotate(place=Window(RowNumber(), partition_by=F("group_id"), order_by=order))
            .filter(place__lte=FURTHEST_BEHIND_SHOWN)
            .order_by("group_id", "place")
            .values_list("group_id", *(f"objective__{column}" for column in _ROW_COLUMNS))
        )
        found += [(by_group[group_id], row) for group_id, *row in rows]
    if by_level:
        firsts = Q()
        for level in by_level:
            first = _open_objectives(timeframe).filter(level=level).order_by(*_FURTHEST_BEHIND)
            firsts |= Q(pk__in=first.values("pk")[:FURTHEST_BEHIND_SHOWN])
        rows = (
            _open_objectives(timeframe)
            .filter(firsts, level__in=by_level)
            .order_by("level", *_FURTHEST_BEHIND)
            .values_list("level", *_ROW_COLUMNS)
        )
        found += [(by_level[level], row) for level, *row in rows]
    objectives = _to_close(timeframe, [row for _holder, row in found])
    for (holder, _row), objective in zip(found, objectives, strict=True):
        holder.furthest_behind.append(objective)


def _to_close(timeframe, rows) -> list[ObjectiveToClose]:
    """Rows of _ROW_COLUMNS with their leads (name and e-mail, for the avatar) from one query, once the
    rows are chosen: joining the people before sorting and cutting would read every open objective's."""
    if not rows:
        return []
    people = {
        pk: Person(pk, full_name, email)
        for pk, full_name, email in Membership.objects.filter(
            organization_id=timeframe.organization_id, pk__in={lead_id for *_row, lead_id in rows}
        ).values_list("pk", "user__full_name", "user__email")
    }
    return [ObjectiveToClose(*row, lead=people[row[-1]]) for row in rows]


def holder_objectives(timeframe, *, group=None, level: str = "", page=None) -> Page:
    """One page of the open objectives a group holds (or a level, of company and personal ones),
    furthest behind first, with their leads: three queries (the count, the page, the leads)."""
    if group is not None:
        objectives = _open_objectives(timeframe).filter(objective_groups__group=group)
    else:
        objectives = _held_by_level(_open_objectives(timeframe)).filter(level=level)
    rows = objectives.order_by(*_FURTHEST_BEHIND).values_list(*_ROW_COLUMNS)
    found = page_of(rows, page, per_page=OBJECTIVES_PER_PAGE)
    found.object_list = _to_close(timeframe, list(found.object_list))
    return found


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
