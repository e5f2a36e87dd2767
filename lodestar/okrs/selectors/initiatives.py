"""Initiatives as pages list them: those of key results, one row, which the viewer may change, and
the person's own unfinished ones.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F

from lodestar.okrs import permissions
from lodestar.okrs.models import Initiative, Objective
from lodestar.okrs.selectors.visibility import visible_objectives
from lodestar.orgs.cards import Person
from lodestar.orgs.models import Membership


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
