"""`make load`: a bounded locust run against Lodestar under granian on 127.0.0.1.

200 simulated people (default) ramp up, each signs in once, then for 5 minutes reads My goals,
their objectives, the company page, the KPI list and search, and checks in (bench/locustfile.py
has the mix) on the generated 10,000-person organization. The statistics are
reset when the last person has signed in, so the table shows the steady state; the sign-in ramp
is reported apart. Exits non-zero on any failed request.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402 - the path above makes bench importable
    DEFAULT_DATABASE,
    SERVER_ENVIRONMENT,
    ensure_database,
    ensure_organization,
    free_port,
    manage,
    start_server,
)


def people_with_key_results(people: int, count: int) -> list[str]:
    """E-mails of members who own key results of active objectives (so they have something to check in)."""
    import django

    django.setup()
    from lodestar.core.scoping import organization_scope
    from lodestar.okrs.models import KeyResult
    from lodestar.orgs.models import Organization, Role

    organization = Organization.objects.get(slug=f"gen-{people}")
    with organization_scope(organization):
        emails = (
            KeyResult.objects.filter(
                organization=organization, objective__state="active", owner__role=Role.MEMBER, kind="metric"
            )
            .order_by("owner_id")
            .values_list("owner__user__email", flat=True)
            .distinct()
        )
        return list(emails[:count])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--minutes", type=float, default=5)
    options = parser.parse_args()

    database = os.environ.get("DATABASE_URL", DEFAULT_DATABASE)
    env = {**os.environ, **SERVER_ENVIRONMENT, "DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "lodestar.settings"}
    os.environ.update({"DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "lodestar.settings"})
    ensure_database(database)
    manage("migrate", "--no-input", "-v0", env={**os.environ})
    ensure_organization(options.people, {**os.environ})
    users_file = ROOT / "var" / "load-users.txt"
    users_file.write_text("\n".join(people_with_key_results(options.people, options.users)))

    # Many people sign in from one address here; the production limit per address would refuse them.
    server_env = {**env, "LOGIN_RATE_LIMIT": "100000/m/ip"}
    manage("collectstatic", "--no-input", "-v0", env=server_env)
    port = free_port()
    server = start_server(server_env, port, os.cpu_count() or 2, 1)
    # The ramp: spawning, then every sign-in's password check (about 0.3 s of CPU each, by design).
    ramp_seconds = options.users / options.spawn_rate + options.users * 0.3 / (os.cpu_count() or 2) + 10
    run_seconds = int(ramp_seconds + options.minutes * 60)
    try:
        result = subprocess.run(
            [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "--users", str(options.users), "--spawn-rate", str(options.spawn_rate), "--run-time", f"{run_seconds}s",
             "--host", f"http://127.0.0.1:{port}", "--only-summary", "--stop-timeout", "10"],
            cwd=ROOT,
            env={**os.environ, "LODESTAR_LOAD_USERS": str(users_file), "LODESTAR_LOAD_ORGANIZATION": f"gen-{options.people}"},
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=10)
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
