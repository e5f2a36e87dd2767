"""Read queries for the KPI pages and the KPI parts of other pages; each issues a fixed number of
queries, whatever the number of KPIs and values."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page
from django.db.models import Count, F, Q, Window
from django.db.models.functions import Lower

from lodestar.core.pagination import page_of
from lodestar.kpis import aggregation
from lodestar.kpis.health import due_if_recorded_by, is_update_due, next_update_due
from lodestar.kpis.models import KPI, KPIGroup, KPIObjective, KPIValue
from lodestar.orgs.cards import GroupRef, Person
from lodestar.orgs.models import Membership

SPARK_PERIODS = 12  # periods a sparkline covers
HISTORY_SHOWN = 100  # values the KPI page lists unless all are asked for


@dataclass
class KPIRow:
    """A KPI as lists draw it: its figures, goal, health, rhythm, groups and recent values."""

    id: int
    name: str
    unit: str
    cadence: str
    rule: str
    rule_min: Decimal | None
    rule_max: Decimal | None
    aggregation: str
    current_value: Decimal | None
    is_healthy: bool
    health_since: datetime.date | None
    last_recorded_on: datetime.date | None
    owner: Person
    due: bool = False
    groups: list[GroupRef] = field(default_factory=list)
    recent: list[tuple[datetime.date, Decimal]] = field(default_factory=list)  # per period, oldest first

    @property
    def pk(self) -> int:
        return self.id

    @property
    def has_goal(self) -> bool:
        return self.rule != KPI.Rule.NONE

    @property
    def cadence_label(self) -> str:
        return KPI.Cadence(self.cadence).label


_ROW_COLUMNS = (
    "id", "name", "unit", "cadence", "rule", "rule_min", "rule_max", "aggregation", "current_value", "is_healthy",
    "health_since", "last_recorded_on", "owner_id", "owner__user__full_name", "owner__user__email",
)  # fmt: skip


def kpi_rows(viewer: Membership, kpis, *, today: datetime.date, with_details: bool = True) -> list[KPIRow]:
    """Rows for a queryset of KPIs (filtered and ordered by the caller): one query, and with their
    groups and recent values (``with_details``) two more."""
    rows = []
    for *values, owner_id, owner_name, owner_email in kpis.values_list(*_ROW_COLUMNS):
        row = KPIRow(*values, owner=Person(owner_id, owner_name, owner_email))
        row.due = is_update_due(row.last_recorded_on, row.cadence, today)
        rows.append(row)
    by_id = {row.id: row for row in rows}
    if not by_id or not with_details:
        return rows
    org = viewer.organization_id
    for kpi_id, group_id, name in (
        KPIGroup.objects.filter(organization_id=org, kpi_id__in=by_id)
        .order_by("group__name")
        .values_list("kpi_id", "group_id", "group__name")
    ):
        by_id[kpi_id].groups.append(GroupRef(group_id, name))
    _attach_recent(org, rows, today)
    return rows


def _attach_recent(organization_id: int, rows: list[KPIRow], today: datetime.date) -> None:
    """Each row's values of its last SPARK_PERIODS periods, aggregated by its rule (one query)."""
    since = {
        cadence: _periods_back(today, cadence, SPARK_PERIODS - 1) for cadence in KPI.Cadence.values
    }  # the first day of the oldest period shown, per cadence
    recent = Q()
    for cadence, first_day in since.items():
        ids = [row.id for row in rows if row.cadence == cadence]
        if ids:
            recent |= Q(kpi_id__in=ids, recorded_on__gte=first_day)
    values: dict[int, list] = {}
    for kpi_id, day, value in (
        KPIValue.objects.filter(recent, organization_id=organization_id, recorded_on__lte=today)
        .order_by("recorded_on", "created_at", "id")
        .values_list("kpi_id", "recorded_on", "value")
    ):
        values.setdefault(kpi_id, []).append((day, value))
    for row in rows:
        row.recent = aggregation.per_period(values.get(row.id, []), cadence=row.cadence, aggregation=row.aggregation)


def _periods_back(today: datetime.date, cadence: str, periods: int) -> datetime.date:
    start = aggregation.period_start(today, cadence)
    for _period in range(periods):
        start = aggregation.period_start(start - datetime.timedelta(days=1), cadence)
    return start


BOARD_ORDERS = ("group", "owner")
KPIS_PER_PAGE = 50  # entries of the board a page shows (a KPI of two groups is two)


@dataclass
class Section:
    """A group's or an owner's KPIs on one page of the board; ``total`` counts them on all pages."""

    title: str  # "" for the KPIs of no group
    total: int
    rows: list[KPIRow]


@dataclass
class Board:
    """One page of the KPI list, in sections, and the health counts of all KPIs."""

    page: Page
    sections: list[Section]
    healthy: int
    unhealthy: int
    due: int


def kpi_board(
    viewer: Membership, *, by: str, unhealthy_only: bool, today: datetime.date, page_number: str | None = None
) -> Board:
    """A page of the organization's KPIs grouped by group (a KPI of two groups shows under both;
    KPIs of no group last) or by owner, with their sparklines. Sections and their order come from
    SQL and a page holds KPIS_PER_PAGE entries, so the queries and the Python work are the same for
    ten KPIs or ten thousand (six queries)."""
    org = viewer.organization_id
    kpis = KPI.objects.filter(organization_id=org)
    counts = kpis.aggregate(
        healthy=Count("pk", filter=Q(is_healthy=True)),
        unhealthy=Count("pk", filter=Q(is_healthy=False)),
        due=Count("pk", filter=_due(today)),
    )
    if unhealthy_only:
        kpis = kpis.filter(is_healthy=False)
    entries = _owner_entries(kpis) if by == "owner" else _group_entries(kpis)
    page = page_of(entries, page_number, per_page=KPIS_PER_PAGE)
    on_page = list(page.object_list)  # (KPI id, section id, section title, section size)
    rows = {
        row.id: row for row in kpi_rows(viewer, kpis.filter(pk__in={kpi_id for kpi_id, *_ in on_page}), today=today)
    }
    sections: list[Section] = []
    last = object()
    for kpi_id, section_id, title, total in on_page:
        if section_id != last:
            sections.append(Section(title or "", total, []))
            last = section_id
        sections[-1].rows.append(rows[kpi_id])
    return Board(page, sections, counts["healthy"], counts["unhealthy"], counts["due"])


