"""The adoption figures are counted again soon after a change that moves them (subscribed in
RolloutConfig.ready; the rollout's own writes say so in rollout.services)."""

from lodestar.core.events import subscribe
from lodestar.okrs.events import (
    CheckInCreated,
    KeyResultAssigned,
    ObjectiveChanged,
    ObjectiveClosed,
    ObjectiveCreated,
    ObjectiveStatusesChanged,
)
from lodestar.orgs.events import GroupCreated, GroupDeleted, GroupMembersChanged, PersonAdded, PersonChanged
from lodestar.rollout import snapshots


def check_in_created(event: CheckInCreated) -> None:
    snapshots.figures_changed(event.check_in.organization_id)


def key_result_assigned(event: KeyResultAssigned) -> None:
    snapshots.figures_changed(event.key_result.organization_id)


def objective_written(event: ObjectiveCreated | ObjectiveChanged | ObjectiveClosed) -> None:
    snapshots.figures_changed(event.objective.organization_id)


def statuses_changed(event: ObjectiveStatusesChanged) -> None:
    snapshots.figures_changed(event.organization_id)


def person_written(event: PersonAdded | PersonChanged) -> None:
    snapshots.figures_changed(event.membership.organization_id)


def group_written(event: GroupCreated | GroupDeleted | GroupMembersChanged) -> None:
    snapshots.figures_changed(event.group.organization_id)


def subscribe_all() -> None:
    subscribe(CheckInCreated, check_in_created)
    subscribe(KeyResultAssigned, key_result_assigned)
    for event_type in (ObjectiveCreated, ObjectiveChanged, ObjectiveClosed):
        subscribe(event_type, objective_written)
    subscribe(ObjectiveStatusesChanged, statuses_changed)
    for event_type in (PersonAdded, PersonChanged):
        subscribe(event_type, person_written)
    for event_type in (GroupCreated, GroupDeleted, GroupMembersChanged):
        subscribe(event_type, group_written)
