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
- "More" (``search_page``) lists one kind PAGE_SIZE at a time in the same order, with the same
  capped count: two queries whatever the page, an OFFSET into matches that are either few (at most
  COUNT_CAP, sorted) or dense (the primary-key walk).
- PostgreSQL plans these queries for the text searched (``_planned_for_this_query``).

SQLite has no trigram index: there the same expressions scan the organization's rows (with
``LOWER`` made to lower every letter, lodestar.search.sqlite). That is fast enough for the small
installations SQLite is meant for (measured in December 2026 on the generated organizations: 40 ms
a search at 1,000 people, 80 ms when nothing matches; at 10,000 people a search that matches
nothing takes half a second there, which is what PostgreSQL is for).

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
from django.db.models import Case, Q, QuerySet, TextChoices, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.db.models.lookups import Contains, StartsWith
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from lodestar.kpis.models import KPI
from lodestar.okrs.models import KeyResult, Objective, Status, Timeframe
from lodestar.okrs.progress import expected_progress
from lodestar.okrs.selectors import visible_objectives
from lodestar.orgs.cards import Person
from lodestar.orgs.models import Group, Membership
from lodestar.search.sqlite import UNICODE_LOWER

MAX_QUERY_LENGTH = 100
RESULTS_PER_KIND = 10  # on the overview
PAGE_SIZE = 20  # on a page of one kind ("more")
MAX_PAGE = 10_000  # deeper, nobody pages by hand; the offset stays a small number
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


class Kind(TextChoices):
    """What search finds, in the order the page shows it."""

    OBJECTIVES = "objectives", _("Objectives")
    KEY_RESULTS = "key_results", _("Key results")
    KPIS = "kpis", _("KPIs")
    PEOPLE = "people", _("People")
    GROUPS = "groups", _("Groups")


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
    def kinds(self) -> list[tuple[Kind, Hits]]:
        return [(kind, getattr(self, kind)) for kind in Kind]

    @property
    def total(self) -> int:
        return sum(hits.total for _kind, hits in self.kinds)

    @property
    def is_capped(self) -> bool:
        """``total`` is a lower bound: some kind has more than COUNT_CAP matches."""
        return any(hits.is_capped for _kind, hits in self.kinds)


@dataclass(frozen=True, slots=True)
class KindPage:
    """The ``number``-th page of PAGE_SIZE matches of one kind, in the order of the overview (and so,
    beyond COUNT_CAP matches, the most recently added first). ``hits.total`` counts all the matches
    the person may see, as on the overview."""

    query: str
    kind: Kind
    hits: Hits
    number: int
    has_next: bool
    is_short: bool = False

    @property
    def first(self) -> int:
        """The position of the page's first match among all."""
        return (self.number - 1) * PAGE_SIZE + 1

    @property
    def last(self) -> int:
        return self.first + len(self.hits.items) - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def global_search(
    viewer: Membership, query: str, *, current_timeframe: Timeframe | None, today: datetime.date
) -> SearchResults:
    """Everything matching ``query`` (already cleaned) that the person may see, at most
    RESULTS_PER_KIND of each kind: goals of ``current_timeframe`` first, then the most recent
    timeframes; KPIs, people and groups by name. Many matches and short queries as in the module
    docstring. Six queries (seven for a non-admin: their groups; one fewer for a short query); none
    without a letter or digit."""
    if not _is_searchable(query):
        nothing = Hits([], 0)
        return SearchResults(query, nothing, nothing, nothing, nothing, nothing)
    search = _Search(viewer, query, current_timeframe)
    matches = {kind: search.arms(kind) for kind in Kind}
    with _planned_for_this_query():
        counts = _capped_counts(matches, viewer.organization_id)
        hits = {
            kind.value: _hits(search.rows(kind, arms, counts[kind], 0, RESULTS_PER_KIND, today), counts[kind])
            for kind, arms in matches.items()
        }
    return SearchResults(query, **hits, is_short=search.is_short)


