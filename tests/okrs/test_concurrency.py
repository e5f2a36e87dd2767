"""Concurrent writers on PostgreSQL: no lost check-in, no deadlock surfacing, no ownerless organization.

These run on PostgreSQL only (SQLite serialises writers, so they would prove nothing there);
scripts/test-all-databases deselects them for the SQLite run, and they fail on any other database.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lodestar.core.errors import NotAllowed, NotFound
from lodestar.core.scoping import organization_scope
from lodestar.okrs import services
from lodestar.okrs.models import CheckIn, KeyResult, Objective
from lodestar.okrs.rollup import recompute_organization
from lodestar.orgs import services as orgs
from lodestar.orgs.models import Membership, Role
from tests import factories

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _requires_postgresql():
    assert connection.vendor == "postgresql", "concurrency tests prove nothing on SQLite; run them on PostgreSQL"


def run_together(organization, *calls):
    """Run each call in its own thread and database connection, started at the same moment."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            with organization_scope(organization):
                start.wait(timeout=10)
                results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def fresh(model, pk):
    return model.objects.get(pk=pk)


def test_simultaneous_check_ins_on_one_alignment_tree_are_all_kept_and_rolled_up(cast):
    company = factories.objective(cast.owner, timeframe=cast.quarter, progress_driver="both")
    team = factories.objective(
        cast.owner,
        timeframe=cast.quarter,
        level="group",
        groups=[cast.engineering],
        parent=company,
        progress_driver="both",
    )
    person = factories.objective(cast.member, timeframe=cast.quarter, level="personal", parent=team)
    key_results = [
        factories.metric(cast.owner, objective, owner=cast.member, title=f"KR {i}")
        for i, objective in enumerate([company, team, person, person, team, company])
    ]
    calls = [
        (lambda kr=kr, value=value: services.record_check_in(
            actor=fresh(Membership, cast.member.pk), key_result=fresh(KeyResult, kr.pk), value=value, status="on_track"
        ))
        for value in (10, 40, 70)
        for kr in key_results
    ]  # fmt: skip
    calls.append(lambda: services.update_key_result(
        actor=fresh(Membership, cast.owner.pk), key_result=fresh(KeyResult, key_results[2].pk), target_value=50
    ))  # fmt: skip

    results = run_together(cast.acme, *calls)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert CheckIn.objects.count() == 18
    assert recompute_organization(cast.acme.pk, write=False) == {"key_results": 0, "objectives": 0}


def test_deleting_an_objective_while_someone_checks_in_never_fails_with_a_server_error(cast):
    for _ in range(5):
        objective = factories.objective(cast.owner, timeframe=cast.quarter)
        key_result = factories.metric(cast.owner, objective, owner=cast.member)
        results = run_together(
            cast.acme,
            lambda kr=key_result: services.record_check_in(
                actor=fresh(Membership, cast.member.pk), key_result=fresh(KeyResult, kr.pk), value=5, status="on_track"
            ),
            lambda o=objective: services.delete_objective(
                actor=fresh(Membership, cast.owner.pk), objective=fresh(Objective, o.pk)
            ),
        )
        assert all(not isinstance(r, Exception) or isinstance(r, NotFound) for r in results), results
        assert not Objective.objects.filter(pk=objective.pk).exists()


def test_two_owners_demoting_each_other_at_once_leave_one_owner(cast):
    orgs.update_membership(actor=cast.owner, membership=cast.admin, role=Role.OWNER)
    results = run_together(
        cast.acme,
        lambda: orgs.update_membership(
            actor=fresh(Membership, cast.owner.pk), membership=fresh(Membership, cast.admin.pk), role=Role.MEMBER
        ),
        lambda: orgs.update_membership(
            actor=fresh(Membership, cast.admin.pk), membership=fresh(Membership, cast.owner.pk), role=Role.MEMBER
        ),
    )
    assert Membership.objects.filter(organization=cast.acme, role=Role.OWNER, is_active=True).count() == 1
    # The one who came second is refused: either the last-owner rule or no longer being an owner.
    assert sum(isinstance(r, ValidationError | NotAllowed) for r in results) == 1


def test_two_people_editing_the_same_key_result_at_once_leave_it_consistent(cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter)
    key_result = factories.metric(cast.owner, objective, owner=cast.member, target=100)
    services.record_check_in(actor=cast.member, key_result=key_result, value=50, status="on_track")

    results = run_together(
        cast.acme,
        lambda: services.update_key_result(
            actor=fresh(Membership, cast.owner.pk), key_result=fresh(KeyResult, key_result.pk), target_value=200
        ),
        lambda: services.update_key_result(
            actor=fresh(Membership, cast.admin.pk), key_result=fresh(KeyResult, key_result.pk), title="Renamed"
        ),
        lambda: services.record_check_in(
            actor=fresh(Membership, cast.member.pk), key_result=fresh(KeyResult, key_result.pk), value=80,
            status="on_track",
        ),
    )  # fmt: skip

    assert [r for r in results if isinstance(r, Exception)] == []
    assert CheckIn.objects.filter(key_result=key_result).count() == 2
    key_result = KeyResult.objects.get(pk=key_result.pk)
    assert (key_result.title, key_result.target_value) == ("Renamed", 200)  # neither edit lost the other
    assert recompute_organization(cast.acme.pk, write=False) == {"key_results": 0, "objectives": 0}
