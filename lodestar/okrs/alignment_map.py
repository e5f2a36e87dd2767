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
from typing import NamedTuple

from django.db.models import Q

from lodestar.okrs import progress, tree
from lodestar.okrs.cards import ObjectiveCard, objective_cards
from lodestar.okrs.models import Objective, ObjectiveGroup, Timeframe
from lodestar.okrs.selectors import attach_groups, taking_part, visible_objectives
from lodestar.orgs.models import Group, GroupMembership, Membership

MAP_NODES_SHOWN = 120  # objectives one page draws at most, beyond the path to a focused one
SECTION_ROOTS_SHOWN = 300
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


SECTIONS = ("company", "unaligned", "beyond_sight")


@dataclass
class MapSection:
    """One part of the map: the company tree; objectives aligned to nothing; objectives aligned to
    one the viewer may not see. Its top objectives are ``nodes``, or None when the page had no room
    for them (they load when asked for)."""

    name: str
    total: int  # top objectives in the section
    nodes: list[MapNode] | None

    @property
    def drawn(self) -> bool:
        return self.nodes is not None

    @property
    def not_shown(self) -> int:
        return self.total - len(self.nodes or ())


@dataclass
class AlignmentMap:
    company: MapSection
    unaligned: MapSection
    beyond_sight: MapSection
    objective_count: int  # in the map, after filtering
    matching: int
    filtered: bool
    focus_found: bool


class _Row(NamedTuple):
    id: int
    parent_id: int | None
    level: str
    visibility: str
    lead_id: int
    status: str
    timeframe_id: int


_ROW_COLUMNS = _Row._fields


