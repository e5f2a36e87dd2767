"""Global search: objectives, key results, KPIs, people and groups whose text contains the query.

Case-insensitive substring matching, ``LOWER(text) LIKE LOWER(query)`` (like ``icontains``, the
same on SQLite and PostgreSQL, with ``%``, ``_`` and ``\\`` taken literally), served on PostgreSQL
by trigram indexes of exactly that expression (the migrations ``*_search_trigram_indexes``). Every query starts from the organization; objectives and key
results only from what the person may see (``visible_objectives``), so a private goal is neither
listed nor counted for anyone outside it.

No query reads every match, however many there are:

- One query counts the matches of every kind, each up to COUNT_CAP + 1 (``SELECT COUNT(*) FROM
  (... LIMIT 101)``): beyond COUNT_CAP the page says "more than 100".
- One query per kind reads the rows shown. Up to COUNT_CAP matches, the first ones in the page's
  order (goals of the chosen timeframe first, then the most recent timeframes; names
  alphabetically). Beyond, the most recently added ones, newest first, found by walking the
  primary key backwards until enough match: sorting thousands of matches to show ten would cost
  more than everything else on the page.
- PostgreSQL plans these queries for the text searched (``_planned_for_this_query``).

A trigram index needs three letters or digits in a row. Shorter queries ("QA", "Li") look only
where that stays cheap: objective titles of the chosen timeframe (anywhere in the title, one
timeframe is a bounded scan), and names of people, groups and KPIs at the start of a word.
A query without any letter or digit matches nothing.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.db.models.lookups import Contains, StartsWith

from lodestar.kpis.models import KPI
from lodestar.okrs.models import KeyResult, Objective, Status, Timeframe
from lodestar.okrs.progress import expected_progress
from lodestar.okrs.selectors import visible_objectives
from lodestar.orgs.cards import Person
from lodestar.orgs.models import Group, Membership

MAX_QUERY_LENGTH = 100
RESULTS_PER_KIND = 10
COUNT_CAP = 100  # matches counted exactly, per kind; beyond, "more than 100"

_STATUS_LABELS = dict(Status.choices)
_LEVEL_LABELS = dict(Objective.Level.choices)


@dataclass(frozen=True, slots=True)
class Hits:
    """The matches shown of one kind and how many the person could see in all: ``total`` exactly
    up to COUNT_CAP; when ``is_capped``, more than ``total`` (= COUNT_CAP), and ``items`` are the
    most recently added matches rather than the first."""

    items: list
    total: int
    is_capped: bool = False

    @property
    def is_partial(self) -> bool:
        return self.is_capped or self.total > len(self.items)


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
    is_short: bool = False  # searched only where a query without three letters in a row stays cheap

    @property
    def _kinds(self) -> tuple[Hits, ...]:
        return (self.objectives, self.key_results, self.kpis, self.people, self.groups)

    @property
    def total(self) -> int:
        return sum(hits.total for hits in self._kinds)

    @property
    def is_capped(self) -> bool:
        """``total`` is a lower bound: some kind has more than COUNT_CAP matches."""
        return any(hits.is_capped for hits in self._kinds)


def global_search(
    viewer: Membership, query: str, *, current_timeframe: Timeframe | None, today: datetime.date
) -> SearchResults:
    """Everything matching ``query`` (already cleaned) that the person may see, at most
    RESULTS_PER_KIND of each kind: goals of ``current_timeframe`` first, then the most recent
    timeframes; KPIs, people and groups by name. Many matches and short queries as in the module
    docstring. Six queries (seven for a non-admin: their groups; one fewer for a short query); none
    without a letter or digit."""
    if not any(char.isalnum() for char in query):
        nothing = Hits([], 0)
        return SearchResults(query, nothing, nothing, nothing, nothing, nothing)
    is_short = not _has_trigram(query)
    current_id = current_timeframe.pk if current_timeframe else None
    org_id = viewer.organization_id
    visible = visible_objectives(viewer)
    if is_short:
        # One timeframe bounds the scan: no index finds two letters anywhere in a title.
        objectives = (
            visible.filter(_contains("title", query), timeframe_id=current_id) if current_id else visible.none()
        )
        key_results = KeyResult.objects.none()  # nothing bounds a scan of their titles as cheaply
    else:
        objectives = visible.filter(_text(query, "title", "description"))
        # The key results of visible objectives: their SQL compiled once and given as is (building
        # it into two queries through the ORM cost more than running them).
        visible_ids = RawSQL(*visible.order_by().values("pk").query.sql_with_params())
        key_results = KeyResult.objects.filter(
            _contains("title", query), organization_id=org_id, objective__in=visible_ids
        )
    # Each kind is the union of one or more querysets ("arms") of its model. People have two: an OR
    # across the join of memberships and users would read every member of the organization.
    active = Membership.objects.filter(organization_id=org_id, is_active=True)
    matches = {
        "objectives": [objectives],
        "key_results": [key_results],
        "kpis": [KPI.objects.filter(Q(organization_id=org_id), _text(query, "name", is_short=is_short))],
        "people": [
            active.filter(_text(query, "user__full_name", "user__email", is_short=is_short)),
            active.filter(_text(query, "job_title", is_short=is_short)),
        ],
        "groups": [Group.objects.filter(Q(organization_id=org_id), _text(query, "name", is_short=is_short))],
    }
    order = {
        "objectives": [
            *_current_first("timeframe_id", current_id),
            Case(When(_contains("title", query), then=Value(0)), default=Value(1)),  # title before description
            "-timeframe__starts_on",
            "title",
            "pk",
        ],
        "key_results": [
            *_current_first("objective__timeframe_id", current_id),
            "-objective__timeframe__starts_on",
            "title",
            "pk",
        ],
        "kpis": ["name", "pk"],
        "people": ["user__full_name", "user__email", "pk"],
        "groups": ["name", "pk"],
    }
    with _planned_for_this_query():
        counts = _capped_counts(matches, org_id)
        shown = {kind: _shown(arms, counts[kind], org_id, order[kind]) for kind, arms in matches.items()}
        return SearchResults(
            query=query,
            objectives=_objectives(shown["objectives"], counts["objectives"], today),
            key_results=_key_results(shown["key_results"], counts["key_results"], today),
            kpis=_kpis(shown["kpis"], counts["kpis"]),
            people=_people(shown["people"], counts["people"]),
            groups=_groups(shown["groups"], counts["groups"]),
            is_short=is_short,
        )


@contextmanager
def _planned_for_this_query():
    """PostgreSQL plans the queries inside for the very text searched, never with a prepared
    statement's generic plan: a text may match no row or every tenth one, and the right plan
    differs (trigram index, walking the newest rows, or no index for a pattern without a trigram).
    Generic plans were measured up to ten times slower. Only psycopg's automatic preparing of
    repeated queries (``prepare_threshold``) is turned off, and back on afterwards."""
    connection.ensure_connection()
    driver = connection.connection
    if connection.vendor != "postgresql" or not hasattr(driver, "prepare_threshold"):
        yield
        return
    threshold, driver.prepare_threshold = driver.prepare_threshold, None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold


def _has_trigram(query: str) -> bool:
    """Whether the query has three letters or digits in a row: what a trigram index can look up."""
    run = 0
    for char in query:
        run = run + 1 if char.isalnum() else 0
        if run == 3:
            return True
    return False


def _text(query: str, *fields: str, is_short: bool = False) -> Q:
    """One of ``fields`` contains the query; a short query only at the start of the text or of a
    word in it (after a space), which the trigram index serves through its padded word starts."""
    condition = Q()
    for field in fields:
        if is_short:
            condition |= Q(_starts_with(field, query)) | Q(_contains(field, f" {query}"))
        else:
            condition |= Q(_contains(field, query))
    return condition


def _contains(field: str, text: str) -> Contains:
    """``field`` contains ``text`` whatever the case: the expression the trigram indexes are made of
    (not the ``UPPER`` of icontains, see the migrations)."""
    return Contains(Lower(field), Lower(Value(text)))


def _starts_with(field: str, text: str) -> StartsWith:
    return StartsWith(Lower(field), Lower(Value(text)))


def _capped_counts(matches: dict[str, list[QuerySet]], org_id: int) -> dict[str, int]:
    """The number of matches of each kind, up to COUNT_CAP + 1, in one query. Each arm is cut at the
    cap first: the union of the cut arms still has COUNT_CAP + 1 rows if the whole union has."""
    selects, params = [], []
    for arms in matches.values():
        try:
            sql, arm_params = _first_of_union(arms, org_id, [], COUNT_CAP + 1).query.sql_with_params()
        except EmptyResultSet:
            selects.append("0")
            continue
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) capped)")
        params.extend(arm_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}", params)
        return dict(zip(matches, cursor.fetchone(), strict=True))


def _first_of_union(arms: list[QuerySet], org_id: int, order: list, limit: int) -> QuerySet:
    """The pks of the first ``limit`` rows, in ``order`` (on the pk alone when there are several
    arms), of the union of ``arms``. Each arm is cut first, so no arm is read further than that."""
    cut = [arm.order_by(*order).values("pk")[:limit] for arm in arms]
    if len(cut) == 1:
        return cut[0]
    model = arms[0].model
    # Wrapped, as SQLite does not allow LIMIT in the parts of a UNION.
    parts = [model.objects.filter(organization_id=org_id, pk__in=part).values("pk") for part in cut]
    return parts[0].union(*parts[1:]).order_by(*order)[:limit]


def _shown(arms: list[QuerySet], count: int, org_id: int, order: list) -> QuerySet:
    """The rows to show of ``count`` matches: the first ones in ``order``; beyond COUNT_CAP the most
    recently added, newest first (the primary key walked backwards: matches that many are dense
    enough for the walk to stop soon). With several arms, each has at most COUNT_CAP rows when
    ``count`` is within it, and beyond, each is cut to its newest rows before the union."""
    if count > COUNT_CAP:
        order = ["-pk"]
    if len(arms) == 1:
        return arms[0].order_by(*order)[:RESULTS_PER_KIND]
    if count > COUNT_CAP:
        union = _first_of_union(arms, org_id, order, RESULTS_PER_KIND)
    else:
        parts = [arm.values("pk") for arm in arms]
        union = parts[0].union(*parts[1:])
    matches = arms[0].model.objects.filter(organization_id=org_id, pk__in=union)
    return matches.order_by(*order)[:RESULTS_PER_KIND]


def _hits(items: list, count: int) -> Hits:
    return Hits(items, min(count, COUNT_CAP), is_capped=count > COUNT_CAP)


def _current_first(timeframe_field: str, current_id: int | None) -> list:
    if current_id is None:
        return []
    return [Case(When(**{timeframe_field: current_id}, then=Value(0)), default=Value(1))]


def _objectives(shown: QuerySet, count: int, today: datetime.date) -> Hits:
    rows = shown.values_list(
        "id", "title", "level", "state", "visibility", "progress", "status", "timeframe__name",
        "timeframe__starts_on", "timeframe__ends_on", "lead_id", "lead__user__full_name", "lead__user__email",
    )  # fmt: skip
    items = []
    for *fields, starts_on, ends_on, lead_id, lead_name, lead_email in rows:
        expected = expected_progress(starts_on=starts_on, ends_on=ends_on, on=today)
        items.append(ObjectiveHit(*fields, expected=expected, lead=Person(lead_id, lead_name, lead_email)))
    return _hits(items, count)


def _key_results(shown: QuerySet, count: int, today: datetime.date) -> Hits:
    rows = shown.values_list(
        "id", "title", "progress", "status", "objective__title", "objective__timeframe__name",
        "objective__timeframe__starts_on", "objective__timeframe__ends_on", "owner_id", "owner__user__full_name",
        "owner__user__email",
    )  # fmt: skip
    items = []
    for *fields, starts_on, ends_on, owner_id, owner_name, owner_email in rows:
        expected = expected_progress(starts_on=starts_on, ends_on=ends_on, on=today)
        items.append(KeyResultHit(*fields, expected=expected, owner=Person(owner_id, owner_name, owner_email)))
    return _hits(items, count)


def _people(shown: QuerySet, count: int) -> Hits:
    rows = shown.values_list("id", "user__full_name", "user__email", "job_title")
    return _hits([PersonHit(Person(id_, name, email), job_title) for id_, name, email, job_title in rows], count)


def _kpis(shown: QuerySet, count: int) -> Hits:
    """KPIs have no private flag: everyone in the organization sees all of them (the brief)."""
    rows = shown.values_list("id", "name", "unit", "current_value", "is_healthy")
    return _hits([KPIHit(*row) for row in rows], count)


def _groups(shown: QuerySet, count: int) -> Hits:
    return _hits([GroupHit(*row) for row in shown.values_list("id", "name", "parent__name")], count)
