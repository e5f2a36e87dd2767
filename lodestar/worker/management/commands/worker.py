"""``lodestar worker``: runs background tasks (django-tasks-db's worker) and, beside it, the
periodic scheduling (worker.schedule.tick: each app's jobs — reminders, digests, nudges —, the
outboxes' tasks and the sweep for tasks of dead workers). Run as many as you like: they share the work through the database."""

import logging
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from lodestar.worker import schedule

logger = logging.getLogger("lodestar.worker")


class Command(BaseCommand):
    help = "Run Lodestar's background worker: e-mails, reminders, digests and chat posts."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks for new tasks.")
        parser.add_argument("--tick", type=float, default=60.0, help="Seconds between scheduling rounds.")
        parser.add_argument(
            "--batch", action="store_true", help="Schedule once, run every task that is due, then exit (cron)."
        )
        parser.add_argument("--worker-id", default="", help="A unique name for this worker (default: random).")

    def handle(self, *, interval, tick, batch, worker_id, verbosity, **options):
        # Each task's start and end at -v1 and more; only trouble at -v0 (make run).
        for name in ("django_tasks_db", "django.tasks"):
            logging.getLogger(name).setLevel(logging.INFO if verbosity > 0 else logging.WARNING)
        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
        )
        if batch:
            schedule.tick()
            worker.run()
            return
        stop = threading.Event()
        scheduler = threading.Thread(target=_schedule_every, args=(tick, stop), name="lodestar-scheduler", daemon=True)
        scheduler.start()
        self.stdout.write(f"Lodestar worker {worker.worker_id} running (Ctrl+C stops it).")
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()


def _schedule_every(seconds: float, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            schedule.tick()
        except Exception:  # one bad round must not end scheduling; the next round tries again
            logger.exception("Scheduling round failed")
        finally:
            close_old_connections()
        stop.wait(seconds)
