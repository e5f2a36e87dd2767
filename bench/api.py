"""`make bench`, API part: GET /api/v1/objectives on the 10,000-person organization, beside
trivial endpoints of the same server.

Runs against the PostgreSQL database and generated organization of bench/run.py (DATABASE_URL,
default postgres://postgres@127.0.0.1:5432/lodestar_bench). Makes a read token for an owner of
gen-10000, checks that page 1 answers 50 objectives with their key results and counts its SQL
queries in-process, then starts Lodestar under granian as in production (the API rate limit
raised out of the benchmark's way) and measures with wrk at 1 and 10 connections: the objectives
page, GET /api/v1/me (the trivial JSON endpoint: /healthz answers plain text, so the comparison is
with the API's own "who am I", one token lookup and no goal queries) and /healthz. Prints a table,
writes it as JSON to bench/results/api.json, and exits non-zero if any request failed.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402 - the path above makes bench importable
    RESULTS,
    SERVER_ENVIRONMENT,
    ensure_organization,
    free_port,
    machine,
    manage,
    prepare_database,
    start_server,
    wrk,
)

OBJECTIVES = "/api/v1/objectives?page=1"
ME = "/api/v1/me"
HEALTHZ = "/healthz"
TOKEN_NAME = "make bench (API)"
CONNECTIONS = (1, 10)


def token_and_queries(people: int) -> tuple[str, int]:
    """A fresh read token of an owner of gen-<people> (earlier bench tokens revoked), and the SQL
    queries of one objectives page asked with it, checked to hold 50 objectives with key results."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lodestar.api import services
    from lodestar.api.models import ApiToken
    from lodestar.core.scoping import organization_scope
    from lodestar.demo.pages import an_owner
    from lodestar.orgs.models import Organization

    organization = Organization.objects.get(slug=f"gen-{people}")
    with organization_scope(organization):
        owner = an_owner(organization)
        for old in ApiToken.objects.filter(membership=owner, name=TOKEN_NAME, revoked_at=None):
            services.revoke_token(actor=owner, token=old)
        _, text = services.create_token(actor=owner, name=TOKEN_NAME, scope="read")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {text}")
    client.get(OBJECTIVES)  # warm caches (and the token's "last used")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(OBJECTIVES)
    require_objectives(response.status_code, response.content)
    return text, len(queries)


def require_objectives(status: int, body: bytes) -> None:
    """200 with a full page: 50 objectives, each with its list of key results, some on the page."""
    if status != 200:
        raise SystemExit(f"{OBJECTIVES} answered {status}, not 200: {body[:200]!r}")
    items = json.loads(body)["items"]
    if len(items) != 50 or not all(isinstance(item.get("key_results"), list) for item in items):
        raise SystemExit(f"{OBJECTIVES} answered {len(items)} items, not 50 objectives with their key results")
    if not sum(len(item["key_results"]) for item in items):
        raise SystemExit(f"{OBJECTIVES}: none of the 50 objectives has a key result")


def get(url: str, headers: dict) -> tuple[int, str, bytes]:
    """Status, content type and body of one GET (an error status is an answer too)."""
    try:
        response = urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=8, help="Duration of each wrk run.")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=1, help="Blocking threads per worker.")
    options = parser.parse_args()

    env = prepare_database()
    ensure_organization(options.people, env)
    # Every call counts against the token's rate (one upsert, still done); the limit must not refuse any.
    server_env = {**env, **SERVER_ENVIRONMENT, "LODESTAR_API_RATE": "100000000/min"}
    manage("collectstatic", "--no-input", "-v0", env=server_env)
    token, queries = token_and_queries(options.people)
    bearer = {"Authorization": f"Bearer {token}"}

    port = free_port()
    server = start_server(server_env, port, options.workers, options.threads)
    base = f"http://127.0.0.1:{port}"
    targets = {OBJECTIVES: bearer, ME: bearer, HEALTHZ: {}}
    try:
        status, _, body = get(base + OBJECTIVES, bearer)
        require_objectives(status, body)
        healthz_type = get(base + HEALTHZ, {})[1]
        measured = {}
        for path, headers in targets.items():
            wrk(base + path, None, 1, 1, headers)  # warm-up
            measured[path] = {n: wrk(base + path, None, n, options.seconds, headers) for n in CONNECTIONS}
    finally:
        server.terminate()
        server.wait(timeout=10)

    failed = report(measured, queries, healthz_type, options)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "api.json").write_text(json.dumps({
        "when": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": machine(), "people": options.people,
        "seconds": options.seconds, "workers": options.workers, "objectives_queries": queries,
        "healthz_content_type": healthz_type, "wrk": measured,
    }, indent=2))  # fmt: skip
    print(f"\nWritten to {RESULTS / 'api.json'}")
    if failed:
        raise SystemExit(f"{failed} requests failed (socket errors or non-2xx answers).")


def report(measured: dict, queries: int, healthz_type: str, options) -> int:
    """Print the table and the comparisons; returns how many requests failed."""
    print(f"\nREST API on gen-{options.people:,}: wrk {options.seconds} s per run, {options.workers} granian workers")
    if "json" not in healthz_type:
        print(f"{HEALTHZ} answers {healthz_type or 'no content type'}, not JSON: the trivial JSON endpoint "
              f"compared with is GET {ME} (token lookup, rate count, no goal queries), {HEALTHZ} is shown too.")  # fmt: skip
    header = f"{'endpoint':<28}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'errors/non-2xx':>16}"
    print("\n" + header + "\n" + "-" * len(header))
    failed = 0
    for path, runs in measured.items():
        for n, run in runs.items():
            failed += run["errors"] + run["non_2xx"]
            print(f"{path:<28}{n:>6}{run['rps']:>10.0f}{run['p50_us'] / 1000:>9.2f}{run['p95_us'] / 1000:>9.2f}"
                  f"{run['errors']:>9} / {run['non_2xx']}")  # fmt: skip
    print()
    for n in CONNECTIONS:
        listing, me, healthz = (measured[path][n]["rps"] for path in (OBJECTIVES, ME, HEALTHZ))
        print(f"at {n:>2} connection{'s' if n > 1 else ' '}: listing 50 objectives with their key results: "
              f"{rate(listing)} req/s, {me / listing:.1f}× slower than {ME} ({rate(me)} req/s), "
              f"{healthz / listing:.1f}× slower than {HEALTHZ} ({rate(healthz)} req/s)")  # fmt: skip
    print(f"p95 of {OBJECTIVES} at 10 connections: {measured[OBJECTIVES][10]['p95_us'] / 1000:.2f} ms")
    print(f"SQL queries of one {OBJECTIVES} request (in-process): {queries}")
    return failed


def rate(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
