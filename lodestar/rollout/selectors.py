"""Read queries of the rollout pages. Each takes a fixed number of queries whatever the size of
the organization: facts about people are read for everyone at once, grouped by person, and
the figures are then worked out in Python (adoption.py, journey.py). The adoption figures of
the whole organization are the worker's to count (rollout.snapshots); the dashboard reads them."""

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from lodestar.okrs.models import (
    CheckIn,
    KeyResult,
    KeyResultContributor,
    Objective,
    ObjectiveContributor,
    ObjectiveGroup,
    Timeframe,
)
from lodestar.okrs.selectors import visible_objectives, visible_private_ids
from lodestar.okrs.selectors.visibility import attach_visible_parents
from lodestar.orgs.models import Group, GroupMembership, Membership
from lodestar.rollout import adoption, deck, journey, permissions, plan
from lodestar.rollout.models import (
    Attendance,
    ChallengeRound,
    FeedbackPoint,
    Nudge,
    OnboardingSlide,
    Reviewer,
    RolloutGroup,
    RolloutGroupMember,
    RolloutStep,
    RoundObjective,
    TrainingSession,
)


def _start_of(day: datetime.date, time_zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zoneinfo.ZoneInfo(time_zone))


# --- the plan ----------------------------------------------------------------------------------


@dataclass
class PlannedStep:
    step: RolloutStep
    state: str


def plan_steps(viewer: Membership, today: datetime.date) -> list[PlannedStep]:
    steps = RolloutStep.objects.filter(organization_id=viewer.organization_id).select_related("owner__user")
    return [PlannedStep(step, plan.step_state(due_on=step.due_on, done_on=step.done_on, today=today)) for step in steps]


# --- facts about people ------------------------------------------------------------------------


def sight_of(viewer: Membership | None) -> frozenset[int] | None:
    """What the rollout's figures may count for a viewer: None for every objective (admins, and the
    worker telling each person about their own journey), else every public objective and these
    private ones (those the viewer may see). The figures depend on nothing else about the viewer."""
    if viewer is None or viewer.is_admin:
        return None
    return frozenset(visible_private_ids(viewer))


def _objectives(organization, sight: frozenset[int] | None):
    objectives = Objective.objects.filter(organization_id=organization.pk)
    if sight is None:
        return objectives
    return objectives.filter(Q(visibility=Objective.Visibility.PUBLIC) | Q(pk__in=sorted(sight)))


def _checked_in(organization, sight: frozenset[int] | None):
    """Check-ins that count: not on private objectives out of sight."""
    check_ins = CheckIn.objects.filter(organization_id=organization.pk, author__isnull=False)
    if sight is None:
        return check_ins
    private = Objective.Visibility.PRIVATE
    return check_ins.filter(~Q(key_result__objective__visibility=private) | Q(key_result__objective__in=sorted(sight)))


def _with_first_check_in(people, organization, sight):
    """``people`` (a Membership queryset) with ``has_checked_in``: one index probe per person,
    where grouping every check-in of a large organization by author would read millions of rows."""
    return people.annotate(has_checked_in=Exists(_checked_in(organization, sight).filter(author=OuterRef("pk"))))


def _recent_activity(organization, sight, today: datetime.date, checked_in_ever: set[int], people=None):
    """Per person: checked in ever (``checked_in_ever``), within 7 and 14 days, and in each of the
    last four weeks (only the last four weeks' check-ins are read)."""
    time_zone = organization.time_zone
    week_starts = [first for first, _last in journey.week_windows(today)]
    bounds = [_start_of(first, time_zone) for first in week_starts]
    since_14 = _start_of(today - datetime.timedelta(days=13), time_zone)
    windows = {
        f"week_{n}": Count(
            "pk", filter=Q(created_at__gte=bounds[n], **({"created_at__lt": bounds[n - 1]} if n else {}))
        )
        for n in range(journey.STEADY_WEEKS)
    }
    check_ins = _checked_in(organization, sight).filter(created_at__gte=bounds[-1])
    if people is not None:
        check_ins = check_ins.filter(author__in=people)
    activity = {person: adoption.Activity(checked_in_ever=True) for person in checked_in_ever}
    for row in check_ins.values("author_id").annotate(
        within_14=Count("pk", filter=Q(created_at__gte=since_14)), **windows
    ):
        activity[row["author_id"]] = adoption.Activity(
            checked_in_ever=True,
            checked_in_7=row["week_0"] > 0,
            checked_in_14=row["within_14"] > 0,
            weeks=tuple(row[f"week_{n}"] > 0 for n in range(journey.STEADY_WEEKS)),
        )
    return activity


