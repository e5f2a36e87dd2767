"""Which e-mails are due now: the notifications app's job on every tick of the worker.

It only ever inserts outbox rows whose (recipient, kind, period) is unique, so two workers planning
the same reminder insert it once, and a worker that crashed plans nothing twice after its restart.

- Weekly check-in reminder: on the organization's check-in weekday from 09:00 in the person's
  time zone (until that day ends there: a reminder on another day would be noise), to owners of
  key results not updated for 7 days. Period: the person's ISO week.
- Weekly lead digest: the same day, to group leads. Period: the ISO week.
- Daily digest of notifications: from 09:00 in the person's time zone, to people who chose it
  and were notified in the 24 hours before. Period: the person's date.
"""

import datetime
import zoneinfo

from lodestar.notifications import digests
from lodestar.notifications.models import Email, EmailMode, Notification, Preferences
from lodestar.orgs.models import GroupMembership, Membership, Organization
from lodestar.orgs.selectors import each_organization

SEND_HOUR = 9


def weekly_slot(now: datetime.datetime, time_zone: str, weekday: int) -> tuple[str, datetime.datetime]:
    """(ISO week key, this week's send time) in a time zone."""
    local = now.astimezone(zoneinfo.ZoneInfo(time_zone))
    monday = local.date() - datetime.timedelta(days=local.isoweekday() - 1)
    day = monday + datetime.timedelta(days=weekday - 1)
    year, week, _ = local.isocalendar()
    slot = datetime.datetime.combine(day, datetime.time(SEND_HOUR), tzinfo=local.tzinfo)
    return f"{year}-W{week:02d}", slot


def daily_slot(now: datetime.datetime, time_zone: str) -> tuple[str, datetime.datetime]:
    local = now.astimezone(zoneinfo.ZoneInfo(time_zone))
    slot = datetime.datetime.combine(local.date(), datetime.time(SEND_HOUR), tzinfo=local.tzinfo)
    return local.date().isoformat(), slot


def plan_due_emails(now: datetime.datetime) -> int:
    """Plan every organization's due e-mails (the worker sends them). Returns how many."""
    return sum(plan_emails(organization, now) for organization in each_organization())


def plan_emails(organization: Organization, now: datetime.datetime) -> int:
    people = list(Membership.objects.filter(organization=organization, is_active=True).select_related("user"))
    preferences = {p.membership_id: p for p in Preferences.objects.filter(organization=organization)}
    owners_by_day: dict[datetime.date, set[int]] = {}

    def owners_due_on(day: datetime.date) -> set[int]:
        """Owners of key results stale on ``day`` (a person's own date: one query per distinct date)."""
        if day not in owners_by_day:
            owners_by_day[day] = digests.owners_due(organization.pk, day)
        return owners_by_day[day]

    leads = set(
        GroupMembership.objects.filter(organization=organization, is_lead=True).values_list("membership_id", flat=True)
    )
    notified = set(
        Notification.objects.filter(
            organization=organization, created_at__gte=now - datetime.timedelta(hours=48)
        ).values_list("recipient_id", flat=True)
    )
    emails = []
    for person in people:
        person.organization = organization
        wants = preferences.get(person.pk) or Preferences()
        week, weekly_at = weekly_slot(now, person.time_zone, organization.check_in_weekday)
        local_day = now.astimezone(zoneinfo.ZoneInfo(person.time_zone)).date()
        if now >= weekly_at and local_day == weekly_at.date():
            if wants.check_in_reminders and person.can_write and person.pk in owners_due_on(local_day):
                emails.append(_email(person, Email.Kind.CHECK_IN_REMINDER, week, now))
            if wants.lead_digest and person.pk in leads:
                emails.append(_email(person, Email.Kind.LEAD_DIGEST, week, now))
        day, daily_at = daily_slot(now, person.time_zone)
        if now >= daily_at and wants.notification_emails == EmailMode.DAILY and person.pk in notified:
            emails.append(_email(person, Email.Kind.DAILY_DIGEST, day, now))
    if not emails:
        return 0
    existing = set(
        Email.objects.filter(
            organization=organization, kind__in={e.kind for e in emails}, key__in={e.key for e in emails}
        ).values_list("recipient_id", "kind", "key")
    )
    new = [e for e in emails if (e.recipient_id, e.kind, e.key) not in existing]
    Email.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _email(person: Membership, kind: str, key: str, now: datetime.datetime) -> Email:
    return Email(organization_id=person.organization_id, recipient=person, kind=kind, key=key, next_attempt_at=now)
