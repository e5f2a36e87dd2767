"""What the goal services publish (lodestar.core.events). Listeners — the activity feed,
notifications, webhooks — subscribe in their apps; okrs knows none of them."""

from dataclasses import dataclass, field

from lodestar.core.events import Event
from lodestar.okrs.models import CheckIn, KeyResult, Objective
from lodestar.orgs.models import Membership


@dataclass(frozen=True)
class ObjectiveCreated(Event):
    """A new objective (also a carried-over copy)."""

    actor: Membership
    objective: Objective


@dataclass(frozen=True)
class ObjectiveChanged(Event):
    actor: Membership
    objective: Objective
    lead_before: int
    contributors_before: frozenset[int]


@dataclass(frozen=True)
class KeyResultAssigned(Event):
    """A key result was created, carried over or edited: its owner and contributors may be new."""

    actor: Membership
    key_result: KeyResult
    owner_before: int | None = None
    contributors_before: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class CheckInCreated(Event):
    """Saved and rolled up; ``actor`` is None for a check-in an automatic feed recorded."""

    actor: Membership | None
    check_in: CheckIn
    status_before: str
    progress_before: float


@dataclass(frozen=True)
class ObjectiveStatusesChanged(Event):
    """The roll-up moved the status of these objectives: {objective id: status before}."""

    organization_id: int
    status_before: dict[int, str]


@dataclass(frozen=True)
class ObjectiveClosed(Event):
    actor: Membership
    objective: Objective
