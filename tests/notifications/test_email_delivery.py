"""E-mail as people receive it: over SMTP (aiosmtpd on 127.0.0.1), sent by the delivery task.

A mention arrives with a text and an HTML part and one-click unsubscribe headers, and its
unsubscribe link really stops that kind of e-mail. The weekly check-in reminder goes out at 09:00
in each person's own time zone, once per week however often the scheduler runs, only to owners
of key results without a check-in for a week, and names those key results.

Time is frozen by passing ``now`` to ``schedule.tick``: yesterday (in the organization's time
zone), so that the planned e-mails are already due when the delivery task runs now.
"""

import datetime
import re
import zoneinfo
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from lodestar.conversations import services as conversations
from lodestar.notifications.models import Email, Preferences
from lodestar.notifications.tasks import deliver_emails
from lodestar.okrs import services as okrs
from lodestar.worker import schedule
from tests import factories

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def deliver():
    """What the worker does: run the delivery task (here, in this process)."""
    return deliver_emails.call()


def unsubscribe_url(message) -> str:
    header = message.header("List-Unsubscribe")
    match = re.fullmatch(r"<(http://testserver/unsubscribe/[^>]+/)>", header or "")
    assert match, f"List-Unsubscribe is {header!r}"
    return match.group(1)


# --- a mention -------------------------------------------------------------------------------


@pytest.fixture
def objective(cast):
    return factories.objective(cast.owner, timeframe=cast.quarter, title="Ship the new onboarding")


def test_a_mention_arrives_over_smtp_with_text_html_and_unsubscribe_headers(cast, objective, smtp):
    conversations.post_comment(actor=cast.member, target=objective, body="Could you review the plan, @[Lea Lead]?")
    assert smtp.messages == []  # queued in the outbox, not sent inside the request

    deliver()

    [message] = smtp.to("lead@acme.test")
    assert message.to == "Lea Lead <lead@acme.test>"
    assert message.subject == "Max Member mentioned you on “Ship the new onboarding”"
    assert message.text is not None and message.html is not None
    assert "Could you review the plan" in message.text  # the comment itself, quoted
    assert "Could you review the plan" in message.html
    objective_url = "http://testserver" + reverse(
        "okrs:objective", kwargs={"org_slug": "acme", "objective_id": objective.pk}
    )
    assert objective_url in message.text and objective_url in message.html
    url = unsubscribe_url(message)
    assert message.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert url in message.text and url in message.html
    assert message.header("X-Lodestar-Key").startswith("notification:")
    # The objective's lead (the owner) is told about the comment too, in a message of their own.
    [to_owner] = smtp.to("owner@acme.test")
    assert to_owner.subject == "Max Member commented on “Ship the new onboarding”"
    assert unsubscribe_url(to_owner) != url
    assert set(Email.objects.values_list("state", flat=True)) == {"sent"}


def test_the_unsubscribe_link_posted_one_click_turns_that_kind_of_email_off(cast, objective, smtp, client):
    conversations.post_comment(actor=cast.member, target=objective, body="First round, @[Lea Lead].")
    deliver()
    [message] = smtp.to("lead@acme.test")

    # What a mail program does for RFC 8058 one-click: POST the List-Unsubscribe URL, no sign-in.
    response = client.post(urlsplit(unsubscribe_url(message)).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preferences.objects.get(membership=cast.lead).notification_emails == "off"

    smtp.clear()
    conversations.post_comment(actor=cast.member, target=objective, body="Second round, @[Lea Lead].")
    deliver()

    assert smtp.to("lead@acme.test") == []
    # Mail still flows: the owner, who did not unsubscribe, gets this comment too.
    assert [m.subject for m in smtp.to("owner@acme.test")] == ["Max Member commented on “Ship the new onboarding”"]


def test_opening_the_unsubscribe_link_does_not_unsubscribe(cast, objective, smtp, client):
    """Mail scanners follow links: only the POST (the button, or the mail program) unsubscribes."""
    conversations.post_comment(actor=cast.member, target=objective, body="First round, @[Lea Lead].")
    deliver()
    [message] = smtp.to("lead@acme.test")

    response = client.get(urlsplit(unsubscribe_url(message)).path)
    assert response.status_code == 200

    smtp.clear()
    conversations.post_comment(actor=cast.member, target=objective, body="Second round, @[Lea Lead].")
    deliver()
    assert len(smtp.to("lead@acme.test")) == 1


def test_a_forged_unsubscribe_link_is_refused(cast, objective, smtp, client):
    conversations.post_comment(actor=cast.member, target=objective, body="Hello @[Lea Lead].")
    deliver()
    [message] = smtp.to("lead@acme.test")
    path = urlsplit(unsubscribe_url(message)).path
    forged = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]

    assert client.post(forged).status_code == 404
    assert not Preferences.objects.filter(membership=cast.lead).exists()


# --- the weekly check-in reminder -------------------------------------------------------------


@pytest.fixture
def reminder_day(cast):
    """Yesterday in the organization's time zone, made Acme's check-in day."""
    day = cast.today - datetime.timedelta(days=1)
    cast.acme.check_in_weekday = day.isoweekday()
    cast.acme.save(update_fields=["check_in_weekday"])
    return day