def _journey_data(
    organization, sight, today: datetime.date, data: adoption.AdoptionData, checked_in_ever: set[int], people=None
) -> None:
    attended = Attendance.objects.filter(organization_id=organization.pk)
    led = (
        _objectives(organization, sight)
        .order_by()
        .values("lead_id")
        .annotate(aligned=Count("pk", filter=Q(parent__isnull=False)))
    )
    if people is not None:
        attended, led = attended.filter(membership__in=people), led.filter(lead__in=people)
    data.trained = set(attended.values_list("membership_id", flat=True))
    for row in led:
        data.led.add(row["lead_id"])
        if row["aligned"]:
            data.led_aligned.add(row["lead_id"])
    data.activity = _recent_activity(organization, sight, today, checked_in_ever, people)


def _timeframe_data(organization, sight, timeframe: Timeframe | None, data: adoption.AdoptionData) -> None:
    """Who holds goals in the timeframe, its drafts and its group objectives."""
    if timeframe is None:
        return
    org_id = organization.pk
    in_timeframe = _objectives(organization, sight).filter(timeframe=timeframe)
    # Subqueries, not lists of ids: a large organization has tens of thousands in a timeframe.
    ids = in_timeframe.values("pk")
    objectives = list(in_timeframe.values_list("pk", "level", "state", "lead_id", "parent__level"))
    in_open_round = set(
        RoundObjective.objects.filter(
            organization_id=org_id, round__state=ChallengeRound.State.OPEN, objective__timeframe=timeframe
        ).values_list("objective_id", flat=True)
    )
    owning = defaultdict(set)
    group_owned = ObjectiveGroup.objects.filter(
        organization_id=org_id, objective__timeframe=timeframe, objective__level=Objective.Level.GROUP
    )
    for objective_id, group_id in group_owned.values_list("objective_id", "group_id"):
        owning[objective_id].add(group_id)
    key_results = list(
        KeyResult.objects.filter(organization_id=org_id, objective__in=ids)
        .values_list("owner_id", "objective__state")
        .order_by()
        .distinct()
    )
    contributors = (
        ObjectiveContributor.objects.filter(organization_id=org_id, objective__in=ids)
        .values_list("membership_id", flat=True)
        .union(
            KeyResultContributor.objects.filter(organization_id=org_id, key_result__objective__in=ids).values_list(
                "membership_id", flat=True
            )
        )
    )
    data.holders = {row[3] for row in objectives} | {owner for owner, _ in key_results} | set(contributors)
    data.expected_to_check_in = {owner for owner, state in key_results if state == Objective.State.ACTIVE}
    for pk, level, state, lead, parent_level in objectives:
        if state == Objective.State.DRAFT:
            data.drafts.append((pk, lead, pk in in_open_round, owning[pk]))
        if level == Objective.Level.GROUP:
            data.group_objectives.append((pk, lead, owning[pk], parent_level == Objective.Level.COMPANY))


# --- the adoption figures (counted by the worker: rollout.snapshots) -----------------------------


@dataclass
class Segment:
    key: str  # "all", "rollout" (everyone in a rollout group), "rg-<id>" (one) or "g-<id>" (a department)
    figures: adoption.Figures


@dataclass
class AdoptionFigures:
    segments: list[Segment]
    by_name: list[int]  # everyone's membership id, in the order the people lists show them


def _departments(org_id: int) -> list[tuple[int, set[int]]]:
    """Top-level groups' ids with the groups nested in them."""
    groups = list(Group.objects.filter(organization_id=org_id).values_list("pk", "parent_id"))
    children = defaultdict(list)
    for pk, parent_id in groups:
        children[parent_id].append(pk)

    def subtree(root: int) -> set[int]:
        found, todo = set(), [root]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(children[current])
        return found

    return [(pk, subtree(pk)) for pk, parent_id in groups if parent_id is None]


