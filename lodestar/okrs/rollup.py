"""Keeping cached progress and status current.

Two ways, one set of rules (progress.py):
- ``refresh_after_check_in``: after one change, recompute the key result and walk up the
  alignment chain, locking each row leaf to root so concurrent check-ins never lose an
  update (see pitfalls.md). Runs inside the caller's transaction.
- ``recompute_organization``: recompute every key result and objective from scratch,
  bottom-up in one pass. Used after bulk loads and to verify the caches.

An objective whose progress comes from its aligned objectives counts only those that are active or
closed and public (``progress.drives_parent``): drafts count nowhere, and a private objective never
drives the progress or status of its parent, so nothing about it shows through the parent.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from lodestar.core.errors import NotFound
from lodestar.core.events import publish
from lodestar.okrs import events
from lodestar.okrs import progress as math
from lodestar.okrs.models import CheckIn, KeyResult, Objective, ProgressSnapshot
from lodestar.orgs.models import Organization

LATEST_FIRST = ("-effective_on", "-created_at", "-id")
_READING_FIELDS = ("value", "percent", "done", "status", "effective_on")


@dataclass(frozen=True)
class Reading:
    """The part of a key result's latest check-in that progress depends on."""

    value: object = None
    percent: object = None
    done: bool | None = None
    status: str | None = None
    effective_on: object = None


def key_result_state(key_result: KeyResult, latest: Reading | None) -> tuple[float, str, object]:
    """(progress, status, current value) of a key result given its latest reading."""
    latest = latest or Reading()
    progress = math.key_result_progress(
        kind=key_result.kind,
        start=key_result.start_value,
        target=key_result.target_value,
        threshold_direction=key_result.threshold_direction,
        value=latest.value,
        percent=latest.percent,
        done=latest.done,
    )
    status = math.key_result_status(progress=progress, reported_status=latest.status)
    current_value = latest.value
    if current_value is None and key_result.kind == KeyResult.Kind.METRIC:
        current_value = key_result.start_value
    return progress, status, current_value


def objective_state(objective: Objective, key_results, children) -> tuple[float, str]:
    """(progress, status) of an objective from its drivers' cached (progress, status, weight).

    ``key_results`` and ``children`` are iterables of (progress, status, weight); only
    the drivers the objective chose are counted. A child counts like a key result of weight 1;
    ``children`` holds only those that drive a parent (``progress.drives_parent``: neither drafts
    nor private objectives).
    """
    drivers = []
    if objective.progress_driver in (Objective.ProgressDriver.KEY_RESULTS, Objective.ProgressDriver.BOTH):
        drivers.extend(key_results)
    if objective.progress_driver in (Objective.ProgressDriver.CHILDREN, Objective.ProgressDriver.BOTH):
        drivers.extend(children)
    progress = math.weighted_progress((p, w) for p, _, w in drivers)
    status = math.objective_status(s for _, s, _ in drivers)
    return progress, status


def _latest_reading(key_result: KeyResult) -> Reading | None:
    row = (
        CheckIn.objects.filter(organization_id=key_result.organization_id, key_result=key_result)
        .order_by(*LATEST_FIRST)
        .values(*_READING_FIELDS)
        .first()
    )
    return Reading(**row) if row else None


def refresh_key_result(key_result: KeyResult) -> bool:
    """Recompute one (locked) key result from its latest check-in; True when something changed."""
    latest = _latest_reading(key_result)
    progress, status, current_value = key_result_state(key_result, latest)
    last_on = latest.effective_on if latest else None
    changed = (key_result.progress, key_result.status, key_result.current_value, key_result.last_check_in_on) != (
        progress,
        status,
        current_value,
        last_on,
    )
    if changed:
        key_result.progress, key_result.status = progress, status
        key_result.current_value, key_result.last_check_in_on = current_value, last_on
        KeyResult.objects.filter(pk=key_result.pk).update(
            progress=progress, status=status, current_value=current_value, last_check_in_on=last_on
        )
    return changed


def _drivers_of(objective: Objective):
    key_results = KeyResult.objects.filter(organization_id=objective.organization_id, objective=objective).values_list(
        "progress", "status", "weight"
    )
    children = Objective.objects.filter(organization_id=objective.organization_id, parent=objective).values_list(
        "progress", "status", "state", "visibility"
    )
    return list(key_results), [
        (p, s, 1) for p, s, state, visibility in children if math.drives_parent(state=state, visibility=visibility)
    ]


