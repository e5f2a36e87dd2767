"""Read models for the objective card, the component every goal list draws.

A card and its key result rows come from one ``values()`` query (objectives LEFT JOIN key
results), not from model instances and prefetches: list pages draw many of them, and building
plain rows costs a fraction of the ORM's instances (measured by make bench).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from lodestar.okrs.models import KeyResult, Objective, Status
from lodestar.orgs.cards import GroupRef, Person

_STATUS_LABELS = dict(Status.choices)
_LEVEL_LABELS = dict(Objective.Level.choices)
_KIND_LABELS = dict(KeyResult.Kind.choices)


@dataclass(slots=True)
class ParentRef:
    id: int
    title: str
    level: str
    visibility: str
    lead_id: int

    @property
    def is_private(self) -> bool:
        return self.visibility == Objective.Visibility.PRIVATE


class _Row:
    """What key result rows and objective cards both answer: their id as ``pk``, a status label."""

    __slots__ = ()

    @property
    def pk(self) -> int:
        return self.id

    @property
    def status_label(self) -> str:
        return _STATUS_LABELS[self.status]


@dataclass(slots=True)
class KeyResultRow(_Row):
    id: int
    title: str
    kind: str
    start_value: Decimal | None
    target_value: Decimal | None
    current_value: Decimal | None
    threshold_direction: str
    unit: str
    progress: float
    status: str
    last_check_in_on: date | None
    created_at: datetime
    owner_id: int
    owner: Person
    objective_id: int

    @property
    def kind_label(self) -> str:
        return _KIND_LABELS[self.kind]


@dataclass(slots=True)
class ObjectiveCard(_Row):
    id: int
    timeframe_id: int
    title: str
    level: str
    state: str
    visibility: str
    progress: float
    status: str
    lead_id: int
    lead: Person
    parent_id: int | None
    parent: ParentRef | None
    key_results: list[KeyResultRow] = field(default_factory=list)
    visible_parent: ParentRef | None = None
    groups: list[GroupRef] = field(default_factory=list)
    # How the person a page is about takes part: "lead", "owner" (of a key result), "contributor".
    roles: tuple[str, ...] = ()

    @property
    def level_label(self) -> str:
        return _LEVEL_LABELS[self.level]


_OBJECTIVE_COLUMNS = (
    "id", "timeframe_id", "title", "level", "state", "visibility", "progress", "status", "lead_id",
    "lead__user__full_name", "lead__user__email", "parent_id", "parent__title", "parent__level",
    "parent__visibility", "parent__lead_id",
)  # fmt: skip
_KEY_RESULT_COLUMNS = (
    "id", "title", "kind", "start_value", "target_value", "current_value", "threshold_direction", "unit",
    "progress", "status", "last_check_in_on", "created_at", "owner_id", "owner__user__full_name",
    "owner__user__email",
)  # fmt: skip


def objective_cards(objectives, *, with_key_results: bool = True) -> list[ObjectiveCard]:
    """Cards for a queryset of objectives (already filtered and ordered by the caller), key results
    in their order (or none, for compact lists). One query."""
    if not with_key_results:
        return _group((*row, *_NO_KEY_RESULT) for row in objectives.values_list(*_OBJECTIVE_COLUMNS))
    columns = (*_OBJECTIVE_COLUMNS, *(f"key_results__{column}" for column in _KEY_RESULT_COLUMNS))
    rows = objectives.values_list(*columns).order_by(
        *objectives.query.order_by, "key_results__position", "key_results__id"
    )
    return _group(rows)


_NO_KEY_RESULT = (None,) * len(_KEY_RESULT_COLUMNS)


def _group(rows: Iterable[tuple]) -> list[ObjectiveCard]:
    cards: dict[int, ObjectiveCard] = {}
    split = len(_OBJECTIVE_COLUMNS)
    for row in rows:
        card = cards.get(row[0])
        if card is None:
            (id_, timeframe_id, title, level, state, visibility, progress, status, lead_id, lead_name, lead_email,
             parent_id, parent_title, parent_level, parent_visibility, parent_lead_id) = row[:split]  # fmt: skip
            parent = (
                ParentRef(parent_id, parent_title, parent_level, parent_visibility, parent_lead_id)
                if parent_id
                else None
            )
            card = cards[id_] = ObjectiveCard(
                id=id_, timeframe_id=timeframe_id, title=title, level=level, state=state, visibility=visibility,
                progress=progress, status=status, lead_id=lead_id, lead=Person(lead_id, lead_name, lead_email),
                parent_id=parent_id, parent=parent,
            )  # fmt: skip
        key_result = row[split:]
        if key_result[0] is not None:
            *values, owner_id, owner_name, owner_email = key_result
            card.key_results.append(
                KeyResultRow(
                    *values, objective_id=card.id, owner_id=owner_id, owner=Person(owner_id, owner_name, owner_email)
                )
            )
    return list(cards.values())


def key_result_row(key_result: KeyResult) -> KeyResultRow:
    """The row of a key result already read as a model (with its owner's user)."""
    owner = key_result.owner
    return KeyResultRow(
        *(getattr(key_result, column) for column in _KEY_RESULT_COLUMNS[:-3]),  # all but the owner's
        owner_id=owner.pk,
        owner=Person(owner.pk, owner.user.full_name, owner.user.email),
        objective_id=key_result.objective_id,
    )
