"""Read queries shaped for pages and the API; each issues a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.expressions import RawSQL

from lodestar.kpis.models import KPIObjective
from lodestar.okrs import permissions
from lodestar.okrs.cards import KeyResultRow, ObjectiveCard, objective_cards
from lodestar.okrs.models import (
    CheckIn,
    Initiative,
    KeyResult,
    KeyResultContributor,
    Objective,
    ObjectiveContributor,
    ObjectiveGroup,
    ProgressSnapshot,
    Timeframe,
)
from lodestar.orgs.cards import GroupRef, Person
from lodestar.orgs.models import Group, Membership
from lodestar.orgs.permissions import group_ids


def taking_part(person: Membership) -> Q:
    """Objectives a person leads, contributes to, or owns or contributes to a key result of.

    Written as IN-subqueries (each driven by an index that starts with the organization) so that
    PostgreSQL hashes them once instead of probing per objective.
    """
    org = person.organization_id
    return (
        Q(lead=person)
        | Q(pk__in=ObjectiveContributor.objects.filter(organization_id=org, membership=person).values("objective_id"))
        | Q(pk__in=KeyResult.objects.filter(organization_id=org, owner=person).values("objective_id"))
        | Q(
            pk__in=KeyResultContributor.objects.filter(organization_id=org, membership=person).values(
                "key_result__objective_id"
            )
        )
    )


def visible_objectives(viewer: Membership) -> QuerySet[Objective]:
    """Objectives the person may see: all public ones, and private ones they take part in
    or that belong to one of their groups."""
    objectives = Objective.objects.filter(organization_id=viewer.organization_id)
    if viewer.is_admin:
        return objectives
    member_of, _ = group_ids(viewer)
    in_my_groups = Q(
        pk__in=ObjectiveGroup.objects.filter(organization_id=viewer.organization_id, group__in=member_of).values(
            "objective_id"
        )
    )
    return objectives.filter(Q(visibility=Objective.Visibility.PUBLIC) | taking_part(viewer) | in_my_groups)


def visible_private_ids(viewer: Membership) -> set[int]:
    """Ids of the private objectives the viewer may see (one query, kept on the viewer)."""
    if "_visible_private_ids" not in viewer.__dict__:
        private = visible_objectives(viewer).filter(visibility=Objective.Visibility.PRIVATE)
        viewer.__dict__["_visible_private_ids"] = set(private.values_list("pk", flat=True))
    return viewer.__dict__["_visible_private_ids"]


def visible_through(viewer: Membership, field: str = "objective") -> Q:
    """Rows about an objective the viewer may see, or about none (``field`` names the row's
    objective). Written so that a newest-first list with a LIMIT checks each row's objective by
    its key and matches private ones against the few private objectives the viewer may see,
    instead of against every visible objective of a large organization."""
    private = visible_objectives(viewer).filter(visibility=Objective.Visibility.PRIVATE).values("pk")
    return (
        Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__visibility": Objective.Visibility.PUBLIC})
        | Q(**{f"{field}__in": private})
    )


def current_timeframe(organization_id: int, today: datetime.date) -> Timeframe | None:
    """The timeframe pages open on (see pick_current_timeframe)."""
    return pick_current_timeframe(list(Timeframe.objects.filter(organization_id=organization_id)), today)


def pick_current_timeframe(timeframes, today: datetime.date):
    """The timeframe an admin marked current; else the shortest running today; else the one that
    ended most recently; else the next to start. Works on models and on dicts of their values."""

    def value(timeframe, name):
        return timeframe[name] if isinstance(timeframe, dict) else getattr(timeframe, name)

    marked = [tf for tf in timeframes if value(tf, "is_current")]
    if marked:
        return marked[0]
    running = [tf for tf in timeframes if value(tf, "starts_on") <= today <= value(tf, "ends_on")]
    if running:
        return min(
            running,
            key=lambda tf: (value(tf, "ends_on") - value(tf, "starts_on"), -value(tf, "starts_on").toordinal()),
        )
    started = [tf for tf in timeframes if value(tf, "starts_on") <= today]
    if started:
        return max(started, key=lambda tf: value(tf, "ends_on"))
    return min(timeframes, key=lambda tf: value(tf, "starts_on"), default=None)


# The ids of a person's objectives in a timeframe: one UNION of index lookups, each starting with
# the organization. Plain SQL because building it through the ORM cost three times more than
# running it (measured by make bench); the organization is filtered explicitly in every arm.
# Parameters, in order, for each arm: organization, person, timeframe.
_MY_OBJECTIVE_IDS_SQL = f"""
    SELECT o.id FROM {Objective._meta.db_table} o
     WHERE o.organization_id = %s AND o.lead_id = %s AND o.timeframe_id = %s
    UNION
    SELECT c.objective_id FROM {ObjectiveContributor._meta.db_table} c
      JOIN {Objective._meta.db_table} o ON o.id = c.objective_id
     WHERE c.organization_id = %s AND c.membership_id = %s AND o.timeframe_id = %s
    UNION
    SELECT k.objective_id FROM {KeyResult._meta.db_table} k
      JOIN {Objective._meta.db_table} o ON o.id = k.objective_id
     WHERE k.organization_id = %s AND k.owner_id = %s AND o.timeframe_id = %s
    UNION
    SELECT k.objective_id FROM {KeyResultContributor._meta.db_table} kc
      JOIN {KeyResult._meta.db_table} k ON k.id = kc.key_result_id
      JOIN {Objective._meta.db_table} o ON o.id = k.objective_id
     WHERE kc.organization_id = %s AND kc.membership_id = %s AND o.timeframe_id = %s