def refresh_objective_chain(organization_id: int, objective_id: int | None) -> None:
    """Recompute an objective and its ancestors, locking each before reading its drivers.

    Walks leaf to root (the order every writer uses, so there is no deadlock) and stops
    early once an objective's cached values did not change.
    """
    seen = set()
    changed = {}
    status_before = {}
    while objective_id is not None and objective_id not in seen:
        seen.add(objective_id)
        objective = (
            Objective.objects.select_for_update()
            .filter(organization_id=organization_id, pk=objective_id)
            .only("id", "organization_id", "parent_id", "progress", "status", "progress_driver", "state")
            .first()
        )
        if objective is None:
            break  # deleted meanwhile: what changed below it still counts
        key_results, children = _drivers_of(objective)
        progress, status = objective_state(objective, key_results, children)
        if (progress, status) == (objective.progress, objective.status):
            break
        Objective.objects.filter(pk=objective.pk).update(progress=progress, status=status)
        changed[objective.pk] = (progress, status)
        if status != objective.status and objective.state != Objective.State.DRAFT:
            status_before[objective.pk] = objective.status
        objective_id = objective.parent_id
    record_snapshots(organization_id, changed)
    if status_before:
        publish(events.ObjectiveStatusesChanged(organization_id=organization_id, status_before=status_before))


def record_snapshots(organization_id: int, states: dict[int, tuple[float, str]], on: datetime.date | None = None):
    """Store objectives' (progress, status) as today's snapshot (or ``on``'s), replacing the day's earlier one."""
    if not states:
        return
    on = on or Organization.objects.only("time_zone").get(pk=organization_id).today()
    ProgressSnapshot.objects.bulk_create(
        [
            ProgressSnapshot(organization_id=organization_id, objective_id=pk, on=on, progress=p, status=s)
            for pk, (p, s) in states.items()
        ],
        update_conflicts=True,
        unique_fields=["organization", "objective", "on"],
        update_fields=["progress", "status"],
        batch_size=2000,
    )


def lock_key_result(organization_id: int, key_result_id: int) -> KeyResult:
    """Lock a key result row (not the joined rows) and load what permission checks read.

    A key result deleted meanwhile is simply not found (404), also when a retried
    transaction comes back to it.
    """
    key_result = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__timeframe", "objective__lead")
        .filter(organization_id=organization_id, pk=key_result_id)
        .first()
    )
    if key_result is None:
        raise NotFound
    return key_result


def refresh_after_check_in(key_result: KeyResult) -> None:
    """Recompute a key result (already locked by the caller) and roll the change up."""
    refresh_key_result(key_result)
    refresh_objective_chain(key_result.organization_id, key_result.objective_id)


# --- Recomputing a whole organization from scratch -------------------------------------------


def latest_readings(organization_id: int, as_of: datetime.date | None = None) -> dict[int, Reading]:
    """The latest reading of every key result in the organization that has check-ins (effective by ``as_of``)."""
    latest = CheckIn.objects.filter(organization_id=organization_id, key_result=OuterRef("pk")).order_by(*LATEST_FIRST)
    if as_of is not None:
        latest = latest.filter(effective_on__lte=as_of)
    rows = (
        KeyResult.objects.filter(organization_id=organization_id)
        .annotate(**{f"latest_{field}": Subquery(latest.values(field)[:1]) for field in _READING_FIELDS})
        .values_list("id", *(f"latest_{field}" for field in _READING_FIELDS))
    )
    return {row[0]: Reading(*row[1:]) for row in rows if row[-1] is not None}


def compute_organization(objectives, key_results, readings: dict[int, Reading]):
    """Pure roll-up of a whole organization, bottom-up; drafts and private objectives drive no parent.

    Returns ({key_result_id: (progress, status, current_value)}, {objective_id: (progress, status)}).
    Raises ValueError on an alignment cycle (services never store one).
    """
    kr_states = {kr.id: key_result_state(kr, readings.get(kr.id)) for kr in key_results}
    krs_by_objective = defaultdict(list)
    for kr in key_results:
        progress, status, _ = kr_states[kr.id]
        krs_by_objective[kr.objective_id].append((progress, status, kr.weight))

    by_id = {objective.id: objective for objective in objectives}
    children_of = defaultdict(list)
    for objective in objectives:
        if objective.parent_id in by_id:
            children_of[objective.parent_id].append(objective.id)

    objective_states: dict[int, tuple[float, str]] = {}
    for root in _post_order(by_id, children_of):
        objective = by_id[root]
        children = [
            (*objective_states[child], 1)
            for child in children_of[root]
            if math.drives_parent(state=by_id[child].state, visibility=by_id[child].visibility)
        ]
        objective_states[root] = objective_state(objective, krs_by_objective[root], children)
    return kr_states, objective_states


