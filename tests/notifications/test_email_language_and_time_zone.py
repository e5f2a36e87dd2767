"""E-mails follow the person's own choices: the language they chose (not their organization's) and
their own time zone, for the weekly check-in reminder as for every e-mail (notifications.emails
composes each inside the recipient's language and time zone)."""

import datetime
import zoneinfo

from django.utils import formats, timezone, translation

from lodestar.notifications.tasks import deliver_emails
from lodestar.okrs import services as okrs
from lodestar.worker import schedule
from tests import factories

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
KIRITIMATI = zoneinfo.ZoneInfo("Pacific/Kiritimati")  # UTC+14: the first place on Earth to start a day


def reminders_to(smtp, address: str):
    return [m for m in smtp.to(address) if (m.header("X-Lodestar-Key") or "").startswith("check_in_reminder:")]


def stale_key_result(cast, owner, title, last_check_in_on):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title=f"Objective of {title}")
    key_result = factories.metric(cast.owner, objective, owner=owner, title=title)
    okrs.record_check_in(actor=owner, key_result=key_result, value=10, status="on_track", effective_on=last_check_in_on)
    return key_result


def make_check_in_day(cast, day: datetime.date) -> None:
    cast.acme.check_in_weekday = day.isoweekday()
    cast.acme.save(update_fields=["check_in_weekday"])


def test_a_german_speaker_in_an_english_organization_gets_a_german_reminder(cast, smtp):
    assert cast.acme.language == "en"
    cast.member.user.language = "de"
    cast.member.user.save(update_fields=["language"])
    day = cast.today - datetime.timedelta(days=1)
    make_check_in_day(cast, day)
    stale_key_result(cast, cast.member, "Cut onboarding time to two days", day - datetime.timedelta(days=8))
    stale_key_result(cast, cast.admin, "Answer every ticket within a day", day - datetime.timedelta(days=8))
    deliver_emails.call()  # "you were made owner": not what this test looks at
    smtp.clear()

    schedule.tick(datetime.datetime.combine(day, datetime.time(9, 5), tzinfo=BERLIN))
    deliver_emails.call()

    [german] = reminders_to(smtp, "member@acme.test")
    assert german.subject == "Zeit für dein wöchentliches Check-in: 1 Key Result"
    assert "Hallo Max, heute ist Check-in-Tag." in german.text
    assert "Hallo Max, heute ist Check-in-Tag." in german.html
    assert german.header("Content-Language") == "de" and '<html lang="de">' in german.html
    # The organization's language for the admin, who chose none, in the same run.
    [english] = reminders_to(smtp, "admin@acme.test")
    assert english.subject == "Time for your weekly check-in: 1 key result"
    assert english.header("Content-Language") == "en" and '<html lang="en">' in english.html


def test_the_reminder_counts_days_in_the_persons_own_time_zone(cast, smtp, monkeypatch):
    """At 09:30 on Kiritimati it is still the evening before in the organization's Berlin. A key
    result last checked in a week before the person's own today is due on their check-in day: the
    reminder is planned and composed on their date, and names the date of that check-in."""
    cast.member.user.time_zone = "Pacific/Kiritimati"
    cast.member.user.save(update_fields=["time_zone"])
    now = timezone.now()
    send_at = datetime.datetime.combine(now.astimezone(KIRITIMATI).date(), datetime.time(9, 30), tzinfo=KIRITIMATI)
    if send_at <= now:
        send_at += datetime.timedelta(days=1)
    their_day = send_at.date()
    assert send_at.astimezone(BERLIN).date() == their_day - datetime.timedelta(days=1)
    make_check_in_day(cast, their_day)
    last_week = their_day - datetime.timedelta(days=7)
    stale_key_result(cast, cast.member, "Cut onboarding time to two days", last_week)
    deliver_emails.call()
    smtp.clear()

    monkeypatch.setattr(timezone, "now", lambda: send_at)  # the worker runs at 09:30 their time
    schedule.tick(send_at)
    deliver_emails.call()

    [reminder] = reminders_to(smtp, "member@acme.test")
    assert "Cut onboarding time to two days" in reminder.text
    with translation.override("en"):
        assert f"last check-in {formats.date_format(last_week)}" in reminder.html
