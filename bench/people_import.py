"""`make bench`, people import: a 10,000-row spreadsheet previewed and applied on PostgreSQL.

Creates the database lodestar_bench_import (on the server of DATABASE_URL, default
postgres://postgres@127.0.0.1:5432), migrates it, starts an organization with one owner, writes a
10,000-person CSV (100 groups in 10 departments, each with a lead, every person with a manager),
then measures through the services the page uses: the preview (read the file, plan every row,
store it), the apply (one transaction: accounts, memberships, groups, leads, managers, invitations
and their e-mails), and the same file again (all unchanged); and the preview page's server time. Prints the figures with their targets,
writes them to bench/results/people_import.json, drops the database, and exits non-zero when a
target is missed.
"""

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DATABASE = "lodestar_bench_import"
TARGETS = {"preview_s": 10, "preview_page_s": 2, "apply_s": 60, "again_preview_s": 10}


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lodestar_bench")
    if not url.startswith("postgres"):
        raise SystemExit("The people import bench runs on PostgreSQL: set DATABASE_URL=postgres://...")
    return url.rsplit("/", 1)[0]


def admin_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server_url()}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def people_csv(people: int) -> bytes:
    """Row 1 the chief executive; ten department heads; each of 100 teams led by its first person;
    everyone else in a team, managed by its lead. Mixed languages and time zones, some ambassadors."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ["Name", "E-mail", "Group", "Role", "Manager e-mail", "Lead of", "Job title", "Language", "Time zone",
         "OKR ambassador"]
    )  # fmt: skip
    ceo = "ceo@bench.example"
    writer.writerow(
        ["Chief Executive", ceo, "Leadership", "admin", "", "Leadership", "CEO", "English", "Europe/Berlin", "no"]
    )
    heads = [f"head{d}@bench.example" for d in range(10)]
    for d, head in enumerate(heads):
        writer.writerow(
            [f"Head {d}", head, "Leadership", "admin", ceo, f"Department {d}", "Head of department", "Deutsch",
             "Europe/Berlin", "yes" if d == 0 else "no"]
        )  # fmt: skip
    written = 11
    team = 0
    leads = {}
    while written < people:
        d, t = divmod(team % 100, 10)
        path = f"Department {d} / Team {d}.{t}"
        email = f"person{written}@bench.example"
        if path not in leads:
            leads[path] = email
            row = [f"Person {written}", email, path, "member", heads[d], path, "Team lead", "", "", "no"]
        else:
            zone = ("Europe/Berlin", "Europe/London", "America/New_York")[written % 3]
            language = ("de", "en", "")[written % 3]
            row = [f"Person {written}", email, path, ("member", "viewer")[written % 10 == 0], leads[path], "",
                   "Engineer", language, zone, "no"]  # fmt: skip
        writer.writerow(row)
        written += 1
        team += 1
    return buffer.getvalue().encode("utf-8-sig")


def measure(people: int) -> dict:
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files are not collected here

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lodestar.core.scoping import organization_scope
    from lodestar.onboarding.models import Invitation, InvitationEmail
    from lodestar.onboarding.people_import import services
    from lodestar.orgs import services as orgs
    from lodestar.orgs.models import Group, GroupMembership, Membership

    owner_user = get_user_model().objects.create_user(email="owner@bench.example", full_name="Bench Owner")
    organization = orgs.create_organization(name="Bench Import", slug="bench-import", owner=owner_user)
    data = people_csv(people)
    figures = {"rows": people, "file_bytes": len(data)}
    with organization_scope(organization):
        owner = Membership.objects.select_related("organization", "user").get(organization=organization)

        def timed(name, call):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = call()
                figures[f"{name}_s"] = round(time.perf_counter() - started, 2)
            figures[f"{name}_queries"] = len(queries)
            return result

        people_import = timed(
            "preview", lambda: services.preview_people_import(actor=owner, file_name="people.csv", data=data)
        )
        summary = people_import.preview["summary"]
        assert summary["new"] == people and summary["error"] == 0, summary
        client = Client()
        client.force_login(owner.user)
        page = f"/{organization.slug}/people/import/{people_import.pk}/"
        response = timed("preview_page", lambda: client.get(page))
        assert response.status_code == 200, response.status_code
        outcome = timed(
            "apply",
            lambda: services.apply_people_import(
                actor=owner, people_import=people_import, send_invitations=True, deactivate_missing=False
            ),
        )
        assert outcome.applied
        figures["created"] = {
            "memberships": Membership.objects.filter(organization=organization).count(),
            "groups": Group.objects.filter(organization=organization).count(),
            "group_places": GroupMembership.objects.filter(organization=organization).count(),
            "invitations": Invitation.objects.filter(organization=organization).count(),
            "emails_queued": InvitationEmail.objects.filter(organization=organization).count(),
        }
        again = timed(
            "again_preview", lambda: services.preview_people_import(actor=owner, file_name="people.csv", data=data)
        )
        assert again.preview["summary"]["unchanged"] == people, again.preview["summary"]
        timed(
            "again_apply",
            lambda: services.apply_people_import(
                actor=owner, people_import=again, send_invitations=True, deactivate_missing=False
            ),
        )
    connection.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    options = parser.parse_args()
    url = f"{server_url()}/{DATABASE}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "lodestar.settings", "DEBUG": "false"}
    admin_execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    admin_execute(f'CREATE DATABASE "{DATABASE}"')
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        figures = measure(options.people)
    finally:
        admin_execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    print(f"People import of {figures['rows']:,} rows ({figures['file_bytes'] / 1e6:.1f} MB CSV) on PostgreSQL:")
    missed = []
    for name, label in (
        ("preview", "preview (read, plan, store)"),
        ("preview_page", "preview page (200 rows of 10,000)"),
        ("apply", "apply (one transaction)"),
        ("again_preview", "same file again: preview"),
        ("again_apply", "same file again: apply"),
    ):
        target = TARGETS.get(f"{name}_s")
        verdict = (
            "" if target is None else (f"target ≤ {target} s " + ("ok" if figures[f"{name}_s"] <= target else "MISSED"))
        )
        if target is not None and figures[f"{name}_s"] > target:
            missed.append(name)
        print(f"  {label:<32} {figures[f'{name}_s']:>7.2f} s  {figures[f'{name}_queries']:>5} queries  {verdict}")
    print("  created: " + ", ".join(f"{count:,} {what}" for what, count in figures["created"].items()))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "people_import.json").write_text(json.dumps(figures, indent=2))
    if missed:
        raise SystemExit(f"Missed targets: {', '.join(missed)}")


if __name__ == "__main__":
    main()
