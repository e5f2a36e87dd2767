"""`make bench`: Lodestar's speed on a 10,000-person organization, beside a trivial view.

Runs against PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/lodestar_bench):
generates (or reuses) the large and a small organization, starts Lodestar the way production
runs it (granian, DJANGO_ENV=production, DEBUG off, several workers), and measures with wrk,
as a signed-in person, every main page, the trivial /healthz view and a lean reference page
(bench/reference.py: 48 objectives × 4 key results through Django templates) at 1 and 10
concurrent users, SQL queries per page at both sizes, and a check-in with its roll-up through the
service. Each page's line is printed and bench/results/latest.json rewritten as soon as the page
is measured, so a crash loses nothing measured; a page that fails or times out is a FAIL row, not
the end of the run. `--pages "objective search"` (make bench PAGES="…") measures only the pages
whose names contain one of the words.
"""

import argparse
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/lodestar_bench"

# Production settings, except what plain HTTP on 127.0.0.1 cannot have (HTTPS redirect, secure cookies).
SERVER_ENVIRONMENT = {
    "DJANGO_ENV": "production",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}
TARGETS = {"p95_1_ms": 50, "p95_10_ms": 150, "queries": 20, "check_in_p95_ms": 30, "generate_s": 60}


def manage(*args, env, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else None


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def ensure_organization(people: int, env: dict) -> float | None:
    """Generate gen-<people> unless it exists; returns the generation time when it ran."""
    slug = f"gen-{people}"
    probe = manage(
        "shell",
        "-c",
        f"from lodestar.orgs.models import Organization as O; print(O.objects.filter(slug='{slug}').exists())",
        env=env,
        capture=True,
    )
    if probe.strip().endswith("True"):
        print(f"Reusing the generated organization {slug}.")
        return None
    print(f"Generating {slug} ...", flush=True)
    output = manage("generate_org", "--people", str(people), "--quarters", "8", "--seed", "1", env=env, capture=True)
    print(output)
    return float(re.search(r"Generated '.*' in ([\d.]+) s", output).group(1))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "granian"), "--interface", "wsgi", "bench.wsgi:application",
         "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--blocking-threads", str(threads),
         "--log-level", "warning", "--no-ws"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("granian did not start")