def adoption_figures(
    organization, sight: frozenset[int] | None, timeframe: Timeframe | None, today: datetime.date
) -> AdoptionFigures:
    """Every figure of the adoption dashboard, with the people behind it, for the whole organization
    as ``sight`` (see sight_of) lets one count it. Reads every person: the worker's job, not a page's."""
    org_id = organization.pk
    data = adoption.AdoptionData()
    active = Membership.objects.filter(organization_id=org_id, is_active=True).order_by("user__full_name", "pk")
    by_name, checked_in_ever = [], set()
    for person, has_checked_in in _with_first_check_in(active, organization, sight).values_list("pk", "has_checked_in"):
        by_name.append(person)
        if has_checked_in:
            checked_in_ever.add(person)
    everyone = set(by_name)
    members = defaultdict(set)
    for group_id, person in RolloutGroupMember.objects.filter(organization_id=org_id).values_list(
        "rollout_group_id", "membership_id"
    ):
        members[group_id].add(person)
    data.invited = set().union(*members.values()) if members else set()
    _timeframe_data(organization, sight, timeframe, data)
    _journey_data(organization, sight, today, data, checked_in_ever)
    in_department = defaultdict(set)
    for group_id, person in GroupMembership.objects.filter(organization_id=org_id).values_list(
        "group_id", "membership_id"
    ):
        in_department[group_id].add(person)
    segments = [
        Segment("all", adoption.segment_figures(everyone, data)),
        Segment("rollout", adoption.segment_figures(data.invited & everyone, data)),
    ]
    for group_id in RolloutGroup.objects.filter(organization_id=org_id).values_list("pk", flat=True):
        segments.append(Segment(f"rg-{group_id}", adoption.segment_figures(members[group_id] & everyone, data)))
    for department_id, subtree in _departments(org_id):
        people = set().union(*(in_department[g] for g in subtree)) & everyone
        segments.append(Segment(f"g-{department_id}", adoption.segment_figures(people, data, groups=subtree)))
    return AdoptionFigures(segments, by_name)


# --- the adoption dashboard (read from a snapshot) -----------------------------------------------


@dataclass
class SegmentRow:
    key: str
    figures: adoption.Counts
    name: str = ""
    rollout_group: RolloutGroup | None = None
    department: Group | None = None
    target_reached: int = 0
    target_state: str = ""
    people_link: str = ""  # the people behind a figure: this plus the measure's name


@dataclass
class Dashboard:
    everyone: SegmentRow | None  # None while the first figures are being counted
    in_rollout: SegmentRow | None  # everyone in a rollout group: the journey's funnel
    rollout_groups: list[SegmentRow]
    departments: list[SegmentRow]
    steps: list[PlannedStep]
    rounds: list[ChallengeRound]

    @property
    def segments(self) -> list[SegmentRow]:
        return [row for row in (self.everyone, self.in_rollout) if row] + self.rollout_groups + self.departments


def _target_state(group: RolloutGroup, reached: int, people: int, today: datetime.date) -> str:
    if people and reached >= people:
        return plan.StepState.DONE
    if group.target_on is None:
        return plan.StepState.UPCOMING
    return plan.step_state(due_on=group.target_on, done_on=None, today=today)