"""


def my_objectives(viewer: Membership, timeframe: Timeframe) -> list[ObjectiveCard]:
    """Cards of a timeframe's objectives the person leads or contributes to, or where they own
    or contribute to a key result (2 queries, 3 with a private parent the person does not lead).

    Taking part in an objective implies seeing it, private or not. The objectives are found by
    the person's own rows, so the cost follows the person's goals, not the organization's size;
    the SQL text does not vary, so PostgreSQL can keep it prepared.
    """
    return person_objectives(viewer, viewer, timeframe)


def person_objectives(viewer: Membership, person: Membership, timeframe: Timeframe) -> list[ObjectiveCard]:
    """Cards of what ``person`` leads, owns or contributes to in a timeframe, as far as ``viewer``
    may see it, each with the person's roles in it."""
    org = viewer.organization_id
    ids = RawSQL(_MY_OBJECTIVE_IDS_SQL, (org, person.pk, timeframe.pk) * 4)
    objectives = Objective.objects.filter(organization_id=org, pk__in=ids)
    if person.pk != viewer.pk and not viewer.is_admin:
        objectives = objectives.filter(pk__in=visible_objectives(viewer).values("pk"))
    cards = objective_cards(objectives.order_by("level", "title"))
    contributing = _contributions(person, [card.id for card in cards])
    for card in cards:
        roles = []
        if card.lead_id == person.pk:
            roles.append("lead")
        if any(key_result.owner_id == person.pk for key_result in card.key_results):
            roles.append("owner")
        if card.id in contributing:
            roles.append("contributor")
        card.roles = tuple(roles)
    attach_visible_parents(viewer, cards)
    attach_groups(viewer.organization_id, cards)
    return cards


def _contributions(person: Membership, objective_ids: list[int]) -> set[int]:
    """Which of these objectives the person contributes to (to the objective or one of its key results)."""
    if not objective_ids:
        return set()
    org = person.organization_id
    direct = ObjectiveContributor.objects.filter(
        organization_id=org, membership=person, objective_id__in=objective_ids
    ).values_list("objective_id", flat=True)
    via_key_results = KeyResultContributor.objects.filter(
        organization_id=org, membership=person, key_result__objective_id__in=objective_ids
    ).values_list("key_result__objective_id", flat=True)
    return set(direct.union(via_key_results))


