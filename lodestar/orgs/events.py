"""What the organization services publish (lodestar.core.events); orgs knows none of the listeners."""

from dataclasses import dataclass, field

from lodestar.core.events import Event
from lodestar.orgs.models import Group, Membership, Organization


@dataclass(frozen=True)
class OrganizationSettingsSaved(Event):
    """An admin saved the organization's settings (name, language, time zone, check-in day);
    ``changes`` maps each setting that changed to (before, after)."""

    actor: Membership
    organization: Organization
    changes: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PersonAdded(Event):
    """Someone became a member without an invitation (an organization's first owner); ``actor`` is
    None when the system did it."""

    actor: Membership | None
    membership: Membership


@dataclass(frozen=True)
class PersonChanged(Event):
    """An admin changed a person's role, job title, manager, OKR ambassador or active flag;
    ``changes`` maps each field that changed to (before, after)."""

    actor: Membership
    membership: Membership
    changes: dict


@dataclass(frozen=True)
class GroupCreated(Event):
    actor: Membership
    group: Group


@dataclass(frozen=True)
class GroupChanged(Event):
    """``changes`` maps each field that changed (name, slug, description, parent) to (before, after)."""

    actor: Membership
    group: Group
    changes: dict


@dataclass(frozen=True)
class GroupDeleted(Event):
    """The group is gone from the database; the instance keeps its id and name."""

    actor: Membership
    group: Group


@dataclass(frozen=True)
class GroupMembersChanged(Event):
    """People joined or left a group, or began or stopped leading it."""

    actor: Membership
    group: Group
    added: tuple[Membership, ...] = ()
    removed: tuple[Membership, ...] = ()
    now_leading: tuple[Membership, ...] = ()
    no_longer_leading: tuple[Membership, ...] = ()
