"""What the worker's scheduler plans, and when: the weekly slot in each person's time zone, one
e-mail per person and period however often it runs, and the sweep for tasks of dead workers."""

import datetime
import zoneinfo

from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lodestar.notifications import schedule, services, tasks
from lodestar.notifications.models import Email
from lodestar.okrs.models import CheckIn, KeyResult
from lodestar.worker import schedule as worker_schedule
from tests import factories

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def berlin_today() -> datetime.date:
    """The organization's date (Acme is in Berlin): not UTC's, which differs around midnight."""
    return timezone.now().astimezone(BERLIN).date()


def at(day: datetime.date, hour: int, minute: int = 0, tz=BERLIN) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)


def test_the_weekly_slot_is_the_check_in_day_at_nine_in_the_persons_time_zone():
    wednesday = datetime.date(2026, 12, 2)
    key, slot = schedule.weekly_slot(at(wednesday, 12), "America/New_York", weekday=1)
    assert key == "2026-W49"
    assert slot == datetime.datetime(2026, 11, 30, 9, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    # Sunday 23:30 in Berlin is already Monday in Tokyo: a new week there.
    key, _ = schedule.weekly_slot(at(datetime.date(2026, 12, 6), 23, 30), "Asia/Tokyo", weekday=1)
    assert key == "2026-W50"


def _make_stale(key_result: KeyResult, days: int) -> None:
    old = berlin_today() - datetime.timedelta(days=days)
    CheckIn.objects.filter(key_result=key_result).update(effective_on=old)
    KeyResult.objects.filter(pk=key_result.pk).update(last_check_in_on=old)


def _today_is_check_in_day(cast):
    cast.acme.check_in_weekday = berlin_today().isoweekday()
    cast.acme.save()


def test_a_reminder_is_planned_once_per_owner_and_week_however_often_the_scheduler_runs(cast, world):
    _today_is_check_in_day(cast)
    _make_stale(world.key_result, days=9)
    now = timezone.now()
    nine = at(berlin_today(), 9, 5)
    for _ in range(3):
        schedule.plan_emails(cast.acme, max(now, nine))
    reminders = Email.objects.filter(kind="check_in_reminder")
    assert list(reminders.values_list("recipient", flat=True)) == [cast.member.pk]


def test_nobody_is_reminded_before_nine_or_after_a_fresh_check_in(cast, world):
    _today_is_check_in_day(cast)
    _make_stale(world.key_result, days=9)
    schedule.plan_emails(cast.acme, at(berlin_today(), 8, 55))
    assert not Email.objects.filter(kind="check_in_reminder").exists()
    _make_stale(world.key_result, days=2)
    schedule.plan_emails(cast.acme, at(berlin_today(), 9, 5))
    assert not Email.objects.filter(kind="check_in_reminder").exists()


def test_a_person_who_turned_reminders_off_is_not_reminded_and_leads_get_their_digest(cast, world):
    _today_is_check_in_day(cast)
    _make_stale(world.key_result, days=9)
    services.update_preferences(actor=cast.member, check_in_reminders=False)
    schedule.plan_emails(cast.acme, at(berlin_today(), 9, 5))
    planned = set(Email.objects.values_list("recipient", "kind"))
    assert (cast.member.pk, "check_in_reminder") not in planned
    assert {(cast.lead.pk, "lead_digest"), (cast.sales.pk, "lead_digest")} <= planned


def test_the_lead_digest_tells_the_weeks_progress_new_risks_and_missing_check_ins(cast, world):
    from lodestar.okrs import services as okrs

    silent = factories.metric(cast.lead, world.objective, owner=cast.lead, title="Alerts routed by rules")
    _make_stale(silent, days=8)
    okrs.record_check_in(actor=cast.member, key_result=world.key_result, value=9, status="off_track")
    # Planned for yesterday's check-in day at 09:05, so that the e-mails are due now at any hour.
    yesterday = berlin_today() - datetime.timedelta(days=1)
    cast.acme.check_in_weekday = yesterday.isoweekday()
    cast.acme.save()
    schedule.plan_emails(cast.acme, at(yesterday, 9, 5))
    tasks.deliver_emails.call()
    to_lead = {message.subject: message for message in mail.outbox if message.to == ["Lea Lead <lead@acme.test>"]}
    assert "Time for your weekly check-in: 1 key result" in to_lead  # she owns the silent one
    digest = to_lead["Your groups this week: Engineering"]
    assert "Weekly active users · Off track" in digest.body  # a new risk
    assert "Alerts routed by rules · Lea Lead" in digest.body  # no check-in for a week
    assert f"http://testserver/acme/objectives/{world.objective.pk}/" in digest.body
    html = digest.alternatives[0][0]
    assert "Acme&#x27;s secret plan" in html and "Unsubscribe from these e-mails" in html
    assert f'href="http://testserver/acme/key-results/{silent.pk}/"' in html


def test_a_daily_digest_collects_the_days_notifications(cast, world):
    services.update_preferences(actor=cast.lead, notification_emails="daily")
    from lodestar.conversations import services as conversations

    conversations.post_comment(actor=cast.member, target=world.objective, body="@[Lea Lead] one")
    conversations.post_comment(actor=cast.sales, target=world.key_result, body="@[Lea Lead] two")
    tomorrow_nine = at(berlin_today() + datetime.timedelta(days=1), 9, 1)
    schedule.plan_emails(cast.acme, tomorrow_nine)
    digest = Email.objects.get(recipient=cast.lead, kind="daily_digest")
    assert digest.key == (berlin_today() + datetime.timedelta(days=1)).isoformat()
    assert not Email.objects.filter(
        recipient=cast.lead, kind="notification", notification__actor__in=[cast.member, cast.sales]
    ).exists()


def test_a_task_left_running_by_a_dead_worker_runs_again_after_the_lease(cast, settings):
    result = tasks.deliver_emails.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING",
        started_at=timezone.now() - datetime.timedelta(seconds=settings.LODESTAR_WORKER_LEASE_SECONDS + 5),
    )
    fresh = tasks.deliver_chat_posts.enqueue()
    DBTaskResult.objects.filter(pk=fresh.id).update(status="RUNNING", started_at=timezone.now())
    assert worker_schedule.requeue_stale_tasks(timezone.now()) == 1
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    assert DBTaskResult.objects.get(pk=fresh.id).status == "RUNNING"


