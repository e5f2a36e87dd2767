"""The adoption figures as the worker keeps them: one snapshot per kind of viewer that never shows
what its reader may not see, refreshed by the task after a change (one refresh for a burst) and
every few minutes, read by the pages in a fixed number of queries, the people list paged."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lodestar.core.scoping import organization_scope
from lodestar.okrs import services as okrs
from lodestar.rollout import services, snapshots
from lodestar.rollout.models import AdoptionPeople, AdoptionSnapshot
from lodestar.rollout.tasks import refresh_adoption_figures
from lodestar.worker import outbox
from tests import factories
from tests.conftest import add_person, reload, signed_in
from tests.rollout.conftest import make_ambassador

pytestmark = pytest.mark.django_db


def url(cast, name, org=None):
    return reverse(f"rollout:{name}", kwargs={"org_slug": (org or cast.acme).slug})


def people_listed(client, cast, measure, segment="all", **params):
    response = client.get(url(cast, "people"), {"segment": segment, "measure": measure, **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def large(monkeypatch):
    """Acme counted as a large organization: only the worker's task counts its figures."""
    monkeypatch.setattr(snapshots, "COUNTED_INLINE_UP_TO", 0)


def run_worker():
    """What the worker does: its periodic job enqueues the task when a snapshot is due; the task counts."""
    return refresh_adoption_figures.call()


@pytest.fixture
def hermit(cast):
    """A person whose only goal, with a check-in, is private: admins see it; an ambassador not."""
    hermit = add_person(cast.owner, "hermit@acme.test", "Hal Hermit")
    secret = factories.objective(
        hermit, timeframe=cast.quarter, title="My secret", level="personal", lead=hermit, visibility="private"
    )
    okrs.record_check_in(
        actor=hermit, key_result=factories.metric(hermit, secret, owner=hermit), value=5, status="on_track"
    )
    return hermit


# --- what a viewer may see -------------------------------------------------------------------


def test_an_ambassador_never_reads_a_private_goals_holder_from_the_admins_figures(client, cast, hermit):
    signed_in(client, cast.owner)
    assert "Hal Hermit" in people_listed(client, cast, "with_goals")
    assert "Hal Hermit" in people_listed(client, cast, "checked_in_7")
    ambassador = make_ambassador(cast, add_person(cast.owner, "amb@acme.test", "Amy Ambassador"))
    signed_in(client, ambassador)
    assert "Hal Hermit" not in people_listed(client, cast, "with_goals")
    assert "Hal Hermit" not in people_listed(client, cast, "checked_in_7")
    assert "Hal Hermit" in people_listed(client, cast, "never_checked_in")
    sights = set(AdoptionSnapshot.objects.filter(organization=cast.acme).values_list("sight", flat=True))
    assert len(sights) == 2 and "all" in sights


def test_ambassadors_who_see_the_same_goals_share_figures_and_one_who_sees_more_has_their_own(cast, hermit):
    first = make_ambassador(cast, add_person(cast.owner, "amb1@acme.test", "Amy Ambassador"))
    second = make_ambassador(cast, add_person(cast.owner, "amb2@acme.test", "Ben Ambassador"))
    assert snapshots.snapshot_for(reload(first), cast.quarter) == snapshots.snapshot_for(reload(second), cast.quarter)
    # The hermit's own view takes in their private objective: other figures than the others'.
    make_ambassador(cast, hermit)
    own = snapshots.snapshot_for(reload(hermit), cast.quarter)
    assert own != snapshots.snapshot_for(reload(first), cast.quarter)
    assert (
        own.figures["all"]["with_goals"]
        == snapshots.snapshot_for(reload(cast.owner), cast.quarter).figures["all"]["with_goals"]
    )


def test_another_organization_reads_none_of_acmes_figures(client, cast):
    group = services.create_rollout_group(actor=cast.owner, name="First rollout group", members=[cast.lead])
    signed_in(client, cast.owner)
    assert client.get(url(cast, "dashboard")).status_code == 200
    signed_in(client, cast.beta_owner)
    assert client.get(url(cast, "dashboard")).status_code == 404
    assert client.get(url(cast, "people"), {"segment": "all", "measure": "people"}).status_code == 404
    assert client.post(url(cast, "adoption_refresh")).status_code == 404
    beta_people = reverse("rollout:people", kwargs={"org_slug": cast.beta.slug})
    assert client.get(beta_people, {"segment": f"rg-{group.pk}", "measure": "people"}).status_code == 404
    assert "Max Member" not in client.get(beta_people, {"segment": "all", "measure": "people"}).content.decode()


