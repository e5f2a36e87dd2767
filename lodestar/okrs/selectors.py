"""Read queries shaped for pages and the API; each issues a fixed number of queries."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

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


def visible_objectives(viewer: Membership) -> QuerySet[Objective]:
    """Objectives the person may see: all public ones, and private ones they take part in."""
    objectives = Objective.objects.filter(organization_id=viewer.organization_id)
    if viewer.is_admin:
        return objectives
    member_of, _ = group_ids(viewer)
    org = viewer.organization_id
    takes_part = (
        Q(lead=viewer)
        | Exists(ObjectiveContributor.objects.filter(organization_id=org, objective=OuterRef("pk"), membership=viewer))
        | Exists(ObjectiveGroup.objects.filter(organization_id=org, objective=OuterRef("pk"), group__in=member_of))
        | Exists(KeyResult.objects.filter(organization_id=org, objective=OuterRef("pk"), owner=viewer))
        | Exists(
            KeyResultContributor.objects.filter(
                organization_id=org, key_result__objective=OuterRef("pk"), membership=viewer
            )
        )
    )
    return objectives.filter(Q(visibility=Objective.Visibility.PUBLIC) | takes_part)


def current_timeframe(organization_id: int, today: datetime.date) -> Timeframe | None:
    """The shortest timeframe running today; else the one that started most recently; else the next."""
    timeframes = Timeframe.objects.filter(organization_id=organization_id)
    running = list(timeframes.filter(starts_on__lte=today, ends_on__gte=today))
    if running:
        return min(running, key=lambda tf: (tf.ends_on - tf.starts_on, -tf.starts_on.toordinal()))
    return timeframes.filter(starts_on__lte=today).order_by("-ends_on").first() or (
        timeframes.order_by("starts_on").first()
    )


def my_objectives(viewer: Membership, timeframe: Timeframe) -> list[Objective]:
    """Objectives of a timeframe the person leads or contributes to, or where they own or
    contribute to a key result, with their key results and owners (3 queries)."""
    org = viewer.organization_id
    involved = (
        Q(lead=viewer)
        | Exists(ObjectiveContributor.objects.filter(organization_id=org, objective=OuterRef("pk"), membership=viewer))
        | Exists(KeyResult.objects.filter(organization_id=org, objective=OuterRef("pk"), owner=viewer))
        | Exists(
            KeyResultContributor.objects.filter(
                organization_id=org, key_result__objective=OuterRef("pk"), membership=viewer
            )
        )
    )
    key_results = KeyResult.objects.filter(organization_id=org).select_related("owner__user").order_by("position", "id")
    objectives = list(
        visible_objectives(viewer)
        .filter(involved, timeframe=timeframe)
        .select_related("lead__user")
        .prefetch_related(Prefetch("key_results", queryset=key_results))
        .order_by("level", "title")
    )
    attach_visible_parents(viewer, objectives)
    return objectives


def attach_visible_parents(viewer: Membership, objectives: list[Objective]) -> None:
    """Set ``visible_parent`` on each objective: its parent, or None when the viewer may not
    see it (a private parent's title must not leak through its children). One query."""
    parent_ids = {objective.parent_id for objective in objectives if objective.parent_id}
    parents = visible_objectives(viewer).filter(pk__in=parent_ids).only("id", "title", "level") if parent_ids else []
    by_id = {parent.pk: parent for parent in parents}
    for objective in objectives:
        objective.visible_parent = by_id.get(objective.parent_id)


def key_results_due(viewer: Membership, objectives: list[Objective], today: datetime.date) -> list[KeyResult]:
    """The person's own key results of active objectives not updated in the last 7 days."""
    stale_before = today - datetime.timedelta(days=7)
    return [
        key_result
        for objective in objectives
        if objective.state == Objective.State.ACTIVE
        for key_result in objective.key_results.all()
        if key_result.owner_id == viewer.pk
        and key_result.progress < 1
        and (key_result.last_check_in_on is None or key_result.last_check_in_on <= stale_before)
    ]