def only_visible(viewer: Membership, cards: list) -> list:
    """The cards (or objectives) the viewer may see: public ones, and private ones they lead or (one
    query, only when there are such) may see by the rules of visible_objectives."""
    doubtful = {
        card.id for card in cards if card.visibility == Objective.Visibility.PRIVATE and card.lead_id != viewer.pk
    }
    if not doubtful or viewer.is_admin:
        return cards
    hidden = doubtful - set(visible_objectives(viewer).filter(pk__in=doubtful).values_list("pk", flat=True))
    return [card for card in cards if card.id not in hidden]


def prefetch_for_permissions(objective: Objective) -> None:
    """Load once what the permission rules read of an objective (contributors with their names, groups)."""
    prefetch_related_objects(
        [objective],
        Prefetch(
            "objective_contributors",
            queryset=ObjectiveContributor.objects.filter(organization_id=objective.organization_id).select_related(
                "membership__user"
            ),
        ),
        "objective_groups",
    )


def level_objectives(
    viewer: Membership, timeframe: Timeframe, *, level: str | None = None, group: Group | None = None
) -> list[ObjectiveCard]:
    """Cards of a timeframe's objectives at one level, or owned by one group, that the viewer may see."""
    objectives = Objective.objects.filter(organization_id=viewer.organization_id, timeframe=timeframe)
    if level:
        objectives = objectives.filter(level=level)
    if group is not None:
        objectives = objectives.filter(
            pk__in=ObjectiveGroup.objects.filter(organization_id=viewer.organization_id, group=group).values(
                "objective_id"
            )
        )
    cards = only_visible(viewer, objective_cards(objectives.order_by("title")))
    attach_visible_parents(viewer, cards)
    attach_groups(viewer.organization_id, cards)
    return cards


def attach_groups(organization_id: int, cards: list[ObjectiveCard]) -> None:
    """Set each card's owning groups (one query)."""
    by_id = {card.id: card for card in cards}
    if not by_id:
        return
    rows = (
        ObjectiveGroup.objects.filter(organization_id=organization_id, objective_id__in=by_id)
        .order_by("group__name")
        .values_list("objective_id", "group_id", "group__name")
    )
    for objective_id, group_id, name in rows:
        by_id[objective_id].groups.append(GroupRef(group_id, name))


def attach_visible_parents(viewer: Membership, objectives: list[ObjectiveCard]) -> None:
    """Set ``visible_parent`` on each card: its parent, or None when the viewer may not see it,
    so that a private parent's title does not leak through its children. A query runs only for
    private parents the viewer does not lead."""
    doubtful = {
        objective.parent_id
        for objective in objectives
        if objective.parent_id
        and objective.parent.is_private
        and not viewer.is_admin
        and objective.parent.lead_id != viewer.pk
    }
    hidden = set()
    if doubtful:
        hidden = doubtful - set(visible_objectives(viewer).filter(pk__in=doubtful).values_list("pk", flat=True))
    for objective in objectives:
        objective.visible_parent = objective.parent if objective.parent_id not in hidden else None


def key_results_due(viewer: Membership, objectives: list[ObjectiveCard], today: datetime.date) -> list[KeyResultRow]:
    """The person's own key results of active objectives not updated in the last 7 days."""
    stale_before = today - datetime.timedelta(days=7)
    return [
        key_result
        for objective in objectives
        if objective.state == Objective.State.ACTIVE
        for key_result in objective.key_results
        if key_result.owner_id == viewer.pk
        and key_result.progress < 1
        and (key_result.last_check_in_on is None or key_result.last_check_in_on <= stale_before)
    ]


# --- one objective, one key result ------------------------------------------------------------------