def at(day: datetime.date, hour: int, minute: int, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


@pytest.fixture
def owners(cast, reminder_day, smtp):
    """The member (in New York) and the admin (in Berlin) own key results without a check-in for
    8 days before the check-in day; Sam Sales checked in on his the day before it."""
    cast.member.user.time_zone = "America/New_York"
    cast.member.user.save(update_fields=["time_zone"])
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Customers love onboarding")
    stale = factories.metric(cast.owner, objective, owner=cast.member, title="Cut onboarding time to two days")
    okrs.record_check_in(
        actor=cast.member,
        key_result=stale,
        value=10,
        status="on_track",
        effective_on=reminder_day - datetime.timedelta(days=8),
    )
    admins = factories.metric(cast.owner, objective, owner=cast.admin, title="Answer every ticket within a day")
    fresh = factories.metric(cast.owner, objective, owner=cast.sales, title="Close ten pilot deals")
    okrs.record_check_in(
        actor=cast.sales,
        key_result=fresh,
        value=30,
        status="on_track",
        effective_on=reminder_day - datetime.timedelta(days=1),
    )
    deliver()  # "you were made owner" e-mails of the set-up: not what these tests look at
    smtp.clear()
    return {"member": stale, "admin": admins, "sales": fresh}


def reminders_to(smtp, address: str):
    return [m for m in smtp.to(address) if (m.header("X-Lodestar-Key") or "").startswith("check_in_reminder:")]


def test_the_reminder_waits_for_nine_in_the_persons_own_time_zone(cast, reminder_day, owners, smtp):
    schedule.tick(at(reminder_day, 8, 55, BERLIN))
    deliver()
    assert smtp.messages == []  # nobody is due before 09:00

    schedule.tick(at(reminder_day, 9, 5, BERLIN))
    deliver()
    assert len(reminders_to(smtp, "admin@acme.test")) == 1  # Berlin: due
    assert reminders_to(smtp, "member@acme.test") == []  # 03:05 in New York: not yet

    schedule.tick(at(reminder_day, 9, 5, NEW_YORK))
    deliver()
    [reminder] = reminders_to(smtp, "member@acme.test")
    assert "check-in" in reminder.subject
    assert reminder.text is not None and reminder.html is not None
    assert "Cut onboarding time to two days" in reminder.text
    assert "Cut onboarding time to two days" in reminder.html
    check_in_url = "http://testserver" + reverse(
        "okrs:check_in", kwargs={"org_slug": "acme", "key_result_id": owners["member"].pk}
    )
    assert check_in_url in reminder.text
    assert reminder.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert len(reminders_to(smtp, "admin@acme.test")) == 1  # still one


def test_an_owner_gets_exactly_one_reminder_however_often_the_scheduler_runs(cast, reminder_day, owners, smtp):
    for minutes in (5, 6, 7):
        schedule.tick(at(reminder_day, 9, minutes, NEW_YORK))
        deliver()

    assert len(reminders_to(smtp, "member@acme.test")) == 1
    assert len(reminders_to(smtp, "admin@acme.test")) == 1
    rows = Email.objects.filter(kind=Email.Kind.CHECK_IN_REMINDER)
    assert sorted(rows.values_list("recipient__user__email", "state")) == [
        ("admin@acme.test", "sent"),
        ("member@acme.test", "sent"),
    ]


def test_an_owner_who_checked_in_yesterday_gets_no_reminder(cast, reminder_day, owners, smtp):
    for minutes in (5, 6, 7):
        schedule.tick(at(reminder_day, 9, minutes, NEW_YORK))
        deliver()

    assert smtp.to("sales@acme.test") == []
    assert not Email.objects.filter(recipient=cast.sales, kind=Email.Kind.CHECK_IN_REMINDER).exists()
    # Nor anyone without a key result of their own.
    assert reminders_to(smtp, "lead@acme.test") == []
    assert reminders_to(smtp, "owner@acme.test") == []


def test_a_german_speaker_is_reminded_of_their_key_results(cast, reminder_day, owners, smtp):
    """German wording comes with the translations; the reminder must list the key result either way."""
    cast.admin.user.language = "de"
    cast.admin.user.save(update_fields=["language"])

    schedule.tick(at(reminder_day, 9, 5, BERLIN))
    deliver()

    [reminder] = reminders_to(smtp, "admin@acme.test")
    assert reminder.subject
    assert "Answer every ticket within a day" in reminder.text
    assert "Answer every ticket within a day" in reminder.html
    assert "Cut onboarding time to two days" not in reminder.text  # only their own


def test_a_name_with_a_dot_or_a_comma_still_gets_its_e_mail(cast, objective, smtp):
    cast.lead.user.full_name = "Dr. Lea Lead, PhD"
    cast.lead.user.save()
    conversations.post_comment(actor=cast.member, target=objective, body="@[Dr. Lea Lead, PhD] a look?")
    deliver()
    [message] = smtp.to("lead@acme.test")
    assert message.to == '"Dr. Lea Lead, PhD" <lead@acme.test>'
    assert Email.objects.get(recipient=cast.lead, kind="notification", notification__actor=cast.member).state == "sent"
