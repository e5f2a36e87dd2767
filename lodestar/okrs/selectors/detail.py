"""One objective, one key result: everything their pages show, and what the viewer may check in on."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects

from lodestar.okrs import permissions
from lodestar.okrs.cards import KeyResultRow, ObjectiveCard, objective_cards
from lodestar.okrs.models import (
    CheckIn,
    KeyResult,
    KeyResultContributor,
    Objective,
    ObjectiveContributor,
    ProgressSnapshot,
)
from lodestar.okrs.selectors.initiatives import InitiativeRow, initiatives_of
from lodestar.okrs.selectors.lists import attach_groups
from lodestar.okrs.selectors.visibility import attach_visible_parents, only_visible
from lodestar.orgs.cards import Person
from lodestar.orgs.models import Membership


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
