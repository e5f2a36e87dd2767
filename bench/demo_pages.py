"""Server time of the demo organization's strategy pages, as `make run` serves them.

Builds the demo organization in a fresh SQLite database (the embedded default) in a temporary
directory, or uses DATABASE_URL when given, and times the alignment map, a lazily loaded branch
of it and the presentation in-process (request in, response out: middleware, queries, templates),
signed in as the demo login, with DEBUG off. Prints median, p95 and the slowest request of each
against the target (the map under 300 ms) and exits non-zero when one misses it.

    .venv/bin/python bench/demo_pages.py [--requests 50]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="Timed requests per page (after two warm-ups).")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{directory}/demo.sqlite3")
        os.environ.update({"DJANGO_SETTINGS_MODULE": "lodestar.settings", "DEBUG": "false"})
        rows = measure(options.requests)
    print(f"\nDemo organization, server time per request ({options.requests} requests each, DEBUG off, "
          f"{os.environ['DATABASE_URL'].split(':', 1)[0]}):")  # fmt: skip
    width = max(len(name) for name, *_ in rows)
    print(f"{'page'.ljust(width)}  median     p95        slowest    queries  target")
    for name, timings, queries in rows:
        verdict = "pass" if p95(timings) <= TARGET_MS else "FAIL"
        print(f"{name.ljust(width)}  {statistics.median(timings):6.1f} ms  {p95(timings):6.1f} ms  {max(timings):6.1f} ms  "
              f"{queries:>7}  ≤ {TARGET_MS} ms p95 {verdict}")  # fmt: skip
    if any(p95(timings) > TARGET_MS for _name, timings, _queries in rows):
        raise SystemExit("A page misses its target.")


def p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20, method="inclusive")[18]


def measure(requests: int) -> list[tuple[str, list[float], int]]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from lodestar.accounts.models import User
    from lodestar.core.scoping import organization_scope
    from lodestar.demo import content
    from lodestar.okrs.models import Objective
    from lodestar.orgs.models import Organization

    call_command("migrate", "--no-input", verbosity=0)
    call_command("load_demo", "--if-empty", verbosity=0)
    organization = Organization.objects.get(slug=content.ORGANIZATION["slug"])
    with organization_scope(organization):
        deepest_branch = (
            Objective.objects.filter(organization=organization, level=Objective.Level.GROUP, children__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
    client = Client()
    client.force_login(User.objects.get(email=content.DEMO_LOGIN))
    slug = organization.slug
    pages = {
        "alignment map": (f"/{slug}/map/", {}),
        "alignment map, filtered": (f"/{slug}/map/?status=needs_attention", {}),
        "alignment map, a branch (htmx)": (f"/{slug}/map/{deepest_branch}/aligned/", {"HTTP_HX_REQUEST": "true"}),
        "presentation": (f"/{slug}/present/", {}),
    }
    rows = []
    for name, (path, headers) in pages.items():
        for _warm_up in range(2):
            assert client.get(path, **headers).status_code == 200, path
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            client.get(path, **headers)
        timings = []
        for _request in range(requests):
            started = time.perf_counter()
            response = client.get(path, **headers)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, path
        rows.append((name, timings, queries.count))
    return rows


class QueryCounter:
    """A database execute wrapper that counts the queries it lets through."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    main()