def signed_in_problem(url: str, cookie: str, timeout: float) -> str | None:
    """Why the page cannot be measured (not 200 to the session: a redirect to the log-in would
    measure the wrong thing; or no answer within ``timeout``), else None."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return None if response.status == 200 else f"answered {response.status}, not 200"
    except urllib.error.HTTPError as error:
        return f"answered {error.code}, not 200"
    except OSError as error:  # a timeout included
        return f"no answer within {timeout:.0f} s ({error})"


class NoRedirect(__import__("urllib.request").request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wrk(url: str, cookie: str | None, connections: int, seconds: int, headers: dict | None = None) -> dict:
    """wrk's figures for one URL, sent with the session cookie (if any) and any other headers.
    A request without an answer within 4 s counts as an error."""
    headers = {**({"Cookie": f"sessionid={cookie}"} if cookie else {}), **(headers or {})}
    command = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "4s", "--latency",
               "-s", str(ROOT / "bench" / "wrk_report.lua"),
               *(arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")), url]  # fmt: skip
    output = subprocess.run(command, check=True, text=True, capture_output=True).stdout
    report = json.loads(output.strip().splitlines()[-1])
    report["rps"] = report["requests"] / (report["duration_us"] / 1e6)
    return report


REFERENCE = "reference page (48 objectives × 4 key results)"
TRIVIAL = "trivial view (/healthz)"


def selected(name: str, words: list[str]) -> bool:
    return not words or any(word.lower() in name.lower() for word in words)


def in_process_figures(people_large: int, people_small: int, words: list[str]) -> dict:
    """Query counts per page at both sizes, and check-in latency through the service. A page that
    does not answer 200 is recorded in ``failures`` and left out of the server runs."""
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench.urls"  # the reference page, as the bench server serves it
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lodestar.core.scoping import organization_scope
    from lodestar.demo.pages import admin_pages, an_owner, busy_member, member_pages
    from lodestar.okrs import services
    from lodestar.okrs.models import KeyResult
    from lodestar.orgs.models import Membership, Organization

    figures = {"queries": {}, "pages": {}, "failures": {}}
    for people in (people_small, people_large):
        organization = Organization.objects.get(slug=f"gen-{people}")
        figures["pages"][people] = {}
        for pages_of, person_of in ((member_pages, busy_member), (admin_pages, an_owner)):
            with organization_scope(organization):
                person = person_of(organization)
                pages = {name: path for name, path in pages_of(organization).items() if selected(name, words)}
                if pages_of is member_pages:
                    pages[REFERENCE] = f"/{organization.slug}/bench/reference/"
                session = SessionStore()
                session[SESSION_KEY] = str(person.user.pk)
                session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
                session[HASH_SESSION_KEY] = person.user.get_session_auth_hash()
                session.create()
            client = Client()
            client.cookies["sessionid"] = session.session_key
            for name, path in pages.items():
                try:
                    client.get(path)  # warm caches
                    with CaptureQueriesContext(connection) as queries:
                        response = client.get(path)
                except Exception as error:  # one broken page must not end the run
                    figures["failures"][name] = f"{type(error).__name__}: {error}"[:300]
                    continue
                if response.status_code != 200:
                    figures["failures"][name] = f"answered {response.status_code}"
                    continue
                figures["queries"].setdefault(name, {})[people] = len(queries)
                figures["pages"][people][name] = (path, session.session_key)

    organization = Organization.objects.get(slug=f"gen-{people_large}")
    with organization_scope(organization):
        key_result = deep_key_result(organization)
        owner = Membership.objects.select_related("organization").get(pk=key_result.owner_id)
        timings = []
        for attempt in range(300):
            started = time.perf_counter()
            services.record_check_in(actor=owner, key_result=key_result, value=attempt % 50 + 1, status="on_track")
            timings.append((time.perf_counter() - started) * 1000)
        levels = chain_depth(KeyResult.objects.get(pk=key_result.pk))
    timings = timings[20:]  # connection and caches warm up first
    figures["check_in"] = {
        "p50_ms": statistics.median(timings),
        "p95_ms": statistics.quantiles(timings, n=20)[18],
        "levels": levels,
    }
    return figures


def deep_key_result(organization):
    """A metric key result whose objective sits four levels deep (three ancestors)."""
    from lodestar.okrs.models import KeyResult, Objective

    parents = dict(Objective.objects.filter(organization=organization).values_list("pk", "parent_id"))

    def depth(objective_id):
        levels = 0
        while objective_id is not None:
            levels += 1
            objective_id = parents.get(objective_id)
        return levels

    candidates = KeyResult.objects.filter(
        organization=organization, kind="metric", objective__state="active", objective__level="personal"
    ).select_related("objective")[:2000]
    return next(kr for kr in candidates if depth(kr.objective_id) >= 4)


def chain_depth(key_result) -> int:
    from lodestar.okrs.models import Objective

    levels, objective_id = 0, key_result.objective_id
    while objective_id is not None:
        levels += 1
        objective_id = Objective.objects.filter(pk=objective_id).values_list("parent_id", flat=True).first()
    return levels


def prepare_database() -> dict:
    """The environment of a bench process (this one included) on the bench's PostgreSQL database,
    created and migrated if need be."""
    database = os.environ.get("DATABASE_URL", DEFAULT_DATABASE)
    if not database.startswith("postgres"):
        raise SystemExit("make bench runs on PostgreSQL: set DATABASE_URL=postgres://...")
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "lodestar.settings",
        "DEBUG": "false",
        # The sessions and tokens made in this process must be valid for the server's signing key.
        "SECRET_KEY": SERVER_ENVIRONMENT["SECRET_KEY"],
    }
    os.environ.update(env)
    ensure_database(database)
    manage("migrate", "--no-input", "-v0", env=env)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=8, help="Duration of each wrk run.")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=1, help="Blocking threads per worker.")
    parser.add_argument(
        "--pages",
        default=os.environ.get("PAGES", ""),
        help='Only pages whose names contain one of these words, e.g. "objective search".',
    )
    options = parser.parse_args()
    words = options.pages.split()

    env = prepare_database()
    generated = ensure_organization(options.people, env)
    ensure_organization(150, env)
    figures = in_process_figures(options.people, 150, words)
    report = Report(options, figures, generated)
    for name, problem in figures["failures"].items():
        report.failed(name, problem)

    server_env = {**env, **SERVER_ENVIRONMENT}
    manage("collectstatic", "--no-input", "-v0", env=server_env)
    port = free_port()
    server = start_server(server_env, port, options.workers, options.threads)
    base = f"http://127.0.0.1:{port}"
    try:
        pages = figures["pages"][options.people]
        any_session = pages[REFERENCE][1]
        targets = {TRIVIAL: ("/healthz", any_session), REFERENCE: pages[REFERENCE], **pages}
        for name, (path, cookie) in targets.items():
            problem = signed_in_problem(base + path, cookie, timeout=30)
            if problem is not None:
                report.failed(name, problem)
                continue
            try:
                wrk(base + path, cookie, 1, 1)  # warm-up
                report.measured(name, {users: wrk(base + path, cookie, users, options.seconds) for users in (1, 10)})
            except (subprocess.CalledProcessError, ValueError) as error:
                report.failed(name, f"wrk failed: {error}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    report.finish()


class Report:
    """The table, printed a page at a time and rewritten to bench/results/latest.json after each."""

    def __init__(self, options, figures: dict, generated: float | None):
        self.options, self.figures, self.generated = options, figures, generated
        self.wrk_runs: dict = {}
        self.rows: list[dict] = []
        self.started = time.strftime("%Y-%m-%d %H:%M:%S")
        RESULTS.mkdir(parents=True, exist_ok=True)

    def measured(self, name: str, runs: dict) -> None:
        self.wrk_runs[name] = runs
        self._add(page_rows(name, runs, self.wrk_runs))

    def failed(self, name: str, problem: str) -> None:
        self._add(
            [{"figure": name, "value": "—", "detail": problem, "ratio": "", "target": "answers 200", "pass": False}]
        )

    def _add(self, rows: list[dict]) -> None:
        for row in rows:
            print_row(row)
        self.rows += rows
        self._write(finished=False)

    def finish(self) -> None:
        self._add(figure_rows(self.figures, self.generated, self.options, self.wrk_runs))
        self._write(finished=True)
        print(f"\nWritten to {RESULTS / 'latest.json'}")
        if any(row["pass"] is False for row in self.rows):
            raise SystemExit("Some figures miss their target.")

    def _write(self, *, finished: bool) -> None:
        report = {
            "when": self.started,
            "finished": finished,
            "machine": machine(),
            "people": self.options.people,
            "rows": self.rows,
            "raw": {"wrk": self.wrk_runs, "queries": self.figures["queries"], "check_in": self.figures["check_in"]},
        }
        (RESULTS / "latest.json").write_text(json.dumps(report, indent=2))


def page_rows(name: str, runs: dict, measured: dict) -> list[dict]:
    """p95 at 1 and 10 users, beside the trivial view and the reference page (measured first)."""
    rows = []
    for users in (1, 10):
        run = runs[users]
        p95 = run["p95_us"] / 1000
        target = TARGETS["p95_1_ms"] if users == 1 else TARGETS["p95_10_ms"]
        ratios = [
            f"{p95 / (measured[base][users]['p95_us'] / 1000):.1f}× {label}"
            for base, label in ((TRIVIAL, "trivial"), (REFERENCE, "reference"))
            if base in measured and base != name
        ]
        rows.append({
            "figure": f"{name}: p95 at {users} user{'s' if users > 1 else ''}", "value": f"{p95:.2f} ms",
            "detail": f"p50 {run['p50_us'] / 1000:.2f} ms, {run['rps']:.0f} req/s, {run['non_2xx'] + run['errors']} errors",
            "ratio": ", ".join(ratios), "target": f"≤ {target} ms",
            "pass": p95 <= target and run["non_2xx"] + run["errors"] == 0,
        })  # fmt: skip
    return rows


def figure_rows(figures: dict, generated: float | None, options, measured: dict) -> list[dict]:
    rows = []
    for name, counts in figures["queries"].items():
        small, large = counts.get(150), counts.get(options.people)
        rows.append({
            "figure": f"{name}: SQL queries", "value": f"{large}", "detail": f"{small} at 150 people, {large} at {options.people:,}",
            "ratio": "", "target": f"≤ {TARGETS['queries']}, equal",
            "pass": large is not None and large <= TARGETS["queries"] and small == large,
        })  # fmt: skip
    check_in = figures["check_in"]
    trivial = measured.get(TRIVIAL)
    rows.append({
        "figure": f"check-in with roll-up through {check_in['levels']} levels: p95", "value": f"{check_in['p95_ms']:.2f} ms",
        "detail": f"p50 {check_in['p50_ms']:.2f} ms (service call, 280 samples)",
        "ratio": f"{check_in['p95_ms'] / (trivial[1]['p95_us'] / 1000):.1f}× trivial" if trivial else "",
        "target": f"≤ {TARGETS['check_in_p95_ms']} ms", "pass": check_in["p95_ms"] <= TARGETS["check_in_p95_ms"],
    })  # fmt: skip
    if generated is not None:
        rows.append({
            "figure": f"generate the {options.people:,}-person organization", "value": f"{generated:.1f} s", "detail": "",
            "ratio": "", "target": f"≤ {TARGETS['generate_s']} s", "pass": generated <= TARGETS["generate_s"],
        })  # fmt: skip
    return rows


def print_row(row: dict) -> None:
    result = "pass" if row["pass"] else "FAIL"
    print(
        f"{row['figure']:<62}  {row['value']:>10}  {row['target']:<14}  {result:<4}  {row['ratio']}  {row['detail']}",
        flush=True,
    )


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    main()
