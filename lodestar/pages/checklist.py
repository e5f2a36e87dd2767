"""The getting-started checklist on an admin's home page: the six things a new organization sets up
in its first hour, each ticked from the organization's own data.

It lives in pages because it reads every floor up to the rollout. One query answers all six steps
(``Exists`` subqueries on the organization's row), and only for owners and admins: members and
viewers never see it and cost nothing.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lodestar.core.errors import NotAllowed
from lodestar.core.transactions import atomic_service
from lodestar.okrs.models import Timeframe
from lodestar.orgs.events import OrganizationSettingsSaved
from lodestar.orgs.models import GroupMembership, Membership, Organization
from lodestar.pages.models import ChecklistHidden, SettingsSaved
from lodestar.rollout.models import Rollout
from lodestar.strategy.models import Strategy


@dataclass(frozen=True)
class Step:
    key: str
    label: Promise  # what to do, as the link reads
    why: Promise  # one sentence: why it matters
    url_name: str  # the page that does it
    done: bool


@dataclass(frozen=True)
class Checklist:
    steps: list[Step]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)


# (key, label, why, url name), in the order a new organization does them.
STEPS = (
    (
        "settings",
        gettext_lazy("Check the name, language and time zone"),
        gettext_lazy("Everyone who has not chosen their own sees Lodestar in this language and time zone."),
        "orgs:settings",
    ),
    (
        "strategy",
        gettext_lazy("Write the vision and mission"),
        gettext_lazy("Every company objective serves them, and the kick-off slides open with them."),
        "strategy:strategy_edit",
    ),
    (
        "groups",
        gettext_lazy("Set up groups with their leads"),
        gettext_lazy("Teams own objectives together; their leads manage them."),
        "directory:groups",
    ),
    (
        "people",
        gettext_lazy("Invite your colleagues"),
        gettext_lazy("Everyone sees every goal: bring in the people who set and update them."),
        "onboarding:invite",
    ),
    (
        "timeframe",
        gettext_lazy("Create the first timeframe"),
        gettext_lazy("Objectives live in a timeframe such as a quarter."),
        "okrs:timeframe_create",
    ),
    (
        "rollout",
        gettext_lazy("Start the rollout"),
        gettext_lazy("A proven plan of phases and milestones, from the first training to the kick-off."),
        "rollout:plan",
    ),
)

_DEFAULT_LANGUAGE = Organization._meta.get_field("language").default
_DEFAULT_TIME_ZONE = Organization._meta.get_field("time_zone").default


def getting_started(viewer: Membership) -> Checklist | None:
    """The checklist for an owner or admin who has not hidden it, while a step is open; else None.

    Each step ticks from data: the settings were saved once (or the language or time zone differ
    from the defaults, as when the organization was created with them); a vision and a mission are
    written; a group has an active lead; someone besides the viewer is an active member; a
    timeframe exists; the rollout plan exists."""
    if not viewer.is_admin:
        return None
    mine = OuterRef("pk")
    row = (
        Organization.objects.filter(pk=viewer.organization_id)
        .annotate(
            hidden=Exists(ChecklistHidden.objects.filter(organization=mine, membership=viewer)),
            settings_saved=Exists(SettingsSaved.objects.filter(organization=mine)),
            step_strategy=Exists(Strategy.objects.filter(organization=mine).exclude(vision="").exclude(mission="")),
            step_groups=Exists(
                GroupMembership.objects.filter(organization=mine, is_lead=True, membership__is_active=True)
            ),
            # The viewer is an active admin: anyone else active makes more than one.
            step_people=Exists(Membership.objects.filter(organization=mine, is_active=True).exclude(pk=viewer.pk)),
            step_timeframe=Exists(Timeframe.objects.filter(organization=mine)),
            step_rollout=Exists(Rollout.objects.filter(organization=mine)),  # the plan; its steps need it
        )
        .values(
            "language",
            "time_zone",
            "hidden",
            "settings_saved",
            "step_strategy",
            "step_groups",
            "step_people",
            "step_timeframe",
            "step_rollout",
        )
        .get()
    )
    if row["hidden"]:
        return None
    chosen_at_creation = (row["language"], row["time_zone"]) != (_DEFAULT_LANGUAGE, _DEFAULT_TIME_ZONE)
    row["step_settings"] = row["settings_saved"] or chosen_at_creation
    checklist = Checklist(
        [Step(key, label, why, url_name, bool(row[f"step_{key}"])) for key, label, why, url_name in STEPS]
    )
    return None if checklist.complete else checklist


@atomic_service
def hide_getting_started(*, actor: Membership) -> None:
    """An admin hides the checklist from their own home page (for good; the steps stay where they are)."""
    if not actor.is_admin:
        raise NotAllowed(_("Only admins set up the organization."))
    ChecklistHidden.objects.get_or_create(organization_id=actor.organization_id, membership=actor)


def settings_saved(event: OrganizationSettingsSaved) -> None:
    """Listener: an admin saved the organization's settings."""
    record_settings_saved(event.organization)


def record_settings_saved(organization: Organization) -> None:
    """Remember that the organization's settings were saved (the first time counts)."""
    SettingsSaved.objects.get_or_create(organization=organization, defaults={"saved_at": timezone.now()})