@dataclass
class InitiativeRow:
    id: int
    title: str
    state: str
    state_label: str
    due_on: datetime.date | None
    progress_percent: int | None
    owner: Person | None
    key_result_ids: list[int] = field(default_factory=list)
    overdue: bool = False  # due before today and not done

    @property
    def pk(self) -> int:
        return self.id


@dataclass
class ObjectiveDetail:
    card: ObjectiveCard
    contributors: list[Person]
    children: list[ObjectiveCard]
    initiatives: list[InitiativeRow]
    snapshots: list[tuple[datetime.date, float]]

    @property
    def initiatives_per_key_result(self) -> list[tuple[KeyResultRow, list[InitiativeRow]]]:
        """Each key result with the initiatives that serve it (one initiative may serve several)."""
        return [
            (key_result, [row for row in self.initiatives if key_result.id in row.key_result_ids])
            for key_result in self.card.key_results
        ]


def objective_detail(viewer: Membership, objective: Objective, *, today: datetime.date) -> ObjectiveDetail:
    """Everything the objective page shows, in a fixed number of queries."""
    org = viewer.organization_id
    card = objective_cards(Objective.objects.filter(organization_id=org, pk=objective.pk))[0]
    children = only_visible(
        viewer,
        objective_cards(
            Objective.objects.filter(organization_id=org, parent_id=objective.pk).order_by("level", "title"),
            with_key_results=False,
        ),
    )
    attach_visible_parents(viewer, [card])
    attach_groups(org, [card, *children])
    prefetch_for_permissions(objective)
    contributors = sorted(
        (
            Person(link.membership_id, link.membership.user.full_name, link.membership.user.email)
            for link in objective.objective_contributors.all()
        ),
        key=lambda person: person.full_name,
    )
    snapshots = list(
        ProgressSnapshot.objects.filter(organization_id=org, objective_id=objective.pk)
        .order_by("on")
        .values_list("on", "progress")
    )
    return ObjectiveDetail(
        card=card,
        contributors=contributors,
        children=children,
        initiatives=initiatives_of(org, key_result_ids=[kr.id for kr in card.key_results], today=today),
        snapshots=snapshots,
    )


_INITIATIVE_COLUMNS = (
    "id", "title", "state", "due_on", "progress_percent", "owner_id", "owner__user__full_name",
    "owner__user__email", "initiative_key_results__key_result_id",
)  # fmt: skip


def initiatives_of(organization_id: int, *, key_result_ids: list[int], today: datetime.date) -> list[InitiativeRow]:
    """The initiatives linked to any of these key results, by due date (one query)."""
    if not key_result_ids:
        return []
    return _initiative_rows(
        Initiative.objects.filter(
            organization_id=organization_id, initiative_key_results__key_result_id__in=key_result_ids
        ),
        today,
    )


def _initiative_rows(initiatives, today: datetime.date) -> list[InitiativeRow]:
    rows = initiatives.order_by(F("due_on").asc(nulls_last=True), "title", "id").values_list(*_INITIATIVE_COLUMNS)
    labels = dict(Initiative.State.choices)
    by_id: dict[int, InitiativeRow] = {}
    for id_, title, state, due_on, percent, owner_id, owner_name, owner_email, key_result_id in rows:
        row = by_id.get(id_)
        if row is None:
            owner = Person(owner_id, owner_name, owner_email) if owner_id else None
            overdue = due_on is not None and due_on < today and state != Initiative.State.DONE
            row = by_id[id_] = InitiativeRow(id_, title, state, labels[state], due_on, percent, owner, overdue=overdue)
        if key_result_id is not None:
            row.key_result_ids.append(key_result_id)
    return list(by_id.values())


def initiative_row(viewer: Membership, initiative_id: int, *, today: datetime.date) -> InitiativeRow:
    """One initiative as lists draw it (of an initiative the caller already checked the viewer may see)."""
    return _initiative_rows(Initiative.objects.filter(organization_id=viewer.organization_id, pk=initiative_id), today)[
        0
    ]