def adoption_dashboard(viewer: Membership, figures: dict[str, adoption.Counts], today: datetime.date) -> Dashboard:
    """The dashboard from a snapshot's counts (``figures``, by segment key), with the rollout
    groups and departments as they are now: a segment counted before it existed shows no row yet."""
    org_id = viewer.organization_id
    rollout_groups = []
    for group in RolloutGroup.objects.filter(organization_id=org_id).select_related("coach__user"):
        counts = figures.get(f"rg-{group.pk}")
        if counts is not None:
            reached = counts.stages.get(group.target_stage, 0)
            rollout_groups.append(
                SegmentRow(
                    f"rg-{group.pk}",
                    counts,
                    group.name,
                    rollout_group=group,
                    target_reached=reached,
                    target_state=_target_state(group, reached, counts.people, today),
                )
            )
    departments = [
        SegmentRow(f"g-{department.pk}", figures[f"g-{department.pk}"], department.name, department=department)
        for department in Group.objects.filter(organization_id=org_id, parent__isnull=True).only("pk", "name", "slug")
        if f"g-{department.pk}" in figures
    ]
    rounds = list(
        ChallengeRound.objects.filter(organization_id=org_id, state=ChallengeRound.State.OPEN).annotate(
            objective_count=Count("round_objectives", distinct=True),
            reviewer_count=Count("reviewers", distinct=True),
            submitted_count=Count("reviewers", filter=Q(reviewers__submitted_at__isnull=False), distinct=True),
        )
    )
    return Dashboard(
        everyone=SegmentRow("all", figures["all"]) if "all" in figures else None,
        in_rollout=SegmentRow("rollout", figures["rollout"]) if "rollout" in figures else None,
        rollout_groups=rollout_groups,
        departments=departments,
        steps=plan_steps(viewer, today),
        rounds=rounds,
    )


def segment_name(viewer: Membership, segment: str) -> str | None:
    """The name of a segment of the viewer's organization ("" for everyone and the rollout), None
    when it does not exist."""
    if segment in ("all", "rollout"):
        return ""
    kind, _, raw_id = segment.partition("-")
    model = {"rg": RolloutGroup, "g": Group}.get(kind)
    if model is None or not raw_id.isdecimal() or len(raw_id) > 18:
        return None
    return (
        model.objects.filter(organization_id=viewer.organization_id, pk=int(raw_id))
        .values_list("name", flat=True)
        .first()
    )


# --- rollout groups ----------------------------------------------------------------------------


@dataclass
class MemberJourney:
    person: Membership
    facts: journey.Facts
    next_stage: str | None
    reached_target: bool
    attended: int
    nudged_at: datetime.datetime | None


@dataclass
class GroupPage:
    group: RolloutGroup
    journeys: list[MemberJourney]
    sessions: list[TrainingSession]
    nudges: list[Nudge]
    target_state: str
    stage_counts: dict[str, int]


def rollout_groups(viewer: Membership) -> list[tuple[RolloutGroup, int]]:
    return [
        (group, group.member_count)
        for group in RolloutGroup.objects.filter(organization_id=viewer.organization_id)
        .select_related("coach__user")
        .annotate(member_count=Count("group_members", filter=Q(group_members__membership__is_active=True)))
    ]


def journeys_of(
    organization, viewer: Membership | None, people: list[Membership], today: datetime.date
) -> dict[int, journey.Facts]:
    """The journey facts of a few people (a rollout group's members), as the viewer may see them."""
    ids = [person.pk for person in people]
    data = adoption.AdoptionData()
    data.invited = set(
        RolloutGroupMember.objects.filter(organization_id=organization.pk, membership__in=ids).values_list(
            "membership_id", flat=True
        )
    )
    people_queryset = Membership.objects.filter(organization_id=organization.pk, pk__in=ids)
    sight = sight_of(viewer)
    checked_in_ever = set(
        _with_first_check_in(people_queryset, organization, sight)
        .filter(has_checked_in=True)
        .values_list("pk", flat=True)
    )
    _journey_data(organization, sight, today, data, checked_in_ever, people=ids)
    return {pk: adoption.facts_of(pk, data) for pk in ids}


