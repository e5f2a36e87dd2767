"""The getting-started checklist hears that the organization's settings were saved (subscribed in
PagesConfig.ready)."""

from lodestar.core.events import subscribe
from lodestar.orgs.events import OrganizationSettingsSaved
from lodestar.pages import checklist


def subscribe_all() -> None:
    subscribe(OrganizationSettingsSaved, checklist.settings_saved)