def editable_initiatives(
    viewer: Membership, rows: list[InitiativeRow], check_in_ids: set[int], *, objective: Objective
) -> set[int]:
    """Ids of the initiatives the viewer may change, by permissions.can_edit_initiative: their own,
    and those of key results the viewer may check in on (``check_in_ids``, computed by the page).
    On the page of a closed objective or cycle, none but an admin's: that work is read-only."""
    if not viewer.can_write or not permissions.objective_open_for(viewer, objective):
        return set()
    return {
        row.id
        for row in rows
        if viewer.is_admin or (row.owner and row.owner.id == viewer.pk) or check_in_ids & set(row.key_result_ids)
    }


MY_INITIATIVES_SHOWN = 20


@dataclass
class MyInitiative:
    row: InitiativeRow
    key_result_id: int | None
    key_result_title: str


def my_initiatives(viewer: Membership, *, today: datetime.date) -> list[MyInitiative]:
    """The unfinished initiatives the person owns, soonest due first, each with a key result it
    serves (one query; at most MY_INITIATIVES_SHOWN)."""
    rows = (
        Initiative.objects.filter(
            organization_id=viewer.organization_id,
            owner=viewer,
            # Only through key results the person may see: a private objective's titles do not leak.
            initiative_key_results__key_result__objective__in=visible_objectives(viewer).values("pk"),
        )
        .exclude(state=Initiative.State.DONE)
        .order_by(F("due_on").asc(nulls_last=True), "title", "id", "initiative_key_results__key_result_id")
        .values_list(
            "id", "title", "state", "due_on", "progress_percent",
            "initiative_key_results__key_result_id", "initiative_key_results__key_result__title",
        )
    )  # fmt: skip
    labels = dict(Initiative.State.choices)
    mine: dict[int, MyInitiative] = {}
    for id_, title, state, due_on, percent, key_result_id, key_result_title in rows:
        if id_ in mine:
            continue
        if len(mine) == MY_INITIATIVES_SHOWN:
            break
        overdue = due_on is not None and due_on < today
        row = InitiativeRow(id_, title, state, labels[state], due_on, percent, None, overdue=overdue)
        mine[id_] = MyInitiative(row, key_result_id, key_result_title or "")
    return list(mine.values())


@dataclass
class CheckInRow:
    id: int
    effective_on: datetime.date
    value: object
    percent: object
    done: bool | None
    status: str
    status_label: str
    status_is_automatic: bool
    confidence: int | None
    comment: str
    author: Person | None
    source: str = ""  # the automatic feed that recorded it (then there is no author)


@dataclass
class KeyResultDetail:
    row: KeyResultRow
    contributors: list[Person]
    check_ins: list[CheckInRow]
    initiatives: list[InitiativeRow]


_CHECK_IN_COLUMNS = (
    "id", "effective_on", "value", "percent", "done", "status", "status_is_automatic", "confidence", "comment",
    "author_id", "author__user__full_name", "author__user__email", "source",
)  # fmt: skip


def key_result_detail(viewer: Membership, key_result: KeyResult, *, today: datetime.date) -> KeyResultDetail:
    """Everything the key result page shows: its row, contributors, every check-in (newest first)."""
    org = viewer.organization_id
    card = objective_cards(Objective.objects.filter(organization_id=org, pk=key_result.objective_id))[0]
    row = next(kr for kr in card.key_results if kr.id == key_result.pk)
    contributors = [
        Person(*values)
        for values in KeyResultContributor.objects.filter(organization_id=org, key_result_id=key_result.pk)
        .order_by("membership__user__full_name")
        .values_list("membership_id", "membership__user__full_name", "membership__user__email")
    ]
    labels = dict(CheckIn._meta.get_field("status").choices)
    rows = (
        CheckIn.objects.filter(organization_id=org, key_result_id=key_result.pk)
        .order_by("-effective_on", "-created_at", "-id")
        .values_list(*_CHECK_IN_COLUMNS)
    )
    check_ins = []
    for *reading, status, automatic, confidence, comment, author_id, name, email, source in rows:
        author = Person(author_id, name, email) if author_id else None
        label = labels.get(status, status)
        check_ins.append(CheckInRow(*reading, status, label, automatic, confidence, comment, author, source))
    return KeyResultDetail(
        row=row,
        contributors=contributors,
        check_ins=check_ins,
        initiatives=initiatives_of(org, key_result_ids=[key_result.pk], today=today),
    )