def group_page(viewer: Membership, group: RolloutGroup, today: datetime.date) -> GroupPage:
    org_id = viewer.organization_id
    people = [
        entry.membership
        for entry in RolloutGroupMember.objects.filter(
            organization_id=org_id, rollout_group=group, membership__is_active=True
        )
        .select_related("membership__user")
        .order_by("membership__user__full_name", "pk")
    ]
    facts = journeys_of(viewer.organization, viewer, people, today)
    sessions = list(
        TrainingSession.objects.filter(organization_id=org_id, rollout_group=group).prefetch_related("attendees__user")
    )
    attended = defaultdict(int)
    for session in sessions:
        for person in session.attendees.all():
            attended[person.pk] += 1
    nudges = list(Nudge.objects.filter(organization_id=org_id, rollout_group=group).select_related("membership__user"))
    last_nudge = {}
    for nudge in nudges:
        last_nudge.setdefault(nudge.membership_id, nudge.created_at)
    journeys = [
        MemberJourney(
            person=person,
            facts=facts[person.pk],
            next_stage=journey.next_stage(facts[person.pk]),
            reached_target=journey.has_reached(facts[person.pk], group.target_stage),
            attended=attended[person.pk],
            nudged_at=last_nudge.get(person.pk),
        )
        for person in people
    ]
    reached = {j.person.pk for j in journeys if j.reached_target}
    return GroupPage(
        group=group,
        journeys=journeys,
        sessions=sessions,
        nudges=nudges,
        target_state=_target_state(group, len(reached), len(people), today),
        stage_counts={
            stage: sum(1 for j in journeys if journey.has_reached(j.facts, stage)) for stage in journey.STAGES
        },
    )


# --- challenge rounds --------------------------------------------------------------------------


def visible_rounds(viewer: Membership):
    """Rounds the person may see: all for those who run the rollout; else closed ones and open
    ones they review or lead an objective in."""
    rounds = ChallengeRound.objects.filter(organization_id=viewer.organization_id)
    if not viewer.runs_rollout:
        reviewing = Reviewer.objects.filter(organization_id=viewer.organization_id, membership=viewer).values(
            "round_id"
        )
        leading = RoundObjective.objects.filter(organization_id=viewer.organization_id, objective__lead=viewer).values(
            "round_id"
        )
        rounds = rounds.filter(Q(state=ChallengeRound.State.CLOSED) | Q(pk__in=reviewing) | Q(pk__in=leading))
    return rounds.annotate(
        objective_count=Count("round_objectives", distinct=True),
        reviewer_count=Count("reviewers", distinct=True),
        submitted_count=Count("reviewers", filter=Q(reviewers__submitted_at__isnull=False), distinct=True),
    ).select_related("opened_by__user")


def round_entries(viewer: Membership, challenge: ChallengeRound) -> list[RoundObjective]:
    """The round's objectives the viewer may see, with their key results and leads, and each one's
    ``visible_parent``: the objective it aligns to, or None when that is private to the viewer."""
    entries = list(
        RoundObjective.objects.filter(organization_id=viewer.organization_id, round=challenge)
        .filter(objective__in=visible_objectives(viewer))
        .select_related("objective__lead__user", "objective__parent", "objective__timeframe")
        .prefetch_related("objective__key_results__owner__user")
    )
    attach_visible_parents(viewer, [entry.objective for entry in entries])
    return entries


def round_reviewers(viewer: Membership, challenge: ChallengeRound) -> list[Reviewer]:
    return list(
        Reviewer.objects.filter(organization_id=viewer.organization_id, round=challenge).select_related(
            "membership__user"
        )
    )


def readable_points(viewer: Membership, challenge: ChallengeRound) -> list[FeedbackPoint]:
    """Submitted feedback, and the viewer's own, with replies, oldest first; a reviewer who has not
    submitted yet reads only their own (see permissions.can_read_point)."""
    readable = Q(reviewer__membership=viewer)
    if not permissions.still_reviewing(viewer, challenge):
        readable |= Q(reviewer__submitted_at__isnull=False)
    return list(
        FeedbackPoint.objects.filter(organization_id=viewer.organization_id, round=challenge)
        .filter(readable)
        .filter(objective__in=visible_objectives(viewer))
        .select_related("reviewer__membership__user", "key_result", "resolved_by__user")
        .prefetch_related("replies__author__user")
    )


# --- the onboarding deck -----------------------------------------------------------------------


def has_own_deck(viewer: Membership) -> bool:
    return OnboardingSlide.objects.filter(organization_id=viewer.organization_id).exists()


def onboarding_slides(viewer: Membership) -> list:
    """The organization's own slides, else the built-in deck in the active language."""
    own = list(OnboardingSlide.objects.filter(organization_id=viewer.organization_id))
    return own or [deck.Slide(str(slide.title), str(slide.body)) for slide in deck.BUILT_IN_DECK]
