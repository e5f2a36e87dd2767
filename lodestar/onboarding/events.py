"""What the onboarding services publish (lodestar.core.events); onboarding knows none of the listeners."""

from dataclasses import dataclass

from lodestar.core.events import Event
from lodestar.onboarding.models import Invitation, PeopleImport
from lodestar.orgs.models import Membership


@dataclass(frozen=True)
class InvitationSent(Event):
    """An admin invited someone (``resent``: sent a fresh link for a pending invitation)."""

    actor: Membership
    invitation: Invitation
    resent: bool = False


@dataclass(frozen=True)
class InvitationRevoked(Event):
    actor: Membership
    invitation: Invitation


@dataclass(frozen=True)
class InvitationAccepted(Event):
    """The person the invitation was mailed to accepted it as ``user`` and is now ``membership``."""

    user: object
    invitation: Invitation
    membership: Membership


@dataclass(frozen=True)
class PeopleImportApplied(Event):
    """An admin applied a people import; its ``result`` counts what it did."""

    actor: Membership
    people_import: PeopleImport


@dataclass(frozen=True)
class ImportInvitationsSent(Event):
    """An admin sent the invitations an import had made without sending them."""

    actor: Membership
    people_import: PeopleImport
    count: int