# --- groups ---------------------------------------------------------------------------------------------


def groups_progress(viewer: Membership, timeframe: Timeframe, group_ids) -> dict[int, tuple[float, int]]:
    """{group id: (mean progress, number)} of the active objectives each group owns in a timeframe,
    counting only objectives the viewer may see (one query)."""
    rows = (
        ObjectiveGroup.objects.filter(
            organization_id=viewer.organization_id,
            group_id__in=group_ids,
            objective__timeframe=timeframe,
            objective__state=Objective.State.ACTIVE,
            objective__in=visible_objectives(viewer).values("pk"),
        )
        .values("group_id")
        .annotate(mean=Avg("objective__progress"), number=Count("objective_id"))
        .values_list("group_id", "mean", "number")
    )
    return {group_id: (mean or 0.0, number) for group_id, mean, number in rows}


def my_group_ids(viewer: Membership) -> list[int]:
    member_of, _ = group_ids(viewer)
    return sorted(member_of)


def group_names(organization_id: int, ids) -> list[GroupRef]:
    return [
        GroupRef(*row)
        for row in Group.objects.filter(organization_id=organization_id, pk__in=ids)
        .order_by("name")
        .values_list("id", "name")
    ]


def key_results_open_for_check_in(viewer: Membership, objective: Objective, key_result_ids) -> set:
    """Ids among ``key_result_ids`` (the objective's) the viewer may check in on, by the rules of
    permissions.can_check_in (one query for the key results' contributors, after
    prefetch_for_permissions on the objective)."""
    if not viewer.can_write or not key_result_ids:
        return set()
    key_results = list(
        KeyResult.objects.filter(organization_id=viewer.organization_id, pk__in=key_result_ids)
        .only("id", "organization_id", "objective_id", "owner_id")
        .prefetch_related("key_result_contributors")
    )
    for key_result in key_results:
        key_result.objective = objective
    return {key_result.pk for key_result in key_results if permissions.can_check_in(viewer, key_result)}


def objective_card(viewer: Membership, objective_id: int) -> ObjectiveCard:
    """One card (of an objective the caller already checked the viewer may see)."""
    cards = objective_cards(Objective.objects.filter(organization_id=viewer.organization_id, pk=objective_id))
    attach_visible_parents(viewer, cards)
    attach_groups(viewer.organization_id, cards)
    return cards[0]


def timeframe_of(viewer: Membership, timeframe_id: int) -> Timeframe:
    return Timeframe.objects.get(organization_id=viewer.organization_id, pk=timeframe_id)


@dataclass(frozen=True)
class AlignmentCoverage:
    aligned: int
    total: int

    @property
    def share(self) -> float:
        return self.aligned / self.total if self.total else 0.0


def alignment_coverage(viewer: Membership, timeframe: Timeframe) -> AlignmentCoverage:
    """How many of the timeframe's active group objectives (that the viewer may see) are aligned to a
    company objective, directly or through the group objective they align to (one query)."""
    company = Objective.Level.COMPANY
    counts = (
        visible_objectives(viewer)
        .filter(timeframe=timeframe, level=Objective.Level.GROUP, state=Objective.State.ACTIVE)
        .aggregate(
            total=Count("pk"),
            aligned=Count("pk", filter=Q(parent__level=company) | Q(parent__parent__level=company)),
        )
    )
    return AlignmentCoverage(aligned=counts["aligned"], total=counts["total"])


