"""The adoption dashboard's figures, counted by the worker and kept (AdoptionSnapshot), so that
neither the dashboard nor the people behind its numbers goes over every person of a large
organization on a request.

A snapshot is kept per organization, timeframe and *sight*: what its figures were counted from.
Admins see every objective and share one snapshot (``all``); a non-admin ambassador reads one
counted from the public objectives and exactly the private ones they may see (``private-<digest
of their ids>``), so a figure never counts, and a list never names, a holder of a goal its reader
may not see. Ambassadors who see the same private objectives share one.

When it is counted again (``due_at``):
- a change that moves the figures (a check-in, a goal written, a training, a rollout group's
  people: rollout.listeners and rollout.services) makes the organization's snapshots due at once
  and enqueues the worker's task, only for the first change since the last count: a burst of
  check-ins enqueues one refresh;
- else every REFRESH_EVERY while someone looked at it within IDLE_AFTER; one nobody looked at is
  left alone until someone does;
- the viewer may ask for it now (at most once a REFRESH_NOW_AFTER).
A small organization (up to COUNTED_INLINE_UP_TO people) is counted during the request whenever
its snapshot is due, which costs a few milliseconds: it always reads figures as fresh as before.
A larger one is counted by the worker; until its first count the page says the figures are being
prepared.

Every count is safe to run twice and in two places at once: a worker claims a due snapshot under
a row lock (moving it due_at a lease on, so that a worker that dies leaves it due again), counts
without holding a lock, then writes under the row lock only if nothing newer was written.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.paginator import Page
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_scopes import scope

from lodestar.core.pagination import page_of
from lodestar.core.scoping import all_organizations
from lodestar.okrs.models import Timeframe
from lodestar.orgs.models import Membership
from lodestar.rollout import adoption, selectors
from lodestar.rollout.models import AdoptionPeople, AdoptionSnapshot
from lodestar.worker import outbox

REFRESH_EVERY = datetime.timedelta(minutes=5)
IDLE_AFTER = datetime.timedelta(days=1)
FORGET_AFTER = datetime.timedelta(days=30)
REFRESH_NOW_AFTER = datetime.timedelta(minutes=1)
VIEWED_STAMP_EVERY = datetime.timedelta(hours=1)
COUNTED_INLINE_UP_TO = 500
PEOPLE_PER_PAGE = 50


def _sight_name(sight: frozenset[int] | None) -> str:
    if sight is None:
        return "all"
    return "private-" + hashlib.sha256(",".join(map(str, sorted(sight))).encode()).hexdigest()[:40]


def _sight(snapshot: AdoptionSnapshot) -> frozenset[int] | None:
    return None if snapshot.private_ids is None else frozenset(snapshot.private_ids)


# --- reading ----------------------------------------------------------------------------------


def snapshot_for(viewer: Membership, timeframe: Timeframe | None) -> AdoptionSnapshot:
    """The viewer's snapshot of the timeframe, counted now when the organization is small and it is
    due (or new), else as the worker last counted it (``computed_at`` None: not yet)."""
    now = timezone.now()
    sight = selectors.sight_of(viewer)
    name = _sight_name(sight)
    snapshot = AdoptionSnapshot.objects.filter(
        organization_id=viewer.organization_id, timeframe=timeframe, sight=name
    ).first()
    woken = snapshot is None
    if snapshot is None:
        snapshot = _start(viewer, timeframe, sight, name, now)
    elif snapshot.viewed_at < now - VIEWED_STAMP_EVERY or snapshot.due_at is None:
        woken = _stamp_viewed(snapshot, now)
    snapshot.organization, snapshot.timeframe = viewer.organization, timeframe
    if snapshot.due_at is not None and snapshot.due_at <= now:
        if _small(snapshot):
            refresh(snapshot)
        elif woken:
            outbox.enqueue_after_commit(_task())
    return snapshot


def counted_for(viewer: Membership, timeframe: Timeframe | None) -> AdoptionSnapshot:
    """The viewer's snapshot, counted now if due whatever the organization's size: the pages as
    they read once the worker has counted (the demo's page registry, benchmarks)."""
    snapshot = snapshot_for(viewer, timeframe)
    refresh(snapshot)
    return snapshot


def _start(viewer, timeframe, sight, name, now) -> AdoptionSnapshot:
    """A new snapshot, due at once (a second request starting the same one reads that one)."""
    try:
        with transaction.atomic():
            return AdoptionSnapshot.objects.create(
                organization_id=viewer.organization_id,
                timeframe=timeframe,
                sight=name,
                private_ids=None if sight is None else sorted(sight),
                due_at=now,
                viewed_at=now,
            )
    except IntegrityError:
        return AdoptionSnapshot.objects.get(organization_id=viewer.organization_id, timeframe=timeframe, sight=name)


def _stamp_viewed(snapshot: AdoptionSnapshot, now) -> bool:
    """Someone looks at it: keep it refreshed; one left idle is due again (returns whether it was)."""
    snapshot.viewed_at = now
    AdoptionSnapshot.objects.filter(pk=snapshot.pk).update(viewed_at=now)
    if snapshot.due_at is not None:
        return False
    snapshot.due_at = now
    return bool(AdoptionSnapshot.objects.filter(pk=snapshot.pk, due_at__isnull=True).update(due_at=now))


def _small(snapshot: AdoptionSnapshot) -> bool:
    if snapshot.computed_at is not None:
        return snapshot.figures.get("all", {}).get("people", 0) <= COUNTED_INLINE_UP_TO
    active = Membership.objects.filter(organization_id=snapshot.organization_id, is_active=True)
    return active.count() <= COUNTED_INLINE_UP_TO


def counts(snapshot: AdoptionSnapshot) -> dict[str, adoption.Counts]:
    return {segment: adoption.Counts.from_json(stored) for segment, stored in snapshot.figures.items()}


def is_refreshing(snapshot: AdoptionSnapshot) -> bool:
    return snapshot.due_at is not None and snapshot.due_at <= timezone.now()


@dataclass
class PeopleBehind:
    segment_name: str
    measure: str
    page: Page  # of membership ids; ``people`` are those of this page, in the same order
    people: list[Membership]

    @property
    def total(self) -> int:
        return self.page.paginator.count


def people_behind(
    viewer: Membership, snapshot: AdoptionSnapshot, *, segment: str, measure: str, page: str | None
) -> PeopleBehind | None:
    """One page of the people behind a number of the snapshot (a page number that is not one reads
    the first or the last page); None for an unknown segment or measure."""
    if measure not in adoption.MEASURES or segment not in snapshot.figures:
        return None
    name = selectors.segment_name(viewer, segment)
    if name is None:  # counted before the group was deleted
        return None
    ids = (
        AdoptionPeople.objects.filter(
            organization_id=viewer.organization_id, snapshot=snapshot, segment=segment, measure=measure
        )
        .values_list("people", flat=True)
        .first()
    ) or []
    shown = page_of(ids, page, per_page=PEOPLE_PER_PAGE)
    found = Membership.objects.filter(organization_id=viewer.organization_id, pk__in=list(shown)).select_related("user")
    by_id = {person.pk: person for person in found}
    return PeopleBehind(name, measure, shown, [by_id[pk] for pk in shown if pk in by_id])


# --- counting ---------------------------------------------------------------------------------


def refresh(snapshot: AdoptionSnapshot) -> bool:
    """Count a due snapshot now (a small organization's, during the request). Returns False when it
    is not due, or another request or worker is counting it."""
    claimed_due = timezone.now() + outbox.lease()
    if not AdoptionSnapshot.objects.filter(pk=snapshot.pk, due_at__lte=timezone.now()).update(due_at=claimed_due):
        return False
    return count(snapshot, claimed_due=claimed_due)


def count(snapshot: AdoptionSnapshot, *, claimed_due: datetime.datetime) -> bool:
    """Count the claimed snapshot's figures and write them, unless a newer count was written
    meanwhile. Its next due time follows, unless a change made it due again during the count
    (``due_at`` is no longer the claim's). Returns whether it wrote."""
    started = timezone.now()
    organization = snapshot.organization
    counted = selectors.adoption_figures(organization, _sight(snapshot), snapshot.timeframe, organization.today())
    figures, lists = {}, []
    rank = {person: place for place, person in enumerate(counted.by_name)}
    for segment in counted.segments:
        figures[segment.key] = adoption.Counts.of(segment.figures).as_json()
        for measure in adoption.MEASURES:
            people = segment.figures.measure(measure)
            if people:
                ordered = sorted(people, key=lambda pk: (rank.get(pk, len(rank)), pk))
                lists.append((segment.key, measure, ordered))
    with transaction.atomic():
        current = AdoptionSnapshot.objects.select_for_update().filter(pk=snapshot.pk).first()
        if current is None or (current.computed_at is not None and current.computed_at >= started):
            return False
        due_at = _next_due(current, started) if current.due_at == claimed_due else current.due_at
        AdoptionSnapshot.objects.filter(pk=snapshot.pk).update(figures=figures, computed_at=started, due_at=due_at)
        AdoptionPeople.objects.filter(organization_id=organization.pk, snapshot=snapshot).delete()
        AdoptionPeople.objects.bulk_create(
            AdoptionPeople(
                organization_id=organization.pk, snapshot=snapshot, segment=segment, measure=measure, people=ids
            )
            for segment, measure, ids in lists
        )
    snapshot.figures, snapshot.computed_at, snapshot.due_at = figures, started, due_at
    return True


def _next_due(snapshot: AdoptionSnapshot, now) -> datetime.datetime | None:
    return now + REFRESH_EVERY if snapshot.viewed_at >= now - IDLE_AFTER else None


def claim_due(now: datetime.datetime) -> tuple[AdoptionSnapshot, datetime.datetime] | None:
    """The next due snapshot of any organization, claimed for this worker for a lease: another
    worker skips it, and it is due again should this one die counting it."""
    # The worker serves every organization; the count then runs in the snapshot's own scope.
    with all_organizations(), transaction.atomic():
        snapshot = (
            AdoptionSnapshot.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(due_at__lte=now)
            .select_related("organization", "timeframe")
            .order_by("due_at", "pk")
            .first()
        )
        if snapshot is None:
            return None
        claimed_due = now + outbox.lease()
        AdoptionSnapshot.objects.filter(pk=snapshot.pk).update(due_at=claimed_due)
        return snapshot, claimed_due


def enqueue_due(now: datetime.datetime) -> None:
    """The worker's periodic job: count what is due, and forget snapshots nobody read for a month."""
    with all_organizations():
        AdoptionSnapshot.objects.filter(viewed_at__lt=now - FORGET_AFTER).delete()
        if AdoptionSnapshot.objects.filter(due_at__lte=now).exists():
            outbox.enqueue_after_commit(_task())


# --- changes ----------------------------------------------------------------------------------


def figures_changed(organization_id: int) -> None:
    """Something that moves the figures was written (call inside its transaction): the
    organization's snapshots are due now; the first change since their last count enqueues the
    worker's task, after the commit."""
    now = timezone.now()
    with scope(organization=organization_id):  # also outside a request: the first-run setup, commands
        made_due = AdoptionSnapshot.objects.filter(due_at__gt=now).update(due_at=now)
    if made_due:
        outbox.enqueue_after_commit(_task())


def refresh_now(viewer: Membership, snapshot: AdoptionSnapshot) -> bool:
    """The viewer asks for fresh figures: counted now for a small organization, else soon by the
    worker. Not again within REFRESH_NOW_AFTER of the last count (returns False then)."""
    now = timezone.now()
    if snapshot.computed_at is not None and snapshot.computed_at > now - REFRESH_NOW_AFTER:
        return False
    AdoptionSnapshot.objects.filter(pk=snapshot.pk).filter(Q(due_at__isnull=True) | Q(due_at__gt=now)).update(
        due_at=now
    )
    snapshot.due_at = now
    if _small(snapshot):
        refresh(snapshot)
    else:
        outbox.enqueue_after_commit(_task())
    return True


def _task():
    from lodestar.rollout.tasks import refresh_adoption_figures

    return refresh_adoption_figures
