"""The alignment map: a timeframe's objectives as the tree of what aligns to what.

Company objectives (and the objectives of longer timeframes they align to) at the top, the
group and personal objectives aligned to them below; then the objectives that align to nothing,
and those aligned to an objective the viewer may not see (its title stays hidden; the brief's
privacy rule). Filters keep the objectives that match and, for context, what they align to.

The page reads the timeframe's whole tree as ids in one query, so its query count does not grow
with the organization, and draws whole levels from the top while they fit MAP_NODES_SHOWN; the
levels below load when a person opens them (htmx), or on the map focused on that objective.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from lodestar.okrs import progress, tree
from lodestar.okrs.cards import ObjectiveCard, objective_cards
from lodestar.okrs.models import Objective, ObjectiveGroup, Timeframe
from lodestar.okrs.selectors import attach_groups, taking_part, visible_objectives
from lodestar.orgs.models import Group, GroupMembership, Membership

MAP_NODES_SHOWN = 200
UNALIGNED_SHOWN = 300
_LEVEL_RANK = {Objective.Level.COMPANY: 0, Objective.Level.GROUP: 1, Objective.Level.PERSONAL: 2}


@dataclass(frozen=True)
class MapFilters:
    """What the map is narrowed to: a group (with its sub-groups and their members' personal
    objectives), a person (what they lead, own or contribute to), a status. All that are set apply."""

    group: Group | None = None
    person: Membership | None = None
    status: str = ""

    @property
    def active(self) -> bool:
        return bool(self.group or self.person or self.status)


@dataclass
class MapNode:
    card: ObjectiveCard
    expected: float
    timeframe_name: str  # set when the objective belongs to another (longer) timeframe than the map's
    child_count: int
    opened: bool  # its children are drawn (else they load on demand)
    matches: bool  # meets the filters (else it is shown as what a match aligns to)
    on_path: bool = False
    focused: bool = False
    children: list["MapNode"] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.card.id


@dataclass
class AlignmentMap:
    company: list[MapNode]
    unaligned: list[MapNode]
    unaligned_total: int
    beyond_sight: list[MapNode]  # aligned to an objective the viewer may not see
    objective_count: int  # in the map, after filtering
    matching: int
    filtered: bool
    focus_found: bool


@dataclass(frozen=True)
class _Row:
    id: int
    parent_id: int | None
    level: str
    visibility: str
    lead_id: int
    status: str
    timeframe_id: int
    timeframe_name: str
    starts_on: datetime.date
    ends_on: datetime.date


_ROW_COLUMNS = (
    "id", "parent_id", "level", "visibility", "lead_id", "status", "timeframe_id", "timeframe__name",
    "timeframe__starts_on", "timeframe__ends_on",
)  # fmt: skip


@dataclass
class _Tree:
    rows: dict[int, _Row]  # in drawing order
    parent_of: dict[int, int | None]
    children: dict[int, list[int]]
    beyond_sight: set[int]
    matching: set[int]


def alignment_map(
    viewer: Membership,
    timeframe: Timeframe,
    *,
    today: datetime.date,
    filters: MapFilters = MapFilters(),
    focus_id: int | None = None,
) -> AlignmentMap:
    """The whole map of a timeframe as the viewer may see it (a fixed number of queries)."""
    skeleton = _tree(viewer, timeframe, filters)
    roots = [node for node, parent in skeleton.parent_of.items() if parent is None]
    beyond = [node for node in roots if node in skeleton.beyond_sight]
    tops = [node for node in roots if node not in skeleton.beyond_sight]
    company = [node for node in tops if _is_top(skeleton.rows[node], timeframe)]
    unaligned = [node for node in tops if not _is_top(skeleton.rows[node], timeframe)]
    unaligned_shown = unaligned[:UNALIGNED_SHOWN]
    path = tree.path_up(focus_id, skeleton.parent_of) if focus_id in skeleton.parent_of else []
    drawn_roots = company + unaligned_shown + beyond
    opened = tree.nodes_to_open(drawn_roots, skeleton.children, budget=MAP_NODES_SHOWN, always=path)
    nodes = _draw(viewer, skeleton, drawn_roots, opened, timeframe, today, path)
    return AlignmentMap(
        company=[nodes[node] for node in company],
        unaligned=[nodes[node] for node in unaligned_shown],
        unaligned_total=len(unaligned),
        beyond_sight=[nodes[node] for node in beyond],
        objective_count=len(skeleton.parent_of),
        matching=len(skeleton.matching),
        filtered=filters.active,
        focus_found=bool(path),
    )


def aligned_below(
    viewer: Membership,
    timeframe: Timeframe,
    objective_id: int,
    *,
    today: datetime.date,
    filters: MapFilters = MapFilters(),
) -> list[MapNode]:
    """The objectives aligned to one objective of the map, with the levels below them that fit
    MAP_NODES_SHOWN: what opening a closed branch of the map loads (a fixed number of queries)."""
    skeleton = _tree(viewer, timeframe, filters)
    roots = skeleton.children.get(objective_id, [])
    opened = tree.nodes_to_open(roots, skeleton.children, budget=MAP_NODES_SHOWN)
    nodes = _draw(viewer, skeleton, roots, opened, timeframe, today, path=[])
    return [nodes[node] for node in roots]


def _is_top(row: _Row, timeframe: Timeframe) -> bool:
    """Company objectives and the objectives of other timeframes that this one's align to."""
    return row.level == Objective.Level.COMPANY or row.timeframe_id != timeframe.pk


