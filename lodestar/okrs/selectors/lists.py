"""Lists of objective cards: My goals and a person's page, the company and a group's page, the
objectives that move a KPI; with what lists show beside them (groups, due key results,
groups' progress, inline check-ins).
"""

import datetime

from django.db.models import Avg, Count
from django.db.models.expressions import RawSQL

from lodestar.kpis.models import KPIObjective
from lodestar.okrs.cards import KeyResultRow, ObjectiveCard, objective_cards
from lodestar.okrs.models import (
    KeyResult,
    KeyResultContributor,
    Objective,
    ObjectiveContributor,
    ObjectiveGroup,
    Timeframe,
)
from lodestar.okrs.selectors.visibility import attach_visible_parents, only_visible, visible_objectives
from lodestar.orgs.cards import GroupRef
from lodestar.orgs.models import Group, Membership
from lodestar.orgs.permissions import group_ids

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


def objective_card(viewer: Membership, objective_id: int) -> ObjectiveCard:
    """One card (of an objective the caller already checked the viewer may see)."""
    cards = objective_cards(Objective.objects.filter(organization_id=viewer.organization_id, pk=objective_id))
    attach_visible_parents(viewer, cards)
    attach_groups(viewer.organization_id, cards)
    return cards[0]


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
