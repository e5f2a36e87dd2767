"""Where a page's time goes, in-process on the generated organization (`.venv/bin/python bench/page_profile.py [--pages "…"]`).

For every page of the registry (lodestar/demo/pages.py), or those PAGES names: the SQL queries of
one request, the mean server time of a request without a profiler, then cProfile over the same requests, with each function's own
time (tottime) put in one bucket by where the function lives:
  SQL        the database driver and Django's backend layer (sending queries, reading rows);
  ORM        django.db.models (building querysets, turning rows into objects or dicts);
  templates  Django's template engine (and Jinja2, should it come);
  Lodestar   lodestar/ itself (selectors, rules, template tags);
  other      the rest: middleware, sessions, i18n, Python's own library.
The slowest pages come first. Shares are of the profiled time (the profiler adds its own cost,
about evenly). Runs on the bench's PostgreSQL database (bench/run.py makes it)."""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import REFERENCE, ensure_organization, prepare_database, selected  # noqa: E402

BUCKETS = (
    ("SQL", ("/psycopg", "/django/db/backends/", "/django/db/utils.py")),
    ("ORM", ("/django/db/models/",)),
    ("templates", ("/django/template/", "/django/templatetags/", "/jinja2/")),
    ("Lodestar", ("/lodestar/",)),
)


def bucket(filename: str) -> str:
    for name, parts in BUCKETS:
        if any(part in filename for part in parts):
            return name
    return "other"


def signed_in_client(person):
    from django.test import Client

    client = Client()
    client.force_login(person.user)
    return client


def split(client, path: str, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm caches and connections
        assert client.get(path).status_code == 200, path
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    query_count = len(queries)  # now: the next request empties the log
    started = time.perf_counter()
    for _ in range(requests):
        client.get(path)
    wall_ms = (time.perf_counter() - started) * 1000 / requests
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    totals = dict.fromkeys([name for name, _ in BUCKETS] + ["other"], 0.0)
    for (filename, _line, _function), (_calls, _primitive, own, _cumulative, _callers) in pstats.Stats(
        profiler
    ).stats.items():
        totals[bucket(filename)] += own
    profiled = sum(totals.values()) or 1.0
    return {
        "wall_ms": wall_ms,
        "queries": query_count,
        **{name: seconds / profiled for name, seconds in totals.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--pages", default=os.environ.get("PAGES", ""))
    options = parser.parse_args()
    env = prepare_database()
    ensure_organization(options.people, env)

    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench.urls"
    from lodestar.core.scoping import organization_scope
    from lodestar.demo.pages import admin_pages, an_owner, busy_member, member_pages
    from lodestar.orgs.models import Organization

    organization = Organization.objects.get(slug=f"gen-{options.people}")
    results = {}
    for pages_of, person_of in ((member_pages, busy_member), (admin_pages, an_owner)):
        with organization_scope(organization):
            person = person_of(organization)
            pages = dict(pages_of(organization))
        if pages_of is member_pages:
            pages[REFERENCE] = f"/{organization.slug}/bench/reference/"
        client = signed_in_client(person)
        for name, path in pages.items():
            if selected(name, options.pages.split()) or name == REFERENCE:
                results[name] = split(client, path, options.requests)
                print(f"measured {name}", file=sys.stderr, flush=True)

    columns = [name for name, _ in BUCKETS] + ["other"]
    print(f"\n{'page':<48} {'ms/request':>10} {'queries':>7}  " + "  ".join(f"{column:>9}" for column in columns))
    for name, row in sorted(results.items(), key=lambda item: -item[1]["wall_ms"]):
        shares = "  ".join(f"{row[column]:>8.0%} " for column in columns)
        print(f"{name:<48} {row['wall_ms']:>10.1f} {row['queries']:>7}  {shares}")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
