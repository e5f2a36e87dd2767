"""What the organization services publish (lodestar.core.events); orgs knows none of the listeners."""

from dataclasses import dataclass

from lodestar.core.events import Event
from lodestar.orgs.models import Membership, Organization


@dataclass(frozen=True)
class OrganizationSettingsSaved(Event):
    """An admin saved the organization's settings (name, language, time zone, check-in day)."""

    actor: Membership
    organization: Organization