@dataclass
class _Tree:
    rows: dict[int, _Row]
    elsewhere: dict[int, Timeframe]  # the other timeframes of objectives the map's ones align to
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
    sections: frozenset[str] = frozenset(),
) -> AlignmentMap:
    """The map of a timeframe as the viewer may see it (a fixed number of queries). The company
    tree is drawn first, whole levels while they fit MAP_NODES_SHOWN; the other sections after it
    while room is left, or when named in ``sections`` or holding the focused objective."""
    skeleton = _tree(viewer, timeframe, filters)
    roots = sorted(node for node, parent in skeleton.parent_of.items() if parent is None)  # the oldest first
    tops = [node for node in roots if node not in skeleton.beyond_sight]
    section_roots = {
        "company": [node for node in tops if _is_top(skeleton.rows[node], timeframe)],
        "unaligned": [node for node in tops if not _is_top(skeleton.rows[node], timeframe)],
        "beyond_sight": [node for node in roots if node in skeleton.beyond_sight],
    }
    path = tree.path_up(focus_id, skeleton.parent_of) if focus_id in skeleton.parent_of else []
    room, shown, opened = MAP_NODES_SHOWN, {}, set()
    for name in SECTIONS:
        top = section_roots[name]
        holds_path = bool(path) and path[-1] in top
        if name != "company" and name not in sections and not holds_path and len(top) > room:
            continue
        shown[name] = top[:SECTION_ROOTS_SHOWN]
        section_opened = tree.nodes_to_open(
            shown[name], skeleton.children, budget=max(room, len(shown[name])), always=path if holds_path else ()
        )
        room -= len(shown[name]) + sum(len(skeleton.children[node]) for node in section_opened)
        opened |= section_opened
    nodes = _draw(viewer, skeleton, [node for top in shown.values() for node in top], opened, timeframe, today, path)
    return AlignmentMap(
        **{
            name: MapSection(name, len(section_roots[name]), _in_order(nodes, shown[name]) if name in shown else None)
            for name in SECTIONS
        },
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
    return _in_order(nodes, roots)


def _is_top(row: _Row, timeframe: Timeframe) -> bool:
    """Company objectives and the objectives of other timeframes that this one's align to."""
    return row.level == Objective.Level.COMPANY or row.timeframe_id != timeframe.pk


def _tree(viewer: Membership, timeframe: Timeframe, filters: MapFilters) -> _Tree:
    """The timeframe's objectives and the ones of other timeframes they align to, as the viewer may
    see them and as the filters narrow them (two queries, one more when there are private objectives
    and one or two for a filter)."""
    org = viewer.organization_id
    objectives = Objective.objects.filter(organization_id=org).order_by()
    rows = {row.id: row for row in map(_Row._make, objectives.filter(timeframe=timeframe).values_list(*_ROW_COLUMNS))}
    outside = {row.parent_id for row in rows.values()} - rows.keys() - {None}
    elsewhere = {}
    if outside:
        for *values, name, starts_on, ends_on in objectives.filter(pk__in=outside).values_list(
            *_ROW_COLUMNS, "timeframe__name", "timeframe__starts_on", "timeframe__ends_on"
        ):
            row = _Row(*values)._replace(parent_id=None)  # the map starts there
            rows[row.id] = row
            elsewhere[row.id] = Timeframe(pk=row.timeframe_id, name=name, starts_on=starts_on, ends_on=ends_on)
    hidden = _hidden(viewer, rows.values())
    parent_of, beyond_sight = {}, set()
    for row in rows.values():
        if row.id in hidden:
            continue
        parent = row.parent_id
        if parent in hidden:
            beyond_sight.add(row.id)
            parent = None
        parent_of[row.id] = parent
    matching = set(parent_of)
    if filters.active:
        in_map = Q(timeframe=timeframe) | Q(pk__in=list(elsewhere))
        matching = _matching(viewer, filters, rows, matching, in_map)
        kept = tree.with_ancestors(matching, parent_of)
        parent_of = {node: parent for node, parent in parent_of.items() if node in kept}
    return _Tree(rows, elsewhere, parent_of, tree.children_of(parent_of, parent_of), beyond_sight, matching)


def _hidden(viewer: Membership, rows) -> set[int]:
    """The private objectives among ``rows`` the viewer may not see (one query, when there are any
    the viewer does not lead)."""
    private = [row.id for row in rows if row.visibility == Objective.Visibility.PRIVATE and row.lead_id != viewer.pk]
    if not private or viewer.is_admin:
        return set()
    return set(private) - set(visible_objectives(viewer).filter(pk__in=private).values_list("pk", flat=True))


def _matching(viewer: Membership, filters: MapFilters, rows: dict[int, _Row], visible: set[int], in_map: Q) -> set[int]:
    """Ids among ``visible`` (of ``rows``, the objectives ``in_map``) that meet every filter that is set."""
    org = viewer.organization_id
    matching = set(visible)
    if filters.status:
        matching = {node for node in matching if rows[node].status == filters.status}
    objectives = Objective.objects.filter(in_map, organization_id=org).order_by()
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
    """MapNodes for the roots and everything below the opened nodes (two queries: cards, groups),
    children in the order of _in_order."""
    drawn, stack = [], list(roots)
    while stack:
        node = stack.pop()
        drawn.append(node)
        if node in opened:
            stack.extend(skeleton.children[node])
    cards = {
        card.id: card
        for card in objective_cards(
            Objective.objects.filter(organization_id=viewer.organization_id, pk__in=drawn).order_by(),
            with_key_results=False,
        )
    }
    attach_groups(viewer.organization_id, list(cards.values()))
    on_path = set(path)
    nodes = {}
    for node in drawn:
        node_timeframe = skeleton.elsewhere.get(node, timeframe)
        nodes[node] = MapNode(
            card=cards[node],
            expected=progress.expected_progress(
                starts_on=node_timeframe.starts_on, ends_on=node_timeframe.ends_on, on=today
            ),
            timeframe_name=node_timeframe.name if node in skeleton.elsewhere else "",
            child_count=len(skeleton.children.get(node, ())),
            opened=node in opened,
            matches=node in skeleton.matching,
            on_path=node in on_path,
            focused=bool(path) and node == path[0],
        )
    for node in opened:
        if node in nodes:
            nodes[node].children = _in_order(nodes, skeleton.children[node])
    return nodes


def _in_order(nodes: dict[int, MapNode], ids) -> list[MapNode]:
    """Objectives of other timeframes first, then company, group and personal ones, each by title."""
    return sorted(
        (nodes[node] for node in ids),
        key=lambda node: (not node.timeframe_name, _LEVEL_RANK[node.card.level], node.card.title.casefold(), node.pk),
    )
