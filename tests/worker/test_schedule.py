"""The worker's tick knows no domain app: it runs what the apps registered."""

import datetime

import pytest

from lodestar.notifications.models import ChatPost, Email
from lodestar.onboarding.models import InvitationEmail
from lodestar.webhooks.models import Delivery
from lodestar.worker import schedule

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 7, 9, 5, tzinfo=datetime.UTC)


def test_every_app_registers_its_jobs_and_outboxes():
    assert {"notifications.plan_due_emails", "rollout.send_due_nudges", "feeds.enqueue_due_polls"} <= set(
        schedule._jobs
    )
    assert {Email, ChatPost, Delivery, InvitationEmail} <= {known.model for known in schedule._outboxes}


def test_a_failing_job_is_logged_and_the_others_still_run(monkeypatch, caplog):
    ran = []

    def broken(now):
        raise RuntimeError("broken rollout data")

    monkeypatch.setattr(schedule, "_jobs", {"broken": broken, "fine": ran.append})
    schedule.tick(NOW)
    assert ran == [NOW]
    assert "Periodic job broken failed" in caplog.text
