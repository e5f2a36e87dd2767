"""The worker's task counting the adoption dashboard's figures (rollout.snapshots). Safe to run
twice, or in two workers at once: each snapshot is claimed before it is counted."""

from django.tasks import task
from django.utils import timezone

from lodestar.core.scoping import organization_scope
from lodestar.rollout import snapshots
from lodestar.worker.outbox import enqueue_once

# One run counts at most this many snapshots (each about a second at 10,000 people), then hands
# over to a fresh run.
BATCH = 20


@task()
def refresh_adoption_figures() -> int:
    counted = 0
    while counted < BATCH:
        claimed = snapshots.claim_due(timezone.now())
        if claimed is None:
            return counted
        snapshot, claimed_due = claimed
        with organization_scope(snapshot.organization):
            snapshots.count(snapshot, claimed_due=claimed_due)
        counted += 1
    enqueue_once(refresh_adoption_figures)
    return counted
