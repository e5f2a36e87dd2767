"""One objective, one key result: everything their pages show, and what the viewer may check in on."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, prefetch_related_objects

from lodestar.okrs import permissions
from lodestar.okrs.cards import KeyResultRow, ObjectiveCard, key_result_row, objective_cards
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
from lodestar.okrs.selectors.visibility import visible_objectives
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
    check_in_ids: set[int]  # the key results the viewer may check in on

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
    # Its children and its parent as far as the viewer may see them, in one query whatever their
    # visibility: the parent is told apart by its id (an objective is never its parent's parent).
    relatives = objective_cards(
        visible_objectives(viewer)
        .filter(Q(parent_id=objective.pk) | Q(pk=objective.parent_id))
        .order_by("level", "title"),
        with_key_results=False,
    )
    children = [relative for relative in relatives if relative.parent_id == objective.pk]
    if any(relative.id == objective.parent_id for relative in relatives):
        card.visible_parent = card.parent
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
    # The permission rules read key results as models: these carry what they read, from the card's rows.
    key_results = [
        KeyResult(pk=row.id, organization_id=org, objective_id=objective.pk, owner_id=row.owner_id)
        for row in card.key_results
    ]
    return ObjectiveDetail(
        card=card,
        contributors=contributors,
        children=children,
        initiatives=initiatives_of(org, key_result_ids=[kr.id for kr in card.key_results], today=today),
        snapshots=snapshots,
        check_in_ids=key_results_open_for_check_in(viewer, objective, key_results),
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
    may_check_in: bool


_CHECK_IN_COLUMNS = (
    "id", "effective_on", "value", "percent", "done", "status", "status_is_automatic", "confidence", "comment",
    "author_id", "author__user__full_name", "author__user__email", "source",
)  # fmt: skip


def key_result_detail(viewer: Membership, key_result: KeyResult, *, today: datetime.date) -> KeyResultDetail:
    """Everything the key result page shows: its row, contributors, every check-in (newest first),
    and whether the viewer may check in (``key_result`` as access_key_result reads it)."""
    org = viewer.organization_id
    prefetch_for_permissions(key_result.objective)
    _prefetch_contributors([key_result])  # the check-in rule below reads them too
    may_check_in = key_result.pk in key_results_open_for_check_in(viewer, key_result.objective, [key_result])
    contributors = [
        Person(link.membership_id, link.membership.user.full_name, link.membership.user.email)
        for link in key_result.key_result_contributors.all()
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
        row=key_result_row(key_result),
        contributors=contributors,
        check_ins=check_ins,
        initiatives=initiatives_of(org, key_result_ids=[key_result.pk], today=today),
        may_check_in=may_check_in,
    )


def key_results_open_for_check_in(viewer: Membership, objective: Objective, key_results: list[KeyResult]) -> set:
    """Ids among ``key_results`` (the objective's, models with at least their owner) the viewer may
    check in on, by the rules of permissions.can_check_in: one query for their contributors unless
    already read, after prefetch_for_permissions on the objective."""
    if not viewer.can_write:
        return set()
    _prefetch_contributors(key_results)
    for key_result in key_results:
        key_result.objective = objective
    return {key_result.pk for key_result in key_results if permissions.can_check_in(viewer, key_result)}


def _prefetch_contributors(key_results: list[KeyResult]) -> None:
    """The key results' contributors with their names, in order (one query, none when already read)."""
    if key_results:
        prefetch_related_objects(
            key_results,
            Prefetch(
                "key_result_contributors",
                queryset=KeyResultContributor.objects.filter(organization_id=key_results[0].organization_id)
                .select_related("membership__user")
                .order_by("membership__user__full_name"),
            ),
        )
