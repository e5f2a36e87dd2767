"""Who sees which objective: the rule (visible_objectives) and the filters and checks of
cards built on it, so that a private objective never shows through a list or a link.
"""

from django.db.models import Q, QuerySet

from lodestar.okrs.cards import ObjectiveCard
from lodestar.okrs.models import KeyResult, KeyResultContributor, Objective, ObjectiveContributor, ObjectiveGroup
from lodestar.orgs.models import Membership
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
