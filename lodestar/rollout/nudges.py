"""Nudges: once a rollout group's date has passed, each member who has not reached the group's
goal is told their next step, in the app (and by e-mail, as their preferences say). The worker
plans them every minute; a person is nudged once per group and goal, whichever worker plans it."""

import datetime
import logging
import zoneinfo

from lodestar.core.transactions import atomic_service
from lodestar.notifications.models import Notification
from lodestar.notifications.services import notify
from lodestar.orgs.models import Organization
from lodestar.orgs.selectors import each_organization
from lodestar.rollout import journey, selectors
from lodestar.rollout.models import Nudge, RolloutGroup, RolloutGroupMember

logger = logging.getLogger(__name__)
NUDGE_WINDOW_DAYS = 30  # a date more than a month past is history, not a reason to nudge


def groups_due(organization: Organization, today: datetime.date) -> list[int]:
    since = today - datetime.timedelta(days=NUDGE_WINDOW_DAYS)
    return list(
        RolloutGroup.objects.filter(organization=organization, target_on__lt=today, target_on__gte=since).values_list(
            "pk", flat=True
        )
    )


def send_due_nudges_everywhere(now: datetime.datetime) -> None:
    """The worker's periodic job: each organization on its own date; one organization's broken
    rollout data must not stop the others' nudges."""
    for organization in each_organization():
        today = now.astimezone(zoneinfo.ZoneInfo(organization.time_zone)).date()
        try:
            send_due_nudges(organization, today)
        except Exception:
            logger.exception("Nudging the rollout groups of %s failed", organization.slug)


def send_due_nudges(organization: Organization, today: datetime.date) -> int:
    """Nudge the members behind in every rollout group whose date has passed. Returns the nudges sent."""
    return sum(nudge_group(organization, group_id, today) for group_id in groups_due(organization, today))


@atomic_service
def nudge_group(organization: Organization, group_id: int, today: datetime.date) -> int:
    # The group's row lock makes a second worker wait, then find the nudges already made.
    group = RolloutGroup.objects.select_for_update().filter(organization=organization, pk=group_id).first()
    if group is None:
        return 0
    nudged = set(
        Nudge.objects.filter(
            organization=organization, rollout_group=group, target_stage=group.target_stage
        ).values_list("membership_id", flat=True)
    )
    people = [
        entry.membership
        for entry in RolloutGroupMember.objects.filter(organization=organization, rollout_group=group)
        .exclude(membership__in=nudged)
        .filter(membership__is_active=True)
        .select_related("membership__user", "membership__organization")
    ]
    if not people:
        return 0
    facts = selectors.journeys_of(organization, None, people, today)
    sent = 0
    for person in people:
        if journey.has_reached(facts[person.pk], group.target_stage):
            continue
        step = journey.next_stage(facts[person.pk]) or group.target_stage
        Nudge.objects.create(
            organization=organization,
            rollout_group=group,
            membership=person,
            target_stage=group.target_stage,
            next_stage=step,
        )
        notify([person], Notification.Kind.NUDGED, actor=None, data={"group": group.name, "next_stage": step})
        sent += 1
    return sent