def test_only_those_running_the_rollout_may_ask_for_fresh_figures(client, cast):
    signed_in(client, cast.member)
    assert client.post(url(cast, "adoption_refresh")).status_code == 403
    assert not AdoptionSnapshot.objects.exists()


# --- fresh figures -----------------------------------------------------------------------------


def test_a_small_organizations_figures_are_fresh_right_after_a_check_in(client, cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Customers love us")
    revenue = factories.metric(cast.owner, objective, owner=cast.member, title="Revenue")
    signed_in(client, cast.owner)
    assert "Max Member" not in people_listed(client, cast, "checked_in_7")
    okrs.record_check_in(actor=cast.member, key_result=revenue, value=5, status="on_track")
    assert "Max Member" in people_listed(client, cast, "checked_in_7")


def test_a_large_organizations_figures_are_prepared_by_the_worker_then_refreshed_after_a_change(
    client, cast, large, django_capture_on_commit_callbacks
):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Customers love us")
    revenue = factories.metric(cast.owner, objective, owner=cast.member, title="Revenue")
    signed_in(client, cast.owner)
    with django_capture_on_commit_callbacks(execute=True):
        body = client.get(url(cast, "dashboard")).content.decode()
    assert "The figures are being prepared" in body
    assert DBTaskResult.objects.ready().filter(task_path=refresh_adoption_figures.module_path).count() == 1
    assert run_worker() == 1
    assert "Max Member" not in people_listed(client, cast, "checked_in_7")
    with django_capture_on_commit_callbacks(execute=True):
        okrs.record_check_in(actor=cast.member, key_result=revenue, value=5, status="on_track")
    assert "Being counted again now." in client.get(url(cast, "dashboard")).content.decode()
    assert "Max Member" not in people_listed(client, cast, "checked_in_7")  # until the worker counts
    assert run_worker() == 1
    assert "Max Member" in people_listed(client, cast, "checked_in_7")
    assert run_worker() == 0  # nothing due: the next count is in a few minutes


def test_a_burst_of_check_ins_enqueues_one_refresh(client, cast, large, django_capture_on_commit_callbacks):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Customers love us")
    revenue = factories.metric(cast.owner, objective, owner=cast.member, title="Revenue")
    snapshots.snapshot_for(reload(cast.owner), cast.quarter)
    run_worker()
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        for value in (1, 2, 3, 4):
            okrs.record_check_in(actor=cast.member, key_result=revenue, value=value, status="on_track")
    assert DBTaskResult.objects.filter(task_path=refresh_adoption_figures.module_path).count() == 1


def test_figures_nobody_changed_are_counted_again_every_few_minutes(cast, large, django_capture_on_commit_callbacks):
    snapshot = snapshots.snapshot_for(reload(cast.owner), cast.quarter)
    run_worker()
    snapshot.refresh_from_db()
    first_count = snapshot.computed_at
    assert snapshot.due_at == first_count + snapshots.REFRESH_EVERY
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        snapshots.enqueue_due(first_count + datetime.timedelta(minutes=1))
    assert not DBTaskResult.objects.exists()
    AdoptionSnapshot.objects.filter(pk=snapshot.pk).update(due_at=timezone.now())  # five minutes later
    with django_capture_on_commit_callbacks(execute=True):
        snapshots.enqueue_due(timezone.now())
    assert DBTaskResult.objects.filter(task_path=refresh_adoption_figures.module_path).count() == 1
    assert run_worker() == 1
    snapshot.refresh_from_db()
    assert snapshot.computed_at > first_count


def test_figures_nobody_looked_at_for_a_day_rest_until_someone_does(cast, large):
    snapshot = snapshots.snapshot_for(reload(cast.owner), cast.quarter)
    AdoptionSnapshot.objects.filter(pk=snapshot.pk).update(viewed_at=timezone.now() - datetime.timedelta(days=2))
    run_worker()
    snapshot.refresh_from_db()
    assert snapshot.computed_at is not None and snapshot.due_at is None
    snapshots.snapshot_for(reload(cast.owner), cast.quarter)
    snapshot.refresh_from_db()
    assert snapshot.due_at <= timezone.now()


def test_a_worker_that_dies_counting_leaves_the_figures_to_the_next(cast, large):
    snapshots.snapshot_for(reload(cast.owner), cast.quarter)
    now = timezone.now()
    claimed, _ = snapshots.claim_due(now)  # and the worker dies
    assert snapshots.claim_due(now) is None
    again, claimed_due = snapshots.claim_due(now + outbox.lease() + datetime.timedelta(seconds=1))
    assert again == claimed
    with organization_scope(again.organization):
        assert snapshots.count(again, claimed_due=claimed_due)


def test_counting_twice_leaves_one_list_per_number(cast):
    group = services.create_rollout_group(actor=cast.owner, name="First rollout group", members=[cast.lead])
    snapshot = snapshots.snapshot_for(reload(cast.owner), cast.quarter)
    lists = AdoptionPeople.objects.filter(snapshot=snapshot).count()
    assert lists > 0
    for _ in range(2):
        snapshots.refresh_now(reload(cast.owner), snapshot)
        AdoptionSnapshot.objects.filter(pk=snapshot.pk).update(computed_at=timezone.now() - datetime.timedelta(hours=1))
        snapshot.refresh_from_db()
    assert AdoptionPeople.objects.filter(snapshot=snapshot).count() == lists
    assert AdoptionPeople.objects.filter(snapshot=snapshot, segment=f"rg-{group.pk}", measure="people").exists()


# --- the page says how fresh -------------------------------------------------------------------


def test_the_dashboard_says_when_its_figures_were_counted_in_the_readers_time_zone(client, cast):
    cast.owner.user.time_zone = "Asia/Tokyo"
    cast.owner.user.save()
    signed_in(client, cast.owner)
    client.get(url(cast, "dashboard"))
    counted_at = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    AdoptionSnapshot.objects.update(computed_at=counted_at, due_at=timezone.now() + datetime.timedelta(minutes=5))
    body = client.get(url(cast, "dashboard")).content.decode()
    # 9:30 UTC in the reader's Tokyo, not in the organization's Berlin (10:30 a.m.)
    assert "Figures as of March 2, 2026, 6:30 p.m., refreshed every 5 minutes." in body


def test_asking_for_fresh_figures_counts_them_once_a_minute_at_most(client, cast):
    signed_in(client, cast.owner)
    client.get(url(cast, "dashboard"))
    AdoptionSnapshot.objects.update(computed_at=timezone.now() - datetime.timedelta(minutes=3))
    response = client.post(url(cast, "adoption_refresh"), follow=True)
    assert "The figures are up to date." in response.content.decode()
    response = client.post(url(cast, "adoption_refresh"), follow=True)
    assert "The figures were counted less than a minute ago." in response.content.decode()


# --- the pages' cost ---------------------------------------------------------------------------


def page_queries(client, path, params=None) -> int:
    client.get(path, params)  # counted: the next request only reads
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def test_the_pages_read_a_fixed_number_of_queries_whatever_the_organizations_size(client, cast):
    signed_in(client, cast.owner)
    people = url(cast, "people")
    few = page_queries(client, url(cast, "dashboard")), page_queries(client, people, {"measure": "people"})
    for n in range(60):
        person = add_person(cast.owner, f"person{n}@acme.test", f"Person {n:02}")
        if n % 10 == 0:
            services.create_rollout_group(actor=cast.owner, name=f"Group {n}", members=[person])
    many = page_queries(client, url(cast, "dashboard")), page_queries(client, people, {"measure": "people"})
    assert many == few
    assert max(many) <= 20


def test_the_people_behind_a_number_come_fifty_to_a_page(client, cast):
    for n in range(60):
        add_person(cast.owner, f"person{n}@acme.test", f"Person {n:02}")
    signed_in(client, cast.owner)
    first = people_listed(client, cast, "people")
    assert "Person 00" in first and "Person 44" in first and "Person 59" not in first
    assert "Page 1 of 2" in first
    second = people_listed(client, cast, "people", page="2")
    assert "Person 59" in second and "Person 00" not in second
    for bad in ("0", "x", "99999999999999999999", "-1"):
        assert people_listed(client, cast, "people", page=bad)
