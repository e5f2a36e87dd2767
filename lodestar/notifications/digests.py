"""What the periodic e-mails say: the key results a person should check in on, and a group
lead's week. Each reads only what the recipient may see."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from lodestar.activity.models import Activity
from lodestar.okrs.models import KeyResult, Objective, ObjectiveGroup, ProgressSnapshot, Status, Timeframe
from lodestar.okrs.selectors import visible_objectives
from lodestar.orgs.models import Group, Membership

STALE_AFTER = datetime.timedelta(days=7)
RISKY = {Status.OFF_TRACK, Status.NEEDS_ATTENTION}


def _running(today: datetime.date) -> Q:
    """Active objectives of timeframes that are not closed and have begun."""
    return Q(objective__state=Objective.State.ACTIVE, objective__timeframe__starts_on__lte=today) & ~Q(
        objective__timeframe__state=Timeframe.State.CLOSED
    )


def stale(today: datetime.date) -> Q:
    return Q(last_check_in_on__isnull=True) | Q(last_check_in_on__lte=today - STALE_AFTER)


def key_results_due(person: Membership, today: datetime.date) -> list[KeyResult]:
    """Key results the person owns in running objectives, not updated for 7 days or more."""
    return list(
        KeyResult.objects.filter(organization_id=person.organization_id, owner=person)
        .filter(_running(today), stale(today))
        .exclude(status=Status.ACCOMPLISHED)
        .select_related("objective")
        .order_by("objective__title", "position", "pk")
    )


def owners_due(organization_id: int, today: datetime.date) -> set[int]:
    """Memberships owning at least one key result that needs a check-in (one query)."""
    return set(
        KeyResult.objects.filter(organization_id=organization_id)
        .filter(_running(today), stale(today))
        .exclude(status=Status.ACCOMPLISHED)
        .values_list("owner_id", flat=True)
        .distinct()
    )


@dataclass
class ObjectiveWeek:
    objective: Objective
    progress_before: float
    progress_now: float

    @property
    def change(self) -> float:
        return self.progress_now - self.progress_before


@dataclass
class GroupWeek:
    group: Group
    objectives: list[ObjectiveWeek] = field(default_factory=list)
    new_risks: list[Activity] = field(default_factory=list)
    missing_check_ins: list[KeyResult] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.objectives


def lead_week(lead: Membership, today: datetime.date) -> list[GroupWeek]:
    """For each group the person leads: its running objectives with the week's progress change,
    key results that turned at risk or off track this week, and key results without a check-in
    for a week."""
    week_ago = today - STALE_AFTER
    groups = list(
        Group.objects.filter(
            organization_id=lead.organization_id,
            group_memberships__membership=lead,
            group_memberships__is_lead=True,
        ).order_by("name")
    )
    if not groups:
        return []
    links = ObjectiveGroup.objects.filter(
        organization_id=lead.organization_id,
        group__in=groups,
        objective__in=visible_objectives(lead).values("pk"),
        objective__state=Objective.State.ACTIVE,
        objective__timeframe__starts_on__lte=today,
        objective__timeframe__ends_on__gte=week_ago,
    ).select_related("objective")
    objectives_of: dict[int, list[Objective]] = {}
    for link in links:
        objectives_of.setdefault(link.group_id, []).append(link.objective)
    objective_ids = {objective.pk for objectives in objectives_of.values() for objective in objectives}
    before = _progress_as_of(lead.organization_id, objective_ids, week_ago)
    risks = _new_risks(lead.organization_id, objective_ids, week_ago)
    missing = (
        KeyResult.objects.filter(organization_id=lead.organization_id, objective__in=objective_ids)
        .filter(stale(today))
        .exclude(status=Status.ACCOMPLISHED)
        .select_related("owner__user", "objective")
        .order_by("owner__user__full_name", "pk")
    )
    weeks = {group.pk: GroupWeek(group) for group in groups}
    for group_id, objectives in objectives_of.items():
        weeks[group_id].objectives = [
            ObjectiveWeek(objective, before.get(objective.pk, 0.0), objective.progress)
            for objective in sorted(objectives, key=lambda o: o.title)
        ]
        ids = {objective.pk for objective in objectives}
        weeks[group_id].new_risks = [activity for activity in risks if activity.objective_id in ids]
        weeks[group_id].missing_check_ins = [kr for kr in missing if kr.objective_id in ids]
    return [week for week in weeks.values() if not week.is_empty]


def _progress_as_of(organization_id: int, objective_ids, on: datetime.date) -> dict[int, float]:
    snapshots = ProgressSnapshot.objects.filter(
        organization_id=organization_id, objective__in=objective_ids, on__lte=on
    ).order_by("objective_id", "on")
    return {snapshot.objective_id: snapshot.progress for snapshot in snapshots}


def _new_risks(organization_id: int, objective_ids, since: datetime.date) -> list[Activity]:
    check_ins = Activity.objects.filter(
        organization_id=organization_id,
        kind=Activity.Kind.CHECK_IN,
        objective__in=objective_ids,
        created_at__date__gt=since,
    ).select_related("actor__user", "key_result")
    newest = {}
    for activity in check_ins.order_by("pk"):
        if activity.status_changed and activity.data["status_to"] in RISKY:
            newest[activity.key_result_id] = activity
    return [a for a in newest.values() if a.key_result and a.key_result.status in RISKY]
