"""Read queries shaped for pages and the API; each issues a fixed number of queries."""

import datetime

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from lodestar.okrs.cards import KeyResultRow, ObjectiveCard, objective_cards
from lodestar.okrs.models import (
    KeyResult,
    KeyResultContributor,
    Objective,
    ObjectiveContributor,
    ObjectiveGroup,
    Timeframe,
)
from lodestar.orgs.models import Membership
from lodestar.orgs.permissions import group_ids


def _taking_part(person: Membership) -> Q:
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
    return objectives.filter(Q(visibility=Objective.Visibility.PUBLIC) | _taking_part(viewer) | in_my_groups)


def current_timeframe(organization_id: int, today: datetime.date) -> Timeframe | None:
    """The timeframe an admin marked current; else the shortest running today; else the one that
    started most recently; else the next."""
    timeframes = Timeframe.objects.filter(organization_id=organization_id)
    candidates = list(timeframes.filter(Q(is_current=True) | Q(starts_on__lte=today, ends_on__gte=today)))
    marked = [tf for tf in candidates if tf.is_current]
    if marked:
        return marked[0]
    running = [tf for tf in candidates if tf.starts_on <= today <= tf.ends_on]
    if running:
        return min(running, key=lambda tf: (tf.ends_on - tf.starts_on, -tf.starts_on.toordinal()))
    return timeframes.filter(starts_on__lte=today).order_by("-ends_on").first() or (
        timeframes.order_by("starts_on").first()
    )


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
    or contribute to a key result (1 query, 2 with a private parent the person does not lead).

    Taking part in an objective implies seeing it, private or not. The objectives are found by
    the person's own rows, so the cost follows the person's goals, not the organization's size;
    the SQL text does not vary, so PostgreSQL can keep it prepared.
    """
    org = viewer.organization_id
    ids = RawSQL(_MY_OBJECTIVE_IDS_SQL, (org, viewer.pk, timeframe.pk) * 4)
    cards = objective_cards(Objective.objects.filter(organization_id=org, pk__in=ids).order_by("level", "title"))
    attach_visible_parents(viewer, cards)
    return cards


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