def _post_order(by_id, children_of):
    """Objective ids, every child before its parent; raises ValueError on a cycle."""
    order, done, in_progress = [], set(), set()
    for start in by_id:
        if start in done:
            continue
        stack = [(start, iter(children_of[start]))]
        in_progress.add(start)
        while stack:
            node, remaining = stack[-1]
            child = next(remaining, None)
            if child is None:
                stack.pop()
                in_progress.discard(node)
                done.add(node)
                order.append(node)
            elif child in in_progress:
                raise ValueError(f"alignment cycle through objective {child}")
            elif child not in done:
                in_progress.add(child)
                stack.append((child, iter(children_of[child])))
    return order


def recompute_organization(organization_id: int, *, write: bool = True) -> dict[str, int]:
    """Recompute every cached progress/status of an organization from its check-ins.

    With ``write=False`` nothing is saved. Returns how many key results and objectives
    differed from their cached values.
    """
    objectives = list(
        Objective.objects.filter(organization_id=organization_id).only(
            "id", "parent_id", "state", "visibility", "progress_driver", "progress", "status"
        )
    )
    key_results = list(
        KeyResult.objects.filter(organization_id=organization_id).only(
            "id",
            "objective_id",
            "kind",
            "start_value",
            "target_value",
            "threshold_direction",
            "weight",
            "progress",
            "status",
            "current_value",
            "last_check_in_on",
        )
    )
    readings = latest_readings(organization_id)
    kr_states, objective_states = compute_organization(objectives, key_results, readings)

    stale_krs = []
    for kr in key_results:
        progress, status, current_value = kr_states[kr.id]
        reading = readings.get(kr.id)
        last_on = reading.effective_on if reading else None
        if (kr.progress, kr.status, kr.current_value, kr.last_check_in_on) != (
            progress,
            status,
            current_value,
            last_on,
        ):
            kr.progress, kr.status, kr.current_value, kr.last_check_in_on = progress, status, current_value, last_on
            stale_krs.append(kr)
    stale_objectives = []
    for objective in objectives:
        progress, status = objective_states[objective.id]
        if (objective.progress, objective.status) != (progress, status):
            objective.progress, objective.status = progress, status
            stale_objectives.append(objective)
    if write:
        KeyResult.objects.bulk_update(
            stale_krs, ["progress", "status", "current_value", "last_check_in_on"], batch_size=2000
        )
        Objective.objects.bulk_update(stale_objectives, ["progress", "status"], batch_size=2000)
        record_snapshots(organization_id, {o.id: (o.progress, o.status) for o in stale_objectives})
    return {"key_results": len(stale_krs), "objectives": len(stale_objectives)}


def backfill_snapshots(organization_id: int, *, until: datetime.date, every_days: int = 7) -> None:
    """Rebuild the progress history from the check-ins' effective dates (for imported and demo data):
    a snapshot of every objective each ``every_days`` from its timeframe's start up to ``until``."""
    objectives = list(
        Objective.objects.filter(organization_id=organization_id)
        .select_related("timeframe")
        .only("id", "parent_id", "state", "visibility", "progress_driver", "timeframe__starts_on", "timeframe__ends_on")
    )
    key_results = list(
        KeyResult.objects.filter(organization_id=organization_id).only(
            "id", "objective_id", "kind", "start_value", "target_value", "threshold_direction", "weight"
        )
    )
    if not objectives:
        return
    day = min(objective.timeframe.starts_on for objective in objectives)
    while day <= until:
        _, states = compute_organization(objectives, key_results, latest_readings(organization_id, day))
        running = {o.id for o in objectives if o.timeframe.starts_on <= day <= o.timeframe.ends_on}
        record_snapshots(organization_id, {pk: state for pk, state in states.items() if pk in running}, on=day)
        day += datetime.timedelta(days=every_days)