UNALIGNED_SHOWN = 500


def unaligned_objectives(viewer: Membership, timeframe: Timeframe) -> tuple[list[tuple[str, list]], int]:
    """Active group and personal objectives of the timeframe that align to nothing, as the viewer may
    see them: ([(owning group's name, or "" for personal ones, [cards])], how many in all). At most
    UNALIGNED_SHOWN are listed (three queries)."""
    objectives = visible_objectives(viewer).filter(
        timeframe=timeframe,
        level__in=[Objective.Level.GROUP, Objective.Level.PERSONAL],
        state=Objective.State.ACTIVE,
        parent__isnull=True,
    )
    total = objectives.count()
    cards = objective_cards(objectives.order_by("level", "title", "pk")[:UNALIGNED_SHOWN], with_key_results=False)
    attach_groups(viewer.organization_id, cards)
    by_group: dict[str, list] = {}
    for card in cards:
        for name in [group.name for group in card.groups] or [""]:
            by_group.setdefault(name, []).append(card)
    return sorted(by_group.items(), key=lambda item: (item[0] == "", item[0])), total


def list_check_in_ids(viewer: Membership, cards: list[ObjectiveCard]) -> set[int]:
    """Key results that goal lists (My goals, person and group pages) offer the inline check-in on:
    the viewer's own, in active objectives. The check-in view applies the full rule; contributors
    and leads check in from the objective page."""
    if not viewer.can_write:
        return set()
    return {
        key_result.id
        for card in cards
        if card.state == Objective.State.ACTIVE
        for key_result in card.key_results
        if key_result.owner_id == viewer.pk
    }


# --- carry-over links ----------------------------------------------------------------------------


def carried_from(viewer: Membership, objective: Objective) -> Objective | None:
    """The objective this one continues, when the viewer may see it."""
    if objective.carried_over_from_id is None:
        return None
    return visible_objectives(viewer).select_related("timeframe").filter(pk=objective.carried_over_from_id).first()


def carried_to(viewer: Membership, objective: Objective) -> list[Objective]:
    """Where this objective continues, as far as the viewer may see."""
    return list(
        visible_objectives(viewer)
        .filter(carried_over_from=objective.pk)
        .select_related("timeframe")
        .order_by("timeframe__starts_on", "pk")
    )


def key_result_carried_from(viewer: Membership, key_result) -> KeyResult | None:
    if key_result.carried_over_from_id is None:
        return None
    return (
        KeyResult.objects.filter(
            organization_id=viewer.organization_id,
            pk=key_result.carried_over_from_id,
            objective__in=visible_objectives(viewer).values("pk"),
        )
        .select_related("objective__timeframe")
        .first()
    )


def key_result_carried_to(viewer: Membership, key_result) -> list[KeyResult]:
    return list(
        KeyResult.objects.filter(
            organization_id=viewer.organization_id,
            carried_over_from=key_result.pk,
            objective__in=visible_objectives(viewer).values("pk"),
        )
        .select_related("objective__timeframe")
        .order_by("objective__timeframe__starts_on", "pk")
    )


def drafts_of(timeframe) -> QuerySet[Objective]:
    return Objective.objects.filter(
        organization_id=timeframe.organization_id, timeframe=timeframe, state=Objective.State.DRAFT
    )


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


def objectives_moving(viewer: Membership, kpi_id: int) -> list[ObjectiveCard]:
    """The objectives the viewer may see that aim to move a KPI, newest timeframe first (two queries)."""
    org = viewer.organization_id
    linked = Objective.objects.filter(
        organization_id=org,
        pk__in=KPIObjective.objects.filter(organization_id=org, kpi_id=kpi_id).values("objective_id"),
    ).order_by("-timeframe__starts_on", "title")
    objectives = only_visible(viewer, objective_cards(linked, with_key_results=False))
    attach_groups(org, objectives)
    return objectives
