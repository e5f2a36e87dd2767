"""Run by test_sqlite_concurrency.py in its own process against a fresh SQLite file:
eight people check in at the same moment, repeatedly. Prints how many check-ins were saved
and every error anyone saw."""

import os
import sys
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
sys.path.insert(0, os.getcwd())

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from lodestar.accounts.models import User  # noqa: E402
from lodestar.core.scoping import all_organizations, organization_scope  # noqa: E402
from lodestar.okrs import services  # noqa: E402
from lodestar.okrs.models import CheckIn, KeyResult, Objective, Timeframe  # noqa: E402
from lodestar.orgs import services as orgs  # noqa: E402
from lodestar.orgs.models import Membership  # noqa: E402

call_command("migrate", verbosity=0)
with all_organizations():
    owner = User.objects.create_user(email="owner@sqlite.test", password="x", full_name="Owner")
    organization = orgs.create_organization(name="SQLite", slug="sqlite", owner=owner)
    actor = Membership.objects.get(user=owner)
    today = organization.today()
    timeframe = services.create_timeframe(
        actor=actor, name="Now", starts_on=today.replace(day=1), ends_on=today.replace(day=28).replace(year=today.year + 1),
        state=Timeframe.State.ACTIVE,
    )  # fmt: skip
    objective = services.create_objective(
        actor=actor, timeframe=timeframe, title="Goal", level="company", lead=actor, state=Objective.State.ACTIVE
    )
    key_results = [
        services.create_key_result(
            actor=actor, objective=objective, title=f"KR {i}", kind="metric", owner=actor, start_value=0, target_value=100
        )
        for i in range(4)
    ]  # fmt: skip

errors = []
start = threading.Barrier(8)


def person(index):
    try:
        with organization_scope(organization):
            me = Membership.objects.get(pk=actor.pk)
            start.wait()
            for value in range(15):
                key_result = KeyResult.objects.get(pk=key_results[(index + value) % 4].pk)
                services.record_check_in(actor=me, key_result=key_result, value=value, status="on_track")
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()


threads = [threading.Thread(target=person, args=(i,)) for i in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with all_organizations():
    print(f"saved={CheckIn.objects.count()} errors={errors}")