def search_page(
    viewer: Membership,
    query: str,
    kind: Kind,
    *,
    number: int,
    current_timeframe: Timeframe | None,
    today: datetime.date,
) -> KindPage:
    """The ``number``-th page (from 1) of PAGE_SIZE matches of one ``kind``, as ``global_search``
    finds them: what comes after the overview's first few, for "more". Two queries (three for a
    non-admin's goals: their groups), whatever the page; an offset past the last match gives an
    empty page."""
    if not _is_searchable(query):
        return KindPage(query, kind, Hits([], 0), number, has_next=False)
    search = _Search(viewer, query, current_timeframe)
    arms = search.arms(kind)
    start = (number - 1) * PAGE_SIZE
    with _planned_for_this_query():
        count = _capped_counts({kind: arms}, viewer.organization_id)[kind]
        items = search.rows(kind, arms, count, start, start + PAGE_SIZE + 1, today)  # one more: is there a next page?
    return KindPage(
        query, kind, _hits(items[:PAGE_SIZE], count), number, has_next=len(items) > PAGE_SIZE, is_short=search.is_short
    )


def _is_searchable(query: str) -> bool:
    return any(char.isalnum() for char in query)


class _Search:
    """What one query matches of each kind, and in which order, for one person."""

    def __init__(self, viewer: Membership, query: str, current_timeframe: Timeframe | None):
        self.viewer = viewer
        self.query = query
        self.org_id = viewer.organization_id
        self.is_short = not _has_trigram(query)
        self.current_id = current_timeframe.pk if current_timeframe else None

    @cached_property
    def visible(self) -> QuerySet[Objective]:
        return visible_objectives(self.viewer)

    def arms(self, kind: Kind) -> list[QuerySet]:
        """The matches of ``kind`` as the union of one or more querysets ("arms") of its model.
        People have two: an OR across the join of memberships and users would read every member of
        the organization."""
        query, is_short, org_id = self.query, self.is_short, self.org_id
        if kind == Kind.OBJECTIVES:
            visible = self.visible
            if not is_short:
                return [visible.filter(_text(query, "title", "description"))]
            if self.current_id is None:
                return [visible.none()]
            # One timeframe bounds the scan: no index finds two letters anywhere in a title.
            return [visible.filter(_contains("title", query), timeframe_id=self.current_id)]
        if kind == Kind.KEY_RESULTS:
            if is_short:
                return [KeyResult.objects.none()]  # nothing bounds a scan of their titles as cheaply
            # The key results of visible objectives: their SQL compiled once and given as is
            # (building it into two queries through the ORM cost more than running them).
            visible_ids = RawSQL(*self.visible.order_by().values("pk").query.sql_with_params())
            return [
                KeyResult.objects.filter(_contains("title", query), organization_id=org_id, objective__in=visible_ids)
            ]
        if kind == Kind.KPIS:
            return [KPI.objects.filter(Q(organization_id=org_id), _text(query, "name", is_short=is_short))]
        if kind == Kind.PEOPLE:
            active = Membership.objects.filter(organization_id=org_id, is_active=True)
            return [
                active.filter(_text(query, "user__full_name", "user__email", is_short=is_short)),
                active.filter(_text(query, "job_title", is_short=is_short)),
            ]
        return [Group.objects.filter(Q(organization_id=org_id), _text(query, "name", is_short=is_short))]

    def order(self, kind: Kind) -> list:
        """Goals of the chosen timeframe first, then the most recent timeframes; names alphabetically."""
        if kind == Kind.OBJECTIVES:
            return [
                *_current_first("timeframe_id", self.current_id),
                Case(When(_contains("title", self.query), then=Value(0)), default=Value(1)),  # title first
                "-timeframe__starts_on",
                "title",
                "pk",
            ]
        if kind == Kind.KEY_RESULTS:
            return [
                *_current_first("objective__timeframe_id", self.current_id),
                "-objective__timeframe__starts_on",
                "title",
                "pk",
            ]
        if kind == Kind.PEOPLE:
            return ["user__full_name", "user__email", "pk"]
        return ["name", "pk"]

    def rows(self, kind: Kind, arms: list[QuerySet], count: int, start: int, stop: int, today: datetime.date) -> list:
        """The matches ``start`` to ``stop`` of ``arms`` (``count`` of them), as the hits the page shows."""
        shown = _shown(arms, count, self.org_id, self.order(kind), start, stop)
        return _ROWS[kind](shown, today)


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