def test_staleness_is_judged_on_the_persons_own_date(cast, world):
    """Tokyo's organization, a Los Angeles owner: at 09:05 on Monday in Los Angeles it is Tuesday in
    Tokyo. A key result last updated on the Tuesday before is six days old on the owner's Monday: no
    reminder yet (and the week's slot is not used up by a row that would then be skipped)."""
    cast.acme.time_zone = "Asia/Tokyo"
    cast.acme.check_in_weekday = 1
    cast.acme.save()
    cast.member.user.time_zone = "America/Los_Angeles"
    cast.member.user.save()
    los_angeles = zoneinfo.ZoneInfo("America/Los_Angeles")
    monday = timezone.now().astimezone(los_angeles).date()
    monday -= datetime.timedelta(days=monday.weekday())
    last_tuesday = monday - datetime.timedelta(days=6)
    CheckIn.objects.filter(key_result=world.key_result).update(effective_on=last_tuesday)
    KeyResult.objects.filter(pk=world.key_result.pk).update(last_check_in_on=last_tuesday)
    schedule.plan_emails(cast.acme, at(monday, 9, 5, tz=los_angeles))
    assert not Email.objects.filter(recipient=cast.member, kind="check_in_reminder").exists()
    a_week_before = monday - datetime.timedelta(days=7)
    KeyResult.objects.filter(pk=world.key_result.pk).update(last_check_in_on=a_week_before)
    schedule.plan_emails(cast.acme, at(monday, 9, 10, tz=los_angeles))
    assert Email.objects.filter(recipient=cast.member, kind="check_in_reminder").count() == 1


def test_reminders_go_out_on_the_check_in_day_only(cast, world):
    _make_stale(world.key_result, days=9)
    cast.acme.check_in_weekday = (berlin_today() - datetime.timedelta(days=1)).isoweekday()
    cast.acme.save()
    schedule.plan_emails(cast.acme, at(berlin_today(), 9, 5))  # the day after the check-in day
    assert not Email.objects.filter(kind__in=["check_in_reminder", "lead_digest"]).exists()
