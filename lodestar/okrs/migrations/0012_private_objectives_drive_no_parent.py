"""Recompute objectives' cached progress and status under the rule that a private objective never
drives its parent (progress.drives_parent): until now a parent whose progress comes from its aligned
objectives counted its private children, so its progress and status told everyone how they did.

Key results keep their cached values (the rule does not touch them); objectives are recomputed
bottom-up from those, and a changed objective gets today's progress snapshot. Earlier snapshots stay
as they were (``lodestar backfill``-style rebuilding of history is left to the operator)."""

import datetime
import zoneinfo
from collections import defaultdict

from django.db import migrations
from django.utils import timezone

from lodestar.okrs import progress as math


def _states(objectives, key_results):
    krs_of = defaultdict(list)
    for kr in key_results:
        krs_of[kr.objective_id].append((kr.progress, kr.status, kr.weight))
    by_id = {objective.id: objective for objective in objectives}
    children_of = defaultdict(list)
    for objective in objectives:
        if objective.parent_id in by_id:
            children_of[objective.parent_id].append(objective.id)
    states, on_path = {}, set()

    def state_of(root):
        # Iterative post-order: every child before its parent (services never store a cycle;
        # one found here is left as it is).
        stack = [(root, False)]
        while stack:
            pk, expanded = stack.pop()
            if pk in states:
                continue
            if not expanded:
                if pk in on_path:
                    states[pk] = (by_id[pk].progress, by_id[pk].status)
                    continue
                on_path.add(pk)
                stack.append((pk, True))
                stack.extend((child, False) for child in children_of[pk] if child not in states)
                continue
            on_path.discard(pk)
            objective = by_id[pk]
            drivers = []
            if objective.progress_driver in ("key_results", "both"):
                drivers.extend(krs_of[pk])
            if objective.progress_driver in ("children", "both"):
                drivers.extend(
                    (*states[child], 1)
                    for child in children_of[pk]
                    if child in states
                    and math.drives_parent(state=by_id[child].state, visibility=by_id[child].visibility)
                )
            states[pk] = (
                math.weighted_progress((p, w) for p, _s, w in drivers),
                math.objective_status(s for _p, s, _w in drivers),
            )

    for objective in objectives:
        state_of(objective.id)
    return states


def recompute(apps, schema_editor):
    Organization = apps.get_model("orgs", "Organization")
    Objective = apps.get_model("okrs", "Objective")
    KeyResult = apps.get_model("okrs", "KeyResult")
    ProgressSnapshot = apps.get_model("okrs", "ProgressSnapshot")
    parents = Objective.objects.filter(progress_driver__in=("children", "both"))
    for organization in Organization.objects.filter(pk__in=parents.values("organization_id")).only("pk", "time_zone"):
        objectives = list(
            Objective.objects.filter(organization_id=organization.pk).only(
                "id", "parent_id", "state", "visibility", "progress_driver", "progress", "status"
            )
        )
        key_results = list(
            KeyResult.objects.filter(organization_id=organization.pk).only(
                "id", "objective_id", "progress", "status", "weight"
            )
        )
        states = _states(objectives, key_results)
        stale = []
        for objective in objectives:
            if (objective.progress, objective.status) != states[objective.id]:
                objective.progress, objective.status = states[objective.id]
                stale.append(objective)
        if not stale:
            continue
        Objective.objects.bulk_update(stale, ["progress", "status"], batch_size=2000)
        try:
            today = timezone.now().astimezone(zoneinfo.ZoneInfo(organization.time_zone)).date()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            today = datetime.date.today()
        ProgressSnapshot.objects.bulk_create(
            [
                ProgressSnapshot(
                    organization_id=organization.pk, objective_id=o.pk, on=today, progress=o.progress, status=o.status
                )
                for o in stale
            ],
            update_conflicts=True,
            unique_fields=["organization", "objective", "on"],
            update_fields=["progress", "status"],
            batch_size=2000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("okrs", "0011_constraints_start_with_organization_everywhere"),
        ("orgs", "0001_initial"),
    ]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