def _due(today: datetime.date) -> Q:
    """The KPIs whose update is due today (``health.is_update_due``) as a filter."""
    due = Q(last_recorded_on__isnull=True)
    for cadence in KPI.Cadence.values:
        due |= Q(cadence=cadence, last_recorded_on__lte=due_if_recorded_by(cadence, today))
    return due


def _owner_entries(kpis):
    """By owner: owners by name (two of one name apart), each one's KPIs by name."""
    return kpis.order_by(Lower("owner__user__full_name"), "owner_id", Lower("name"), "pk").values_list(
        "pk", "owner_id", "owner__user__full_name", _section_size("owner_id")
    )


def _group_entries(kpis):
    """By group: groups by name (two of one name apart), each one's KPIs by name, then the KPIs of
    no group; a KPI of two groups is two entries (the outer join makes them in one query)."""
    return kpis.order_by(
        Lower("kpi_groups__group__name").asc(nulls_last=True), "kpi_groups__group_id", "name", "pk"
    ).values_list("pk", "kpi_groups__group_id", "kpi_groups__group__name", _section_size("kpi_groups__group_id"))


def _section_size(column: str) -> Window:
    """How many entries share this entry's section, on every page: counted before the page is cut."""
    return Window(Count("pk"), partition_by=[F(column)])


@dataclass
class KPIDetail:
    row: KPIRow
    history: list[KPIValue]  # newest first, up to HISTORY_SHOWN unless all were asked for
    value_count: int
    periods: list[tuple[datetime.date, Decimal]]  # the whole history per period, oldest first
    next_due: datetime.date | None
    description: str


def kpi_detail(viewer: Membership, kpi: KPI, *, today: datetime.date, all_values: bool = False) -> KPIDetail:
    """Everything the KPI page shows of the KPI (five queries; okrs draws the objectives that move it)."""
    org = viewer.organization_id
    row = kpi_rows(viewer, KPI.objects.filter(organization_id=org, pk=kpi.pk), today=today)[0]
    values = KPIValue.objects.filter(organization_id=org, kpi=kpi)
    oldest_first = list(values.order_by("recorded_on", "created_at", "id").values_list("recorded_on", "value"))
    history = values.order_by("-recorded_on", "-created_at", "-id").select_related("author__user")
    return KPIDetail(
        row=row,
        history=list(history if all_values else history[:HISTORY_SHOWN]),
        value_count=len(oldest_first),
        periods=aggregation.per_period(oldest_first, cadence=kpi.cadence, aggregation=kpi.aggregation),
        next_due=next_update_due(kpi.last_recorded_on, kpi.cadence) if kpi.last_recorded_on else None,
        description=kpi.description,
    )


@dataclass
class HealthSummary:
    healthy: int
    unhealthy: list[KPIRow]  # the unhealthy ones, at most SUMMARY_SHOWN
    unhealthy_count: int

    @property
    def total(self) -> int:
        return self.healthy + self.unhealthy_count


SUMMARY_SHOWN = 5


def health_summary(viewer: Membership, *, today: datetime.date, group=None) -> HealthSummary:
    """How many KPIs (of the organization, or of one group) are healthy, and the first unhealthy
    ones by name (two queries)."""
    org = viewer.organization_id
    kpis = KPI.objects.filter(organization_id=org)
    if group is not None:
        kpis = kpis.filter(pk__in=KPIGroup.objects.filter(organization_id=org, group=group).values("kpi_id"))
    counts = kpis.aggregate(
        healthy=Count("pk", filter=Q(is_healthy=True)), unhealthy=Count("pk", filter=Q(is_healthy=False))
    )
    unhealthy = kpi_rows(
        viewer, kpis.filter(is_healthy=False).order_by("name", "pk")[:SUMMARY_SHOWN], today=today, with_details=False
    )
    return HealthSummary(counts["healthy"], unhealthy, counts["unhealthy"])


def group_kpis(viewer: Membership, group, *, today: datetime.date) -> list[KPIRow]:
    """The KPIs of one group, unhealthy first, then by name (one query)."""
    org = viewer.organization_id
    kpis = KPI.objects.filter(
        organization_id=org, pk__in=KPIGroup.objects.filter(organization_id=org, group=group).values("kpi_id")
    ).order_by("is_healthy", "name", "pk")
    return kpi_rows(viewer, kpis, today=today, with_details=False)


def objective_kpis(viewer: Membership, objective_id: int, *, today: datetime.date) -> list[KPIRow]:
    """The KPIs an objective aims to move, with their health (one query)."""
    org = viewer.organization_id
    kpis = KPI.objects.filter(
        organization_id=org,
        pk__in=KPIObjective.objects.filter(organization_id=org, objective_id=objective_id).values("kpi_id"),
    ).order_by("name", "pk")
    return kpi_rows(viewer, kpis, today=today, with_details=False)
