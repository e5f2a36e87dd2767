"""`make bench`: Lodestar's speed on a 10,000-person organization, beside a trivial view.

Runs against PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/lodestar_bench):
generates (or reuses) the large and a small organization, starts Lodestar the way production
runs it (granian, DJANGO_ENV=production, DEBUG off, several workers), and measures with wrk,
as a signed-in person, every main page and the trivial /healthz view at 1 and 10 concurrent
users, SQL queries per page at both sizes, and a check-in with its roll-up through the service.
Prints one table and writes it as JSON to bench/results/ (git-ignored).
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
        [str(Path(PYTHON).parent / "granian"), "--interface", "wsgi", "lodestar.wsgi:application",
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


def require_signed_in_page(url: str, cookie: str) -> None:
    """The page answers 200 to the session (a redirect to the log-in would measure the wrong thing)."""
    import urllib.request

    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(request, timeout=10) as response:
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}, not 200")


class NoRedirect(__import__("urllib.request").request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wrk(url: str, cookie: str | None, connections: int, seconds: int, headers: dict | None = None) -> dict:
    """wrk's figures for one URL, sent with the session cookie (if any) and any other headers."""
    headers = {**({"Cookie": f"sessionid={cookie}"} if cookie else {}), **(headers or {})}
    command = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{seconds}s", "--latency",
               "-s", str(ROOT / "bench" / "wrk_report.lua"),
               *(arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")), url]  # fmt: skip
    output = subprocess.run(command, check=True, text=True, capture_output=True).stdout
    report = json.loads(output.strip().splitlines()[-1])
    report["rps"] = report["requests"] / (report["duration_us"] / 1e6)
    return report


def in_process_figures(people_large: int, people_small: int) -> dict:
    """Query counts per page at both sizes, and check-in latency through the service."""
    import django

    django.setup()
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

    figures = {"queries": {}, "pages": {}}
    for people in (people_small, people_large):
        organization = Organization.objects.get(slug=f"gen-{people}")
        figures["pages"][people] = {}
        for pages_of, person_of in ((member_pages, busy_member), (admin_pages, an_owner)):
            with organization_scope(organization):
                person = person_of(organization)
                pages = pages_of(organization)
                session = SessionStore()
                session[SESSION_KEY] = str(person.user.pk)
                session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
                session[HASH_SESSION_KEY] = person.user.get_session_auth_hash()
                session.create()
            client = Client()
            client.cookies["sessionid"] = session.session_key
            for name, path in pages.items():
                client.get(path)  # warm caches
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path)
                assert response.status_code == 200, (name, response.status_code)
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
    options = parser.parse_args()

    env = prepare_database()
    generated = ensure_organization(options.people, env)
    ensure_organization(150, env)
    figures = in_process_figures(options.people, 150)

    server_env = {**env, **SERVER_ENVIRONMENT}
    manage("collectstatic", "--no-input", "-v0", env=server_env)
    port = free_port()
    server = start_server(server_env, port, options.workers, options.threads)
    base = f"http://127.0.0.1:{port}"
    measured = {}
    try:
        any_session = next(iter(figures["pages"][options.people].values()))[1]
        targets = {"trivial view (/healthz)": ("/healthz", any_session), **figures["pages"][options.people]}
        for name, (path, cookie) in targets.items():
            require_signed_in_page(base + path, cookie)
            wrk(base + path, cookie, 1, 1)  # warm-up
            measured[name] = {users: wrk(base + path, cookie, users, options.seconds) for users in (1, 10)}
    finally:
        server.terminate()
        server.wait(timeout=10)

    rows = table(measured, figures, generated, options)
    print_table(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine(),
        "people": options.people,
        "rows": rows,
        "raw": {"wrk": measured, "queries": figures["queries"], "check_in": figures["check_in"]},
    }
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2))
    print(f"\nWritten to {RESULTS / 'latest.json'}")
    if any(row["pass"] is False for row in rows):
        raise SystemExit("Some figures miss their target.")


def table(measured: dict, figures: dict, generated: float | None, options) -> list[dict]:
    trivial = measured["trivial view (/healthz)"]
    rows = []
    for name, runs in measured.items():
        for users in (1, 10):
            run = runs[users]
            p95 = run["p95_us"] / 1000
            target = TARGETS["p95_1_ms"] if users == 1 else TARGETS["p95_10_ms"]
            rows.append({
                "figure": f"{name}: p95 at {users} user{'s' if users > 1 else ''}", "value": f"{p95:.2f} ms",
                "detail": f"p50 {run['p50_us'] / 1000:.2f} ms, {run['rps']:.0f} req/s, {run['non_2xx'] + run['errors']} errors",
                "ratio": f"{p95 / (trivial[users]['p95_us'] / 1000):.1f}×", "target": f"≤ {target} ms",
                "pass": p95 <= target and run["non_2xx"] + run["errors"] == 0,
            })  # fmt: skip
    for name, counts in figures["queries"].items():
        small, large = counts[150], counts[options.people]
        rows.append({
            "figure": f"{name}: SQL queries", "value": f"{large}", "detail": f"{small} at 150 people, {large} at {options.people:,}",
            "ratio": "", "target": f"≤ {TARGETS['queries']}, equal", "pass": large <= TARGETS["queries"] and small == large,
        })  # fmt: skip
    check_in = figures["check_in"]
    trivial_p95 = trivial[1]["p95_us"] / 1000
    rows.append({
        "figure": f"check-in with roll-up through {check_in['levels']} levels: p95", "value": f"{check_in['p95_ms']:.2f} ms",
        "detail": f"p50 {check_in['p50_ms']:.2f} ms (service call, 280 samples)",
        "ratio": f"{check_in['p95_ms'] / trivial_p95:.1f}×", "target": f"≤ {TARGETS['check_in_p95_ms']} ms",
        "pass": check_in["p95_ms"] <= TARGETS["check_in_p95_ms"],
    })  # fmt: skip
    if generated is not None:
        rows.append({
            "figure": f"generate the {options.people:,}-person organization", "value": f"{generated:.1f} s", "detail": "",
            "ratio": "", "target": f"≤ {TARGETS['generate_s']} s", "pass": generated <= TARGETS["generate_s"],
        })  # fmt: skip
    return rows


def print_table(rows: list[dict]) -> None:
    widths = [max(len(str(row[key])) for row in rows) for key in ("figure", "value", "ratio", "target")]
    header = ("figure", "value", "× trivial", "target")
    print()
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  result  detail")
    for row in rows:
        cells = [str(row[key]).ljust(w) for key, w in zip(("figure", "value", "ratio", "target"), widths, strict=True)]
        print("  ".join(cells) + f"  {'pass' if row['pass'] else 'FAIL':<6}  {row['detail']}")


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    main()
