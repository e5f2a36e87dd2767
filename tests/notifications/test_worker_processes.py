"""Real `manage.py worker` processes on one PostgreSQL database, sending to a real SMTP server.

Two workers side by side send each weekly check-in reminder once; a worker killed (SIGKILL) in the
middle of a message loses nothing and doubles nothing: the next worker takes over the message
and the task the dead one held once their lease has run out.

PostgreSQL only (SKIP LOCKED and concurrent processes are what is tested), transactional so the
worker processes see the data: run with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/lodestar .venv/bin/pytest -m postgres_only tests/notifications``.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import zoneinfo
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lodestar.notifications.models import Email
from lodestar.notifications.tasks import deliver_emails
from lodestar.orgs.models import Membership
from tests import factories
from tests.conftest import add_person

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
REMINDER = "check_in_reminder:"
# Candidate time zones of the people, west to east: at any moment, some of them are between
# 09:00 and 23:59 local time, when (on the check-in day) reminders are due.
ZONES = [
    "Pacific/Pago_Pago",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Atlantic/Azores",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Athens",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Brisbane",
    "Pacific/Noumea",
    "Pacific/Auckland",
    "Pacific/Tongatapu",
    "Pacific/Kiritimati",
]


@pytest.fixture(autouse=True)
def _requires_postgresql():
    assert connection.vendor == "postgresql", "worker process tests need PostgreSQL (SKIP LOCKED, several processes)"


def due_zones() -> tuple[int, list[str]]:
    """An ISO weekday and the zones where it is that day now, between 10:00 and 22:00 (well past the
    09:00 send time, and far from midnight for the minute a test takes)."""
    now = timezone.now()
    by_day: dict[datetime.date, list[str]] = {}
    for name in ZONES:
        local = now.astimezone(zoneinfo.ZoneInfo(name))
        if 10 <= local.hour < 22:
            by_day.setdefault(local.date(), []).append(name)
    day, zones = max(by_day.items(), key=lambda item: len(item[1]))
    return day.isoweekday(), zones


def owners_due(cast, smtp, count: int) -> list[Membership]:
    """``count`` people, each owning a key result without any check-in, with Acme's check-in day
    today where they are and their local time past 09:00."""
    weekday, zones = due_zones()
    cast.acme.check_in_weekday = weekday
    cast.acme.save(update_fields=["check_in_weekday"])
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Everyone checks in")
    people = []
    for number in range(1, count + 1):
        person = add_person(cast.owner, f"person{number:02d}@acme.test", f"Person {number:02d}")
        person.user.time_zone = zones[number % len(zones)]
        person.user.save(update_fields=["time_zone"])
        factories.metric(cast.owner, objective, owner=person, title=f"Key result of person {number:02d}")
        people.append(person)
    # Being made owner of a key result sends an e-mail; send those now, so that the workers
    # only have the reminders to do.
    deliver_emails.call()
    DBTaskResult.objects.all().delete()
    assert not Email.objects.exclude(state="sent").exists()
    smtp.clear()
    return people


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


class Workers:
    """Worker processes of one test; stop() ends them all (always called in a finally block)."""

    def __init__(self, smtp, log_dir: Path):
        self.smtp, self.log_dir = smtp, log_dir
        self.processes: list[tuple[str, subprocess.Popen]] = []

    def start(self, worker_id: str, **env) -> subprocess.Popen:
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "lodestar.settings",
            "EMAIL_HOST": self.smtp.host,
            "EMAIL_PORT": str(self.smtp.port),
            "EMAIL_TIMEOUT": "10",
            "LODESTAR_BASE_URL": "http://testserver",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        environment.pop("DJANGO_ENV", None)
        log = open(self.log_dir / f"{worker_id}.log", "wb")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.1", "--tick", "0.5", "--worker-id", worker_id],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.processes.append((worker_id, process))
        return process

    def stop(self) -> None:
        for _, process in self.processes:
            if process.poll() is None:
                process.terminate()  # SIGTERM: the worker finishes its task and exits
        deadline = time.monotonic() + 10
        for _, process in self.processes:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    def logs(self) -> str:
        parts = []
        for worker_id, _ in self.processes:
            text = (self.log_dir / f"{worker_id}.log").read_text(errors="replace")
            parts.append(f"--- {worker_id} ---\n{text[-3000:]}")
        return "\n".join(parts)


@pytest.fixture
def workers(smtp, tmp_path):
    group = Workers(smtp, tmp_path)
    try:
        yield group
    finally:
        group.stop()


def reminders(smtp):
    return [m for m in smtp.messages if (m.header("X-Lodestar-Key") or "").startswith(REMINDER)]


def reminder_counts(smtp) -> dict[str, int]:
    counts: dict[str, int] = {}
    for message in reminders(smtp):
        for address in message.to_addresses:
            counts[address] = counts.get(address, 0) + 1
    return counts


def addresses(people) -> set[str]:
    return {person.user.email for person in people}


def test_two_workers_send_each_of_thirty_reminders_exactly_once(cast, smtp, workers):
    people = owners_due(cast, smtp, 30)

    workers.start("worker-a")
    workers.start("worker-b")
    arrived = smtp.wait_for(lambda _: len(reminder_counts(smtp)) >= 30, timeout=60)
    time.sleep(2.5)  # a few more scheduling rounds of both workers: nothing may go out again
    still_running = [worker_id for worker_id, p in workers.processes if p.poll() is None]
    workers.stop()

    assert still_running == ["worker-a", "worker-b"], workers.logs()
    assert arrived, f"{len(reminder_counts(smtp))} of 30 reminders arrived\n{workers.logs()}"
    assert reminder_counts(smtp) == dict.fromkeys(addresses(people), 1)
    assert len(reminders(smtp)) == 30  # nobody else was reminded
    for message in reminders(smtp):
        [person] = [p for p in people if p.user.email in message.to_addresses]
        assert f"Key result of person {person.user.full_name[-2:]}" in message.text
    rows = Email.objects.filter(kind=Email.Kind.CHECK_IN_REMINDER)
    assert sorted(rows.values_list("recipient__user__email", "state")) == [
        (email, "sent") for email in sorted(addresses(people))
    ]
    assert not Email.objects.exclude(state__in=["sent", "skipped"]).exists()


def test_a_worker_killed_mid_message_loses_nothing_and_doubles_nothing(cast, smtp, workers):
    people = owners_due(cast, smtp, 10)
    first = workers.start("doomed", LODESTAR_WORKER_LEASE_SECONDS="600")

    def kill_at_fifth_message(number, address):
        if number == 5:
            os.kill(first.pid, signal.SIGKILL)  # before the server accepted the recipient
            return "451 4.3.0 Try again later"
        return None

    smtp.on_rcpt = kill_at_fifth_message
    assert smtp.wait_for(lambda _: first.poll() is not None or smtp.rcpt_count >= 5, timeout=30), workers.logs()
    first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL, workers.logs()
    smtp.on_rcpt = None

    # The dead worker left one message claimed ("sending") and its task RUNNING.
    assert len(reminders(smtp)) == 4
    held = Email.objects.get(kind=Email.Kind.CHECK_IN_REMINDER, state="sending")
    assert held.recipient.user.email not in reminder_counts(smtp)
    [dead_task] = DBTaskResult.objects.running()
    assert dead_task.worker_ids == ["doomed"]

    workers.start("rescuer", LODESTAR_WORKER_LEASE_SECONDS="2")
    arrived = smtp.wait_for(lambda _: len(reminder_counts(smtp)) >= 10, timeout=40)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
        time.sleep(0.2)
    time.sleep(1.5)  # more scheduling rounds: nothing may go out again
    workers.stop()

    assert arrived, f"{len(reminder_counts(smtp))} of 10 reminders arrived\n{workers.logs()}"
    assert reminder_counts(smtp) == dict.fromkeys(addresses(people), 1)
    assert len(reminders(smtp)) == 10
    rows = Email.objects.filter(kind=Email.Kind.CHECK_IN_REMINDER)
    assert sorted(rows.values_list("recipient__user__email", "state")) == [
        (email, "sent") for email in sorted(addresses(people))
    ]
    held.refresh_from_db()
    assert held.attempts == 2  # claimed by the dead worker, then taken over
    # The dead worker's task was queued again and run to the end by the rescuer.
    dead_task.refresh_from_db()
    assert dead_task.status == "SUCCESSFUL", workers.logs()
    assert dead_task.worker_ids == ["doomed", "rescuer"]
    assert not DBTaskResult.objects.running().exists()
