"""Global search: objectives, key results, KPIs, people and groups whose text contains the query.

Case-insensitive substring matching (``icontains``: the same on SQLite and PostgreSQL, with ``%``,
``_`` and ``\\`` taken literally). Every query starts from the organization; objectives and key
results only from what the person may see (``visible_objectives``), so a private goal is neither
listed nor counted for anyone outside it. One query per kind: the first rows and, through
``COUNT(*) OVER ()``, how many match in all, whatever the number of matches.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Q, QuerySet, Value, When, Window

from lodestar.kpis.models import KPI
from lodestar.okrs.cards import Person
from lodestar.okrs.models import KeyResult, Objective, Status, Timeframe
from lodestar.okrs.progress import expected_progress
from lodestar.okrs.selectors import visible_objectives
from lodestar.orgs.models import Group, Membership

MAX_QUERY_LENGTH = 100
RESULTS_PER_KIND = 10

_STATUS_LABELS = dict(Status.choices)
_LEVEL_LABELS = dict(Objective.Level.choices)


@dataclass(frozen=True, slots=True)
class Hits:
    """The first matches of one kind and how many the person could see in all."""

    items: list
    total: int

    @property
    def is_partial(self) -> bool:
        return self.total > len(self.items)


@dataclass(frozen=True, slots=True)
class ObjectiveHit:
    """Fields in the order of the query's columns."""

    id: int
    title: str
    level: str
    state: str
    visibility: str
    progress: float
    status: str
    timeframe_name: str
    expected: float
    lead: Person

    @property
    def status_label(self) -> str:
        return _STATUS_LABELS[self.status]

    @property
    def level_label(self) -> str:
        return _LEVEL_LABELS[self.level]

    @property
    def is_draft(self) -> bool:
        return self.state == Objective.State.DRAFT

    @property
    def is_private(self) -> bool:
        return self.visibility == Objective.Visibility.PRIVATE


@dataclass(frozen=True, slots=True)
class KeyResultHit:
    """Fields in the order of the query's columns."""

    id: int
    title: str
    progress: float
    status: str
    objective_title: str
    timeframe_name: str
    expected: float
    owner: Person

    @property
    def status_label(self) -> str:
        return _STATUS_LABELS[self.status]


@dataclass(frozen=True, slots=True)
class KPIHit:
    id: int
    name: str
    unit: str
    current_value: Decimal | None
    is_healthy: bool


@dataclass(frozen=True, slots=True)
class PersonHit:
    person: Person
    job_title: str


@dataclass(frozen=True, slots=True)
class GroupHit:
    id: int
    name: str
    parent_name: str | None


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    objectives: Hits
    key_results: Hits
    kpis: Hits
    people: Hits
    groups: Hits

    @property
    def total(self) -> int:
        return sum(hits.total for hits in (self.objectives, self.key_results, self.kpis, self.people, self.groups))


def global_search(
    viewer: Membership, query: str, *, current_timeframe: Timeframe | None, today: datetime.date
) -> SearchResults:
    """Everything matching ``query`` (already cleaned) that the person may see, at most
    RESULTS_PER_KIND of each kind: goals of ``current_timeframe`` first, then the most recent
    timeframes; KPIs, people and groups by name. Five queries (six for a non-admin: their groups)."""
    current_id = current_timeframe.pk if current_timeframe else None
    return SearchResults(
        query=query,
        objectives=_objectives(viewer, query, current_id, today),
        key_results=_key_results(viewer, query, current_id, today),
        kpis=_kpis(viewer, query),
        people=_people(viewer, query),
        groups=_groups(viewer, query),
    )


def _first_matches(matches: QuerySet, *columns: str) -> tuple[list[tuple], int]:
    """The first rows of an ordered queryset and the number of all its rows, in one query: the
    window count runs before LIMIT."""
    rows = list(
        matches.annotate(match_count=Window(Count("*"))).values_list(*columns, "match_count")[:RESULTS_PER_KIND]
    )
    return [row[:-1] for row in rows], (rows[0][-1] if rows else 0)


def _current_first(timeframe_field: str, current_id: int | None) -> list:
    if current_id is None:
        return []
    return [Case(When(**{timeframe_field: current_id}, then=Value(0)), default=Value(1))]


def _objectives(viewer: Membership, query: str, current_id: int | None, today: datetime.date) -> Hits:
    matches = (
        visible_objectives(viewer)
        .filter(Q(title__icontains=query) | Q(description__icontains=query))
        .order_by(
            *_current_first("timeframe_id", current_id),
            Case(When(title__icontains=query, then=Value(0)), default=Value(1)),  # title before description
            "-timeframe__starts_on",
            "title",
            "pk",
        )
    )
    rows, total = _first_matches(
        matches,
        "id", "title", "level", "state", "visibility", "progress", "status", "timeframe__name",
        "timeframe__starts_on", "timeframe__ends_on", "lead_id", "lead__user__full_name", "lead__user__email",
    )  # fmt: skip
    items = []
    for *fields, starts_on, ends_on, lead_id, lead_name, lead_email in rows:
        expected = expected_progress(starts_on=starts_on, ends_on=ends_on, on=today)
        items.append(ObjectiveHit(*fields, expected=expected, lead=Person(lead_id, lead_name, lead_email)))
    return Hits(items, total)


def _key_results(viewer: Membership, query: str, current_id: int | None, today: datetime.date) -> Hits:
    matches = KeyResult.objects.filter(
        organization_id=viewer.organization_id,
        objective__in=visible_objectives(viewer).values("pk"),
        title__icontains=query,
    ).order_by(
        *_current_first("objective__timeframe_id", current_id),
        "-objective__timeframe__starts_on",
        "title",
        "pk",
    )
    rows, total = _first_matches(
        matches,
        "id", "title", "progress", "status", "objective__title", "objective__timeframe__name",
        "objective__timeframe__starts_on", "objective__timeframe__ends_on", "owner_id", "owner__user__full_name",
        "owner__user__email",
    )  # fmt: skip
    items = []
    for *fields, starts_on, ends_on, owner_id, owner_name, owner_email in rows:
        expected = expected_progress(starts_on=starts_on, ends_on=ends_on, on=today)
        items.append(KeyResultHit(*fields, expected=expected, owner=Person(owner_id, owner_name, owner_email)))
    return Hits(items, total)


def _kpis(viewer: Membership, query: str) -> Hits:
    """KPIs have no private flag: everyone in the organization sees all of them (the brief)."""
    matches = KPI.objects.filter(organization_id=viewer.organization_id, name__icontains=query).order_by("name", "pk")
    rows, total = _first_matches(matches, "id", "name", "unit", "current_value", "is_healthy")
    return Hits([KPIHit(*row) for row in rows], total)


def _people(viewer: Membership, query: str) -> Hits:
    matches = (
        Membership.objects.filter(organization_id=viewer.organization_id, is_active=True)
        .filter(Q(user__full_name__icontains=query) | Q(user__email__icontains=query) | Q(job_title__icontains=query))
        .order_by("user__full_name", "user__email", "pk")
    )
    rows, total = _first_matches(matches, "id", "user__full_name", "user__email", "job_title")
    items = [PersonHit(Person(id_, name, email), job_title) for id_, name, email, job_title in rows]
    return Hits(items, total)


def _groups(viewer: Membership, query: str) -> Hits:
    matches = Group.objects.filter(organization_id=viewer.organization_id, name__icontains=query).order_by("name", "pk")
    rows, total = _first_matches(matches, "id", "name", "parent__name")
    return Hits([GroupHit(*row) for row in rows], total)