class _Lower(Lower):
    """LOWER of every letter, on SQLite too (lodestar.search.sqlite)."""

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function=UNICODE_LOWER, **extra_context)


def _contains(field: str, text: str) -> Contains:
    """``field`` contains ``text`` whatever the case: the expression the trigram indexes are made of
    (not the ``UPPER`` of icontains, see the migrations)."""
    return Contains(_Lower(field), _Lower(Value(text)))


def _starts_with(field: str, text: str) -> StartsWith:
    return StartsWith(_Lower(field), _Lower(Value(text)))


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


def _shown(arms: list[QuerySet], count: int, org_id: int, order: list, start: int, stop: int) -> QuerySet:
    """The matches ``start`` to ``stop`` of ``count``: in ``order``; beyond COUNT_CAP the most
    recently added, newest first (the primary key walked backwards: matches that many are dense
    enough for the walk to stop soon). With several arms, each has at most COUNT_CAP rows when
    ``count`` is within it, and beyond, each is cut to its newest ``stop`` rows before the union."""
    if count > COUNT_CAP:
        order = ["-pk"]
    if len(arms) == 1:
        return arms[0].order_by(*order)[start:stop]
    if count > COUNT_CAP:
        union = _first_of_union(arms, org_id, order, stop)
    else:
        parts = [arm.values("pk") for arm in arms]
        union = parts[0].union(*parts[1:])
    matches = arms[0].model.objects.filter(organization_id=org_id, pk__in=union)
    return matches.order_by(*order)[start:stop]


def _hits(items: list, count: int) -> Hits:
    return Hits(items, min(count, COUNT_CAP), is_capped=count > COUNT_CAP)


def _current_first(timeframe_field: str, current_id: int | None) -> list:
    if current_id is None:
        return []
    return [Case(When(**{timeframe_field: current_id}, then=Value(0)), default=Value(1))]


def _objectives(shown: QuerySet, today: datetime.date) -> list[ObjectiveHit]:
    rows = shown.values_list(
        "id", "title", "level", "state", "visibility", "progress", "status", "timeframe__name",
        "timeframe__starts_on", "timeframe__ends_on", "lead_id", "lead__user__full_name", "lead__user__email",
    )  # fmt: skip
    items = []
    for *fields, starts_on, ends_on, lead_id, lead_name, lead_email in rows:
        expected = expected_progress(starts_on=starts_on, ends_on=ends_on, on=today)
        items.append(ObjectiveHit(*fields, expected=expected, lead=Person(lead_id, lead_name, lead_email)))
    return items


def _key_results(shown: QuerySet, today: datetime.date) -> list[KeyResultHit]:
    rows = shown.values_list(
        "id", "title", "progress", "status", "objective__title", "objective__timeframe__name",
        "objective__timeframe__starts_on", "objective__timeframe__ends_on", "owner_id", "owner__user__full_name",
        "owner__user__email",
    )  # fmt: skip
    items = []
    for *fields, starts_on, ends_on, owner_id, owner_name, owner_email in rows:
        expected = expected_progress(starts_on=starts_on, ends_on=ends_on, on=today)
        items.append(KeyResultHit(*fields, expected=expected, owner=Person(owner_id, owner_name, owner_email)))
    return items


def _people(shown: QuerySet, today: datetime.date) -> list[PersonHit]:
    rows = shown.values_list("id", "user__full_name", "user__email", "job_title")
    return [PersonHit(Person(id_, name, email), job_title) for id_, name, email, job_title in rows]


def _kpis(shown: QuerySet, today: datetime.date) -> list[KPIHit]:
    """KPIs have no private flag: everyone in the organization sees all of them (the brief)."""
    return [KPIHit(*row) for row in shown.values_list("id", "name", "unit", "current_value", "is_healthy")]


def _groups(shown: QuerySet, today: datetime.date) -> list[GroupHit]:
    return [GroupHit(*row) for row in shown.values_list("id", "name", "parent__name")]


# The hits of each kind from the rows to show (``today`` places goals against expected progress).
_ROWS = {
    Kind.OBJECTIVES: _objectives,
    Kind.KEY_RESULTS: _key_results,
    Kind.KPIS: _kpis,
    Kind.PEOPLE: _people,
    Kind.GROUPS: _groups,
}