def _tree(viewer: Membership, timeframe: Timeframe, filters: MapFilters) -> _Tree:
    """The timeframe's objectives and the ones of other timeframes they align to, as the viewer may
    see them and as the filters narrow them (one query, plus one for private objectives and one or
    two for a filter)."""
    org = viewer.organization_id
    parents_elsewhere = Objective.objects.filter(organization_id=org, timeframe=timeframe, parent__isnull=False).exclude(
        parent__timeframe=timeframe
    )
    in_map = Q(timeframe=timeframe) | Q(pk__in=parents_elsewhere.values("parent_id"))
    rows = [
        _Row(*values)
        for values in Objective.objects.filter(organization_id=org)
        .filter(in_map)
        .order_by("title", "pk")
        .values_list(*_ROW_COLUMNS)
    ]
    hidden = _hidden(viewer, rows, in_map)
    ordered = {
        row.id: row
        for row in sorted(rows, key=lambda row: (row.timeframe_id == timeframe.pk, _LEVEL_RANK[row.level]))
        if row.id not in hidden
    }  # other timeframes' objectives first, then company, group and personal ones, each by title
    parent_of, beyond_sight = {}, set()
    for row in ordered.values():
        parent = row.parent_id if row.timeframe_id == timeframe.pk else None  # the tree starts there
        if parent in hidden:
            beyond_sight.add(row.id)
            parent = None
        parent_of[row.id] = parent
    matching = set(parent_of)
    if filters.active:
        matching = _matching(viewer, filters, in_map, ordered)
        kept = tree.with_ancestors(matching, parent_of)
        parent_of = {node: parent for node, parent in parent_of.items() if node in kept}
    return _Tree(ordered, parent_of, tree.children_of(parent_of, parent_of), beyond_sight, matching)


def _hidden(viewer: Membership, rows: list[_Row], in_map: Q) -> set[int]:
    """The private objectives among ``rows`` (those ``in_map``) the viewer may not see: one query,
    for everyone but admins, whether or not there are any (so the page's query count is fixed)."""
    if viewer.is_admin:
        return set()
    private = {row.id for row in rows if row.visibility == Objective.Visibility.PRIVATE and row.lead_id != viewer.pk}
    visible = visible_objectives(viewer).filter(in_map, visibility=Objective.Visibility.PRIVATE)
    return private - set(visible.values_list("pk", flat=True))


def _matching(viewer: Membership, filters: MapFilters, in_map: Q, rows: dict[int, _Row]) -> set[int]:
    """Ids of the map's objectives (``rows``, those ``in_map``) that meet every filter that is set."""
    org = viewer.organization_id
    matching = set(rows)
    if filters.status:
        matching = {node for node in matching if rows[node].status == filters.status}
    objectives = Objective.objects.filter(in_map, organization_id=org)
    if filters.person is not None:
        matching &= set(objectives.filter(taking_part(filters.person)).values_list("pk", flat=True))
    if filters.group is not None:
        groups = _group_and_below(org, filters.group.pk)
        members = GroupMembership.objects.filter(organization_id=org, group_id__in=groups).values("membership_id")
        owned = ObjectiveGroup.objects.filter(organization_id=org, group_id__in=groups).values("objective_id")
        in_group = objectives.filter(Q(pk__in=owned) | Q(level=Objective.Level.PERSONAL, lead_id__in=members))
        matching &= set(in_group.values_list("pk", flat=True))
    return matching


def _group_and_below(organization_id: int, group_id: int) -> set[int]:
    """The group and all its sub-groups, however deep (one query)."""
    parent_of = dict(Group.objects.filter(organization_id=organization_id).values_list("pk", "parent_id"))
    return {group for group in parent_of if group_id in tree.path_up(group, parent_of)}


def _draw(viewer, skeleton: _Tree, roots, opened, timeframe, today, path) -> dict[int, MapNode]:
    """MapNodes for the roots and everything below the opened nodes (two queries: cards, groups)."""
    drawn, stack = [], list(roots)
    while stack:
        node = stack.pop()
        drawn.append(node)
        if node in opened:
            stack.extend(skeleton.children[node])
    cards = {
        card.id: card
        for card in objective_cards(
            Objective.objects.filter(organization_id=viewer.organization_id, pk__in=drawn), with_key_results=False
        )
    }
    attach_groups(viewer.organization_id, list(cards.values()))
    on_path = set(path)
    nodes = {}
    for node in drawn:
        row = skeleton.rows[node]
        nodes[node] = MapNode(
            card=cards[node],
            expected=progress.expected_progress(starts_on=row.starts_on, ends_on=row.ends_on, on=today),
            timeframe_name=row.timeframe_name if row.timeframe_id != timeframe.pk else "",
            child_count=len(skeleton.children.get(node, ())),
            opened=node in opened,
            matches=node in skeleton.matching,
            on_path=node in on_path,
            focused=bool(path) and node == path[0],
        )
    for node in drawn:
        if node in opened:
            nodes[node].children = [nodes[child] for child in skeleton.children[node]]
    return nodes

