"""``lodestar serve``: Lodestar in production (docs/deploy.md).

It refuses to start without the production environment (DJANGO_ENV=production, SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL), runs Django's checks with the deployment ones, and refuses while
migrations are not applied or this version's static files are not collected (whitenoise serves
them from var/static; collecting them takes most of a minute of CPU, so it is a step of installing
and upgrading, or ``--collectstatic``). Then it becomes granian — the process is replaced, so
systemd's stop signal reaches granian itself — serving ``lodestar.wsgi:application`` with one worker
process per core and two request threads in each (``--workers``/LODESTAR_WEB_WORKERS and
``--threads``/LODESTAR_WEB_THREADS to choose). A TLS proxy goes in front (deploy/Caddyfile).
"""

import os
import shlex
import sys

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core import checks
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor

from lodestar.core import deployment

APPLICATION = "lodestar.wsgi:application"
IGNORED = ["CVS", ".*", "*~"]  # collectstatic's default ignore patterns


class Command(BaseCommand):
    help = "Serve Lodestar in production with granian (DJANGO_ENV=production; see docs/deploy.md)."
    requires_system_checks = []  # handle() runs them, the deployment checks included (call_command skips them)

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default: 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (default: 8000).")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=f"Worker processes (default: {deployment.WORKERS_VARIABLE}, else one per core, at most "
            f"{deployment.MAX_DEFAULT_WORKERS}).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help=f"Request threads per worker (default: {deployment.THREADS_VARIABLE}, else "
            f"{deployment.DEFAULT_THREADS}).",
        )
        parser.add_argument(
            "--collectstatic",
            action="store_true",
            help="Run collectstatic first (about 45 s of CPU: compressing every file); without it, "
            "serve refuses to start unless collectstatic has run for this version.",
        )
        parser.add_argument(
            "--skip-checks", action="store_true", help="Do not run Django's checks (the deployment ones included)."
        )

    def handle(self, *, host, port, workers, threads, collectstatic, skip_checks=False, **options):
        problems = deployment.environment_problems(os.environ)
        if problems:
            raise CommandError(deployment.refusal(problems))
        try:
            workers = deployment.web_workers(workers, os.environ, deployment.available_cores())
            threads = deployment.web_threads(threads, os.environ)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if not skip_checks:
            self.check(include_deployment_checks=True, fail_level=checks.ERROR)
        require_migrated()
        if collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write("Static files collected.")
        require_collected_static_files()
        call_command("setup_link", stdout=self.stdout)  # the first-run setup link, while it is open
        command = granian_command(host=host, port=port, workers=workers, threads=threads)
        self.stdout.write(
            f"Serving Lodestar on http://{host}:{port}/ with {workers} worker(s) × {threads} thread(s): "
            f"{shlex.join(command)}"
        )
        self.stdout.flush()
        connections.close_all()
        os.execv(command[0], command)


def require_migrated() -> None:
    """Refuse to serve a database that this version's migrations have not reached."""
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        raise CommandError(f"The database (DATABASE_URL) cannot be read: {error}".strip()) from None
    if plan:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _backwards in plan[:5])
        more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
        raise CommandError(
            f"{len(plan)} migration(s) are not applied ({names}{more}). Run `lodestar migrate` first, "
            "then start serve again (docs/deploy.md, Upgrading)."
        )


def require_collected_static_files() -> None:
    """Refuse to serve pages whose stylesheets and scripts were not collected: every static file of
    this version must be in the manifest collectstatic wrote (its content hashes are the file names
    whitenoise serves with far-future cache headers)."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return  # the development profile serves static files from the apps
    collected, _manifest_hash = staticfiles_storage.load_manifest()
    missing = sorted(
        {path.replace(os.sep, "/") for finder in finders.get_finders() for path, _storage in finder.list(IGNORED)}
        - set(collected)
    )
    if missing:
        what = "No static files are collected" if not collected else f"{len(missing)} static file(s) are not collected"
        raise CommandError(
            f"{what} in {settings.STATIC_ROOT} (e.g. {missing[0]}). Run `lodestar collectstatic --no-input` "
            "first, or start serve with --collectstatic (docs/deploy.md)."
        )


def granian_command(*, host: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--respawn-failed-workers",
        APPLICATION,
    ]
