"""Generates a large synthetic organization for benchmarks and scale tests.

``manage.py generate_org --people 10000 --quarters 8 --seed 1`` builds about 10,000
people, 1,000 nested groups, 60,000 objectives, 200,000 key results and 2,000,000
check-ins in one transaction, deterministically for a seed. Rows are streamed to the
database (PostgreSQL COPY) rather than built as model instances; ids are allocated up
front so rows can reference each other, and the database's deferred foreign keys are
checked at commit. Cached progress and status are computed bottom-up in one pass by
the same pure roll-up the services use (rollup.compute_organization).
"""

import datetime
import json
import math as _math
import random
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from lodestar.accounts.models import User
from lodestar.activity.models import Activity
from lodestar.conversations.models import Comment, Reaction
from lodestar.core.scoping import organization_scope
from lodestar.demo.builder import quarter_bounds, quarter_name
from lodestar.demo.bulk import IdAllocator, indexes_deferred, write_rows
from lodestar.kpis.health import health_since
from lodestar.kpis.models import KPI, KPIGroup, KPIValue
from lodestar.notifications.models import Notification
from lodestar.okrs.models import (
    CheckIn,
    Initiative,
    InitiativeKeyResult,
    KeyResult,
    KeyResultContributor,
    Objective,
    ObjectiveGroup,
    Timeframe,
)
from lodestar.okrs.rollup import Reading, compute_organization
from lodestar.orgs.models import Group, GroupMembership, Membership, Organization, Role
from lodestar.pages.checklist import record_settings_saved
from lodestar.rollout import challenge, journey, plan
from lodestar.rollout import selectors as rollout_selectors
from lodestar.rollout.models import (
    Attendance,
    ChallengeRound,
    Criterion,
    FeedbackPoint,
    FeedbackReply,
    Nudge,
    Reviewer,
    Rollout,
    RolloutGroup,
    RolloutGroupMember,
    RolloutStep,
    RoundObjective,
    Stage,
    TrainingSession,
)
from lodestar.strategy.models import Pillar, Strategy
from lodestar.webhooks.models import Delivery, Webhook

PASSWORD = "lodestar-bench"
GROUP_WORDS = [
    "Platform",
    "Payments",
    "Mobile",
    "Data",
    "Sales",
    "Support",
    "Design",
    "Security",
    "Cloud",
    "Devices",
    "Logistics",
    "Finance",
    "People",
    "Research",
    "Quality",
    "Growth",
    "Partners",
    "Operations",
]
OUTCOMES = [
    "Customers trust",
    "Teams ship",
    "We grow",
    "Partners adopt",
    "Users love",
    "Costs fall for",
    "Quality rises in",
    "Fleet managers rely on",
]
THINGS = [
    "our platform",
    "the new portal",
    "device updates",
    "data services",
    "onboarding",
    "the API",
    "support",
    "the mobile app",
    "our releases",
    "field service",
]
METRICS = [
    ("Weekly active users", "users"),
    ("Revenue", "k€"),
    ("Tickets closed within a day", "%"),
    ("Lead time", "days"),
    ("Churned accounts", ""),
    ("Net promoter score", "points"),
    ("Cost per device", "€"),
    ("Deploys per week", ""),
]
COMMENTS = [
    "Steady week.",
    "Blocked by a dependency.",
    "Better than expected.",
    "Holiday week.",
    "Customer call changed our plan.",
    "Paired with another team on it.",
]
KINDS = [
    (KeyResult.Kind.METRIC, 0.55),
    (KeyResult.Kind.THRESHOLD, 0.10),
    (KeyResult.Kind.MILESTONE, 0.20),
    (KeyResult.Kind.ESTIMATE, 0.15),
]


@dataclass(slots=True)
class GroupSpec:
    id: int
    parent_id: int | None
    depth: int
    lead_id: int = 0
    member_ids: list[int] = field(default_factory=list)
    objective_ids: dict[int, list[int]] = field(default_factory=dict)  # timeframe id → objectives


@dataclass(slots=True)
class ObjectiveSpec:
    id: int
    timeframe_id: int
    level: str
    title: str
    lead_id: int
    parent_id: int | None
    state: str
    visibility: str
    progress_driver: str
    group_ids: tuple[int, ...] = ()


@dataclass(slots=True)
class KeyResultSpec:
    id: int
    objective_id: int
    kind: str
    title: str
    owner_id: int
    start_value: Decimal | None
    target_value: Decimal | None
    threshold_direction: str
    unit: str
    weight: Decimal = Decimal(1)


@dataclass(slots=True)
class TimeframeSpec:
    id: int
    name: str
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    state: str


class OrganizationGenerator:
    def __init__(self, *, people: int, quarters: int, seed: int, slug: str, today: datetime.date | None = None):
        self.people, self.quarters, self.slug, self.seed = people, quarters, slug, seed
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.ids = IdAllocator()
        self.now = timezone.now()
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def _phase(self, name, func, *args):
        started = time.perf_counter()
        result = func(*args)
        self.timings[name] = time.perf_counter() - started
        return result

    @transaction.atomic
    def run(self) -> Organization:
        self.org = Organization.objects.create(name=f"Generated {self.slug}", slug=self.slug)
        with organization_scope(self.org):
            record_settings_saved(self.org)  # set up long ago: no getting-started checklist
            self._phase("people", self._people)
            self._phase("groups", self._groups)
            self._phase("timeframes", self._timeframes)
            self._phase("objectives", self._objectives)
            self._phase("key results", self._key_results)
            expected_check_ins = self.people * self.quarters * 25
            with indexes_deferred(CheckIn, expected_rows=expected_check_ins):  # rebuilt after the key results exist
                readings = self._phase("check-ins", self._check_ins)
                self._phase("roll-up and write goals", self._write_goals, readings)
                rebuild_started = time.perf_counter()
            self.timings["check-in indexes"] = time.perf_counter() - rebuild_started
            self._phase("KPIs", self._kpis)
            self._phase("initiatives", self._initiatives)
            self._phase("conversations", self._conversations)
            self._phase("integrations", self._integrations)
            self._phase("rollout", self._rollout)
            self.ids.finish()
        return self.org

    # --- people and groups ---------------------------------------------------------------------------

    def _people(self) -> None:
        password = make_password(PASSWORD)
        first_user = self.ids.take(User, self.people)
        first_membership = self.ids.take(Membership, self.people)
        self.membership_ids = list(range(first_membership, first_membership + self.people))
        domain = f"{self.slug}.example"
        users = (
            (first_user + i, password, False, False, True, self.now, f"person{i}@{domain}", f"Person {i:05d}", "", "")
            for i in range(self.people)
        )
        self.counts["users"] = write_rows(
            User,
            (
                "id",
                "password",
                "is_superuser",
                "is_staff",
                "is_active",
                "date_joined",
                "email",
                "full_name",
                "language",
                "time_zone",
            ),
            users,
        )
        # Confirmed addresses, as after an accepted invitation: sign-in asks unconfirmed ones to confirm.
        first_address = self.ids.take(EmailAddress, self.people)
        addresses = ((first_address + i, first_user + i, f"person{i}@{domain}", True, True) for i in range(self.people))
        write_rows(EmailAddress, ("id", "user_id", "email", "verified", "primary"), addresses)
        self.roles = {}
        for index, membership_id in enumerate(self.membership_ids):
            if index == 0:
                role = Role.OWNER
            elif index <= max(1, self.people // 500):
                role = Role.ADMIN
            elif self.rng.random() < 0.02:
                role = Role.VIEWER
            else:
                role = Role.MEMBER
            self.roles[membership_id] = role
        self.first_user = first_user

    def _groups(self) -> None:
        """About one group per ten people, nested up to five levels deep."""
        target = max(3, self.people // 10)
        top = max(2, round(target**0.25))
        groups: list[GroupSpec] = []
        frontier = []
        for _ in range(min(top, target)):
            groups.append(GroupSpec(self.ids.take(Group), None, 1))
            frontier.append(groups[-1])
        while len(groups) < target and frontier:
            parent = frontier.pop(0)
            for _ in range(self.rng.randint(3, 6)):
                if len(groups) >= target or parent.depth >= 5:
                    break
                groups.append(GroupSpec(self.ids.take(Group), parent.id, parent.depth + 1))
                frontier.append(groups[-1])
        self.groups = groups
        self.group_by_id = {g.id: g for g in groups}
        writers = [m for m in self.membership_ids if self.roles[m] != Role.VIEWER]
        self.rng.shuffle(writers)
        # Every group gets a lead; everybody else joins one group (leads of parents lead only).
        for group, lead in zip(groups, writers, strict=False):
            group.lead_id = lead
            group.member_ids.append(lead)
        remaining = [m for m in self.membership_ids if m not in {g.lead_id for g in groups}]
        for index, membership_id in enumerate(remaining):
            groups[index % len(groups)].member_ids.append(membership_id)
        self.group_of = {m: g for g in groups for m in g.member_ids}

        managers = {}
        for group in groups:
            parent = self.group_by_id.get(group.parent_id)
            for member in group.member_ids:
                manager = group.lead_id if member != group.lead_id else (parent.lead_id if parent else None)
                managers[member] = manager
        membership_rows = (
            (m, self.org.pk, self.first_user + i, self.roles[m], "", managers.get(m), True, i == 1, self.now)
            for i, m in enumerate(self.membership_ids)
        )
        self.counts["memberships"] = write_rows(
            Membership,
            (
                "id",
                "organization_id",
                "user_id",
                "role",
                "job_title",
                "manager_id",
                "is_active",
                "is_okr_ambassador",
                "joined_at",
            ),
            membership_rows,
        )
        group_rows = ((g.id, self.org.pk, self._group_name(g), f"g{g.id}", "", g.parent_id, self.now) for g in groups)
        self.counts["groups"] = write_rows(
            Group, ("id", "organization_id", "name", "slug", "description", "parent_id", "created_at"), group_rows
        )
        link_rows = []
        for group in groups:
            first = self.ids.take(GroupMembership, len(group.member_ids))
            link_rows += [
                (first + i, self.org.pk, group.id, m, m == group.lead_id) for i, m in enumerate(group.member_ids)
            ]
        self.counts["group memberships"] = write_rows(
            GroupMembership, ("id", "organization_id", "group_id", "membership_id", "is_lead"), link_rows
        )

    def _group_name(self, group: GroupSpec) -> str:
        return f"{GROUP_WORDS[group.id % len(GROUP_WORDS)]} {group.id}"

    # --- timeframes and objectives ----------------------------------------------------------------------

    def _timeframes(self) -> None:
        self.timeframes: list[TimeframeSpec] = []
        for offset in range(-(self.quarters - 1), 1):
            start, end = quarter_bounds(self.today, offset)
            state = Timeframe.State.ACTIVE if offset == 0 else Timeframe.State.CLOSED
            self.timeframes.append(
                TimeframeSpec(self.ids.take(Timeframe), quarter_name(start), "quarter", start, end, state)
            )
        years = sorted({tf.starts_on.year for tf in self.timeframes})
        self.years = {}
        for year in years:
            state = Timeframe.State.ACTIVE if year == self.today.year else Timeframe.State.CLOSED
            spec = TimeframeSpec(
                self.ids.take(Timeframe),
                str(year),
                "year",
                datetime.date(year, 1, 1),
                datetime.date(year, 12, 31),
                state,
            )
            self.years[year] = spec
        rows = (
            (tf.id, self.org.pk, tf.name, tf.kind, tf.starts_on, tf.ends_on, tf.state, False, self.now)
            for tf in [*self.timeframes, *self.years.values()]
        )
        columns = ("id", "organization_id", "name", "kind", "starts_on", "ends_on", "state", "is_current", "created_at")
        write_rows(Timeframe, columns, rows)
        Strategy.objects.create(organization=self.org, vision="Generated vision", mission="Generated mission")
        Pillar.objects.bulk_create(
            Pillar(organization=self.org, year=year, name=f"Pillar {i + 1}", position=i)
            for year in years
            for i in range(3)
        )

    def _objectives(self) -> None:
        self.objectives: list[ObjectiveSpec] = []
        rng = self.rng
        year_objectives = {}
        for year, spec in self.years.items():
            year_objectives[year] = [
                self._objective(
                    spec,
                    "company",
                    f"Year goal {i + 1} of {year}",
                    self.membership_ids[0],
                    None,
                    driver=Objective.ProgressDriver.CHILDREN,
                )
                for i in range(3)
            ]
        people_with_personal = [m for m in self.membership_ids if self.roles[m] != Role.VIEWER]
        for tf in self.timeframes:
            current = tf.state == Timeframe.State.ACTIVE
            company = [
                self._objective(
                    tf,
                    "company",
                    self._title(),
                    self.membership_ids[min(i, len(self.membership_ids) - 1)],
                    rng.choice(year_objectives[tf.starts_on.year]).id,
                )
                for i in range(5)
            ]
            # Groups top-down, so a parent group's objectives exist before its children align to them.
            for group in self.groups:
                parent_group = self.group_by_id.get(group.parent_id)
                candidates = parent_group.objective_ids.get(tf.id) if parent_group else None
                owned = []
                for _ in range(2):
                    parent = rng.choice(candidates).id if candidates else rng.choice(company).id
                    shared = rng.random() < 0.05 and parent_group is not None
                    group_ids = (group.id, parent_group.id) if shared else (group.id,)
                    state = Objective.State.DRAFT if current and rng.random() < 0.03 else self._state(tf)
                    owned.append(
                        self._objective(
                            tf,
                            "group",
                            self._title(),
                            group.lead_id,
                            parent,
                            group_ids=group_ids,
                            state=state,
                            private=rng.random() < 0.01,
                        )
                    )
                group.objective_ids[tf.id] = owned
            for membership_id in people_with_personal:
                if rng.random() < 0.55:
                    group_objectives = self.group_of[membership_id].objective_ids[tf.id]
                    self._objective(tf, "personal", self._title(), membership_id, rng.choice(group_objectives).id)
        self.objective_by_id = {o.id: o for o in self.objectives}

    def _state(self, tf: TimeframeSpec) -> str:
        return Objective.State.ACTIVE if tf.state == Timeframe.State.ACTIVE else Objective.State.CLOSED

    def _title(self) -> str:
        return f"{self.rng.choice(OUTCOMES)} {self.rng.choice(THINGS)}"

    def _objective(
        self,
        tf,
        level,
        title,
        lead_id,
        parent_id,
        *,
        group_ids=(),
        state=None,
        private=False,
        driver=Objective.ProgressDriver.KEY_RESULTS,
    ) -> ObjectiveSpec:
        spec = ObjectiveSpec(
            id=self.ids.take(Objective),
            timeframe_id=tf.id,
            level=level,
            title=title,
            lead_id=lead_id,
            parent_id=parent_id,
            state=state or self._state(tf),
            visibility=Objective.Visibility.PRIVATE if private else Objective.Visibility.PUBLIC,
            progress_driver=driver,
            group_ids=group_ids,
        )
        self.objectives.append(spec)
        return spec

    # --- key results and check-ins ---------------------------------------------------------------------

    def _key_results(self) -> None:
        rng = self.rng
        kinds, weights = zip(*KINDS, strict=True)
        self.key_results: list[KeyResultSpec] = []
        for objective in self.objectives:
            if objective.progress_driver == Objective.ProgressDriver.CHILDREN:
                continue
            count = 2 + (rng.random() < 0.85) if objective.level == "personal" else 3 + (rng.random() < 0.75)
            if objective.level == "group":
                pool = self.group_by_id[objective.group_ids[0]].member_ids
                pool = [m for m in pool if self.roles[m] != Role.VIEWER] or [objective.lead_id]
            else:
                pool = [objective.lead_id]
            for _ in range(count):
                kind = rng.choices(kinds, weights)[0]
                title, unit = rng.choice(METRICS)
                start = target = None
                direction = ""
                if kind == KeyResult.Kind.METRIC:
                    start = Decimal(rng.randint(0, 500))
                    target = start + Decimal(rng.choice([-1, 1, 1, 1]) * rng.randint(10, 500))
                elif kind == KeyResult.Kind.THRESHOLD:
                    target = Decimal(rng.randint(50, 100))
                    direction = rng.choice(["above", "below"])
                else:
                    title, unit = f"{rng.choice(['Launch', 'Agree', 'Measure', 'Pilot'])} {rng.choice(THINGS)}", ""
                self.key_results.append(
                    KeyResultSpec(
                        id=self.ids.take(KeyResult),
                        objective_id=objective.id,
                        kind=kind,
                        title=title,
                        owner_id=rng.choice(pool),
                        start_value=start,
                        target_value=target,
                        threshold_direction=direction,
                        unit=unit,
                    )
                )

    CHECK_IN_COLUMNS = (
        "id", "organization_id", "key_result_id", "author_id", "value", "percent", "done", "status",
        "status_is_automatic", "confidence", "comment", "effective_on", "created_at", "updated_at",
    )  # fmt: skip

    def _check_ins(self) -> dict[int, Reading]:
        """Weekly check-ins for every key result of an active or closed objective, streamed to the database.

        Returns each key result's latest reading, which is all the roll-up needs.
        """
        latest: dict[int, Reading] = {}
        timeframes = {tf.id: tf for tf in [*self.timeframes, *self.years.values()]}
        self.next_check_in_id = self.ids.take(CheckIn, 0)
        self.recent_check_ins = []  # (check-in id, key result, author, when, status, comment) of the last two weeks

        def rows():
            for kr in self.key_results:
                objective = self.objective_by_id[kr.objective_id]
                if objective.state != Objective.State.DRAFT:
                    last = None
                    for last in self._check_in_series(kr, timeframes[objective.timeframe_id]):
                        yield last
                    if last is not None:
                        latest[kr.id] = Reading(
                            value=None if last[4] is None else Decimal(last[4]),
                            percent=None if last[5] is None else Decimal(last[5]),
                            done=last[6],
                            status=last[7],
                            effective_on=last[11],
                        )

        first_id = self.next_check_in_id
        self.counts["check-ins"] = write_rows(CheckIn, self.CHECK_IN_COLUMNS, rows())
        self.ids.take(CheckIn, self.next_check_in_id - first_id)
        return latest

    def _check_in_series(self, kr: KeyResultSpec, tf: TimeframeSpec):
        """One key result's weekly check-ins: progress follows a pace with noise, some weeks are missed."""
        random, uniform = self.rng.random, self.rng.uniform
        week = datetime.timedelta(days=7)
        nine = datetime.time(9, tzinfo=datetime.UTC)
        length = (tf.ends_on - tf.starts_on).days
        last_day = min(self.today, tf.ends_on)
        pace = uniform(0.4, 1.2)
        # Owners report how the work goes: the status follows the pace.
        status = "on_track" if pace >= 0.8 else ("needs_attention" if pace >= 0.6 else "off_track")
        kind, org_id, kr_id, owner_id = kr.kind, self.org.pk, kr.id, kr.owner_id
        start = float(kr.start_value) if kr.kind == KeyResult.Kind.METRIC else 0.0
        span = float(kr.target_value) - start if kr.kind == KeyResult.Kind.METRIC else 0.0
        threshold = float(kr.target_value) if kr.kind == KeyResult.Kind.THRESHOLD else 0.0
        side = 1.0 if kr.threshold_direction == "above" else -1.0
        day = tf.starts_on + datetime.timedelta(days=self.rng.randint(1, 4))
        while day <= last_day:
            if random() < 0.08:  # a missed week
                day += week
                continue
            fraction = min(1.0, max(0.0, pace * (day - tf.starts_on).days / length + uniform(-0.05, 0.05)))
            value = percent = done = None
            if kind == "metric":
                value = f"{start + span * fraction:.2f}"
            elif kind == "threshold":
                value = f"{threshold + side * uniform(-3, 6):.2f}"
            elif kind == "milestone":
                done = fraction >= 0.9
            else:
                percent = str(round(fraction * 20) * 5)
            confidence = max(1, min(10, round(fraction * 6 + 3 + uniform(-1.5, 1.5))))
            comment = COMMENTS[int(random() * len(COMMENTS))] if random() < 0.2 else ""
            created = datetime.datetime.combine(day, nine)
            check_in_id = self.next_check_in_id
            self.next_check_in_id += 1
            if (self.today - day).days < 14:
                self.recent_check_ins.append((check_in_id, kr, owner_id, created, status, fraction, comment))
            yield (check_in_id, org_id, kr_id, owner_id, value, percent, done, status, False, confidence, comment,
                   day, created, created)  # fmt: skip
            day += week

    def _write_goals(self, readings: dict[int, Reading]) -> None:
        kr_states, objective_states = compute_organization(self.objectives, self.key_results, readings)
        org_id = self.org.pk
        self.counts["objectives"] = self._write_objectives(self.objectives, objective_states)
        links = [(o.id, g) for o in self.objectives for g in o.group_ids]
        first = self.ids.take(ObjectiveGroup, len(links))
        write_rows(
            ObjectiveGroup,
            ("id", "organization_id", "objective_id", "group_id"),
            ((first + i, org_id, o, g) for i, (o, g) in enumerate(links)),
        )
        self.counts["key results"] = self._write_key_results(self.key_results, kr_states, readings)
        contributors = [(kr.id, self.rng.choice(self.group_of[kr.owner_id].member_ids)) for kr in self.key_results[::7]]
        contributors = [(kr, m) for kr, m in contributors if self.roles[m] != Role.VIEWER]
        first = self.ids.take(KeyResultContributor, len(contributors))
        write_rows(
            KeyResultContributor,
            ("id", "organization_id", "key_result_id", "membership_id"),
            ((first + i, org_id, kr, m) for i, (kr, m) in enumerate(contributors)),
        )

    def _write_objectives(self, objectives: list[ObjectiveSpec], objective_states) -> int:
        org_id, now = self.org.pk, self.now
        closed_at = {tf.id: now for tf in self.timeframes if tf.state == Timeframe.State.CLOSED}
        objective_rows = (
            (
                o.id,
                org_id,
                o.timeframe_id,
                o.title,
                "",
                o.level,
                o.lead_id,
                o.parent_id,
                o.state,
                o.visibility,
                "committed",
                None,
                o.progress_driver,
                *objective_states[o.id],
                f"{round(objective_states[o.id][0], 1):.1f}" if o.state == Objective.State.CLOSED else None,
                "",
                "{}",
                closed_at.get(o.timeframe_id) if o.state == Objective.State.CLOSED else None,
                o.lead_id,
                now,
                now,
            )
            for o in objectives
        )
        return write_rows(
            Objective,
            (
                "id",
                "organization_id",
                "timeframe_id",
                "title",
                "description",
                "level",
                "lead_id",
                "parent_id",
                "state",
                "visibility",
                "commitment",
                "pillar_id",
                "progress_driver",
                "progress",
                "status",
                "score",
                "outcome",
                "reflection",
                "closed_at",
                "created_by_id",
                "created_at",
                "updated_at",
            ),
            objective_rows,
        )

    def _write_key_results(self, key_results: list[KeyResultSpec], kr_states, readings: dict[int, Reading]) -> int:
        org_id, now = self.org.pk, self.now
        positions: dict[int, int] = {}

        def key_result_rows():
            for kr in key_results:
                progress, status, current = kr_states[kr.id]
                position = positions.get(kr.objective_id, 0)
                positions[kr.objective_id] = position + 1
                reading = readings.get(kr.id)
                yield (
                    kr.id,
                    org_id,
                    kr.objective_id,
                    kr.title,
                    "",
                    kr.kind,
                    kr.start_value,
                    kr.target_value,
                    current,
                    kr.threshold_direction,
                    kr.unit,
                    kr.weight,
                    kr.owner_id,
                    position,
                    None,
                    progress,
                    status,
                    reading.effective_on if reading else None,
                    now,
                    now,
                )

        return write_rows(
            KeyResult,
            (
                "id",
                "organization_id",
                "objective_id",
                "title",
                "description",
                "kind",
                "start_value",
                "target_value",
                "current_value",
                "threshold_direction",
                "unit",
                "weight",
                "owner_id",
                "position",
                "carried_over_from_id",
                "progress",
                "status",
                "last_check_in_on",
                "created_at",
                "updated_at",
            ),
            key_result_rows(),
        )

    # --- initiatives ---------------------------------------------------------------------------------

    def _initiatives(self) -> None:
        """One initiative on every third key result of the current quarter's group objectives, owned
        by the key result's owner, due within the quarter (some overdue)."""
        current = next(tf for tf in self.timeframes if tf.state == Timeframe.State.ACTIVE)
        group_objectives = {
            objective.id
            for objective in self.objectives
            if objective.level == "group" and objective.timeframe_id == current.id
        }
        key_results = [kr for kr in self.key_results if kr.objective_id in group_objectives][::3]
        first = self.ids.take(Initiative, len(key_results))
        first_link = self.ids.take(InitiativeKeyResult, len(key_results))
        span = (current.ends_on - current.starts_on).days
        states = [state for state, _label in Initiative.State.choices]
        initiatives, links = [], []
        for index, kr in enumerate(key_results):
            due_on = current.starts_on + datetime.timedelta(days=self.rng.randint(span // 3, span))
            state = self.rng.choice(states)
            percent = self.rng.choice([None, self.rng.randint(0, 100)])
            initiatives.append(
                (
                    first + index,
                    self.org.pk,
                    f"Work on {kr.title.lower()}",
                    "",
                    state,
                    kr.owner_id,
                    due_on,
                    percent,
                    self.now,
                    self.now,
                )
            )
            links.append((first_link + index, self.org.pk, first + index, kr.id))
        columns = ("id", "organization_id", "title", "description", "state", "owner_id", "due_on", "progress_percent",
                   "created_at", "updated_at")  # fmt: skip
        self.counts["initiatives"] = write_rows(Initiative, columns, initiatives)
        write_rows(InitiativeKeyResult, ("id", "organization_id", "initiative_id", "key_result_id"), links)

    # --- conversations and the activity feed ------------------------------------------------------

    def _conversations(self) -> None:
        """The feed's last two weeks of check-ins; two comments (one reaction each) on every fourth
        group objective of the current quarter, the second notifying the objective's lead."""
        current = next(tf for tf in self.timeframes if tf.state == Timeframe.State.ACTIVE)
        objectives = [o for o in self.objectives if o.level == "group" and o.timeframe_id == current.id][::4]
        first_comment = self.ids.take(Comment, 2 * len(objectives))
        comments, reactions, notifications, activities = [], [], [], []
        for index, objective in enumerate(objectives):
            group = self.group_by_id[objective.group_ids[0]]
            for turn in range(2):
                comment_id = first_comment + 2 * index + turn
                author = objective.lead_id if turn == 0 else self.rng.choice(group.member_ids or [objective.lead_id])
                text = COMMENTS[(index + turn) % len(COMMENTS)]
                comments.append(
                    (comment_id, self.org.pk, author, objective.id, text, f"<p>{escape(text)}</p>", self.now)
                )
                reactions.append(
                    (self.org.pk, comment_id, self.rng.choice(group.member_ids or [author]), "thumbs_up", self.now)
                )
                data = json.dumps({"target": objective.title, "excerpt": text})
                activities.append(
                    (self.org.pk, author, "comment", objective.id, None, None, comment_id, data, self.now)
                )
                if turn == 1 and author != objective.lead_id:
                    notifications.append(
                        (self.org.pk, objective.lead_id, "commented", author, objective.id, comment_id, data, self.now)
                    )
        for check_in_id, kr, author, created, status, fraction, comment in self.recent_check_ins:
            objective = self.objective_by_id[kr.objective_id]
            data = {"objective": objective.title, "key_result": kr.title, "progress_from": max(0.0, fraction - 0.05),
                    "progress_to": fraction, "status_from": status, "status_to": status, "comment": comment}  # fmt: skip
            activities.append(
                (self.org.pk, author, "check_in", objective.id, kr.id, check_in_id, None, json.dumps(data), created)
            )
        write_rows(
            Comment, ("id", "organization_id", "author_id", "objective_id", "body", "body_html", "created_at"), comments
        )
        write_rows(Reaction, ("organization_id", "comment_id", "person_id", "emoji", "created_at"), reactions)
        write_rows(
            Notification,
            ("organization_id", "recipient_id", "kind", "actor_id", "objective_id", "comment_id", "data", "created_at"),
            notifications,
        )
        columns = ("organization_id", "actor_id", "kind", "objective_id", "key_result_id", "check_in_id", "comment_id",
                   "data", "created_at")  # fmt: skip
        self.counts["activities"] = write_rows(Activity, columns, sorted(activities, key=lambda row: row[-1]))

    def _integrations(self) -> None:
        """A paused webhook with a delivery log that grows with the organization (one per ten people)."""
        webhook = Webhook.objects.create(
            organization=self.org,
            name="Data warehouse",
            url="https://hooks.example.com/lodestar",
            events=[Webhook.Event.CHECK_IN_CREATED, Webhook.Event.KPI_UNHEALTHY],
            secret="0" * 64,
            is_active=False,
        )
        deliveries = [
            Delivery(
                organization=self.org,
                webhook=webhook,
                event=Webhook.Event.CHECK_IN_CREATED,
                event_id=uuid.UUID(int=index + 1),
                payload={"event": Webhook.Event.CHECK_IN_CREATED},
                state=Delivery.State.SENT,
                attempts=1,
                response_status=200,
                next_attempt_at=self.now,
                sent_at=self.now,
            )
            for index in range(self.people // 10)
        ]
        Delivery.objects.bulk_create(deliveries, batch_size=2000)

    # --- the OKR rollout -----------------------------------------------------------------------------

    ROLLOUT_WEEKS_AGO = 23  # about five months in
    ROLLOUT_OPEN_MILESTONE_WEEKS = 17  # the first rollout group's milestone is overdue
    ROLLOUT_GROUP_SIZE = 6
    ROLLOUT_GROUPS_MAX = 60  # cohorts are for leads: at 10,000 people, 360 of them
    ROUND_OBJECTIVES = 10

    def _rollout(self) -> None:
        """The OKR rollout five months in, from its own random stream (the rest of the organization
        is the same with or without it): the proposed plan with the due steps done but one
        milestone; a rollout group of six per 25 people (at most 60) with a training each, the
        first past its date; two draft company objectives challenged with the quarter's other
        drafts in an open round (at most 10 objectives, 5 reviewers, a few feedback points); and
        nudges for the first group's people who are behind."""
        rng = random.Random(f"rollout {self.seed}")
        owner, ambassador = self.membership_ids[0], self.membership_ids[1]
        starts_on = self.today - datetime.timedelta(weeks=self.ROLLOUT_WEEKS_AGO)
        rollout = Rollout.objects.create(organization=self.org, starts_on=starts_on, started_by_id=ambassador)
        steps = []
        for step, due_on in plan.proposed_steps(starts_on):
            left_open = step.kind == RolloutStep.Kind.MILESTONE and step.weeks == self.ROLLOUT_OPEN_MILESTONE_WEEKS
            steps.append(
                RolloutStep(
                    organization=self.org,
                    rollout=rollout,
                    kind=step.kind,
                    title=str(step.title),
                    description=str(step.description),
                    due_on=due_on,
                    owner_id=ambassador,
                    done_on=due_on if due_on < self.today and not left_open else None,
                )
            )
        RolloutStep.objects.bulk_create(steps)
        first_group = self._rollout_groups(rng, ambassador, starts_on)
        self._challenge_round(rng, owner, ambassador, first_group[1])
        self._nudges(first_group)

    def _rollout_groups(self, rng, ambassador: int, starts_on: datetime.date) -> tuple[RolloutGroup, list[int]]:
        """Groups of six with target dates from week 16 to week 26, goals in turn; one training
        each, four weeks before the date, that most members attended. Returns the first group."""
        count = min(self.ROLLOUT_GROUPS_MAX, max(1, self.people // 25))
        pool = [m for m in self.membership_ids[2:] if self.roles[m] != Role.VIEWER]
        chosen = rng.sample(pool, min(len(pool), count * self.ROLLOUT_GROUP_SIZE))
        # The first group, whose date has passed, has two people who check in on nothing this
        # quarter: they are behind and get nudged.
        current = next(tf.id for tf in self.timeframes if tf.state == Timeframe.State.ACTIVE)
        checking_in = {
            kr.owner_id
            for kr in self.key_results
            if self.objective_by_id[kr.objective_id].timeframe_id == current
            and self.objective_by_id[kr.objective_id].state == Objective.State.ACTIVE
        }
        quiet = [person for person in chosen if person not in checking_in][:2]
        chosen = quiet + [person for person in chosen if person not in quiet]
        goals = [Stage.STEADY, Stage.ALIGNED, Stage.CHECKED_IN, Stage.DRAFTED]
        first_target = starts_on + datetime.timedelta(weeks=16)
        groups = RolloutGroup.objects.bulk_create(
            RolloutGroup(
                organization=self.org,
                name=f"Rollout group {index + 1}",
                coach_id=ambassador,
                target_stage=goals[index % len(goals)],
                target_on=first_target + datetime.timedelta(days=70 * index // max(1, count - 1)),
            )
            for index in range(count)
        )
        size = self.ROLLOUT_GROUP_SIZE
        members = {group.pk: chosen[index * size : (index + 1) * size] for index, group in enumerate(groups)}
        RolloutGroupMember.objects.bulk_create(
            (
                RolloutGroupMember(organization=self.org, rollout_group=group, membership_id=person)
                for group in groups
                for person in members[group.pk]
            ),
            batch_size=2000,
        )
        sessions = TrainingSession.objects.bulk_create(
            TrainingSession(
                organization=self.org,
                rollout_group=group,
                held_on=group.target_on - datetime.timedelta(weeks=4),
                topic="OKR basics",
            )
            for group in groups
        )
        self.counts["training attendances"] = len(
            Attendance.objects.bulk_create(
                (
                    Attendance(organization=self.org, session=session, membership_id=person)
                    for session in sessions
                    for person in members[session.rollout_group_id]
                    if rng.random() < 0.85
                ),
                batch_size=2000,
            )
        )
        self.counts["rollout groups"] = len(groups)
        return groups[0], members[groups[0].pk]

    def _challenge_round(self, rng, owner: int, ambassador: int, group_members: list[int]) -> None:
        current = next(tf for tf in self.timeframes if tf.state == Timeframe.State.ACTIVE)
        year = self.years[current.starts_on.year]
        year_goal = next(o.id for o in self.objectives if o.timeframe_id == year.id)
        drafts = [
            ObjectiveSpec(
                id=self.ids.take(Objective),
                timeframe_id=current.id,
                level=Objective.Level.COMPANY,
                title=f"{rng.choice(OUTCOMES)} {rng.choice(THINGS)}",
                lead_id=owner,
                parent_id=year_goal,
                state=Objective.State.DRAFT,
                visibility=Objective.Visibility.PUBLIC,
                progress_driver=Objective.ProgressDriver.KEY_RESULTS,
            )
            for _ in range(2)
        ]
        draft_krs = []
        for objective in drafts:
            for title, unit in rng.sample(METRICS, 3):
                start = Decimal(rng.randint(0, 500))
                draft_krs.append(
                    KeyResultSpec(
                        id=self.ids.take(KeyResult),
                        objective_id=objective.id,
                        kind=KeyResult.Kind.METRIC,
                        title=title,
                        owner_id=rng.choice([owner, ambassador, *group_members]),
                        start_value=start,
                        target_value=start + Decimal(rng.randint(10, 500)),
                        threshold_direction="",
                        unit=unit,
                    )
                )
        kr_states, objective_states = compute_organization(drafts, draft_krs, {})
        self.counts["objectives"] += self._write_objectives(drafts, objective_states)
        self.counts["key results"] += self._write_key_results(draft_krs, kr_states, {})

        others = [
            o.id
            for o in self.objectives
            if o.state == Objective.State.DRAFT
            and o.timeframe_id == current.id
            and o.visibility == Objective.Visibility.PUBLIC
        ]
        chosen = [o.id for o in drafts] + others[: self.ROUND_OBJECTIVES - len(drafts)]
        opened = ChallengeRound.objects.create(
            organization=self.org,
            title="Challenge the draft OKRs",
            deadline=self.today + datetime.timedelta(days=7),
            opened_by_id=ambassador,
        )
        objectives = list(Objective.objects.filter(organization=self.org, pk__in=chosen).order_by("pk"))
        key_results = {objective.pk: [] for objective in objectives}
        for kr in KeyResult.objects.filter(organization=self.org, objective__in=chosen):
            key_results[kr.objective_id].append(kr)
        RoundObjective.objects.bulk_create(
            RoundObjective(
                organization=self.org,
                round=opened,
                objective=objective,
                snapshot=challenge.snapshot(objective, key_results[objective.pk]),
            )
            for objective in objectives
        )
        # The owner and four of the first group review; three of the group have submitted.
        people = [owner, *group_members[:4]]
        reviewers = Reviewer.objects.bulk_create(
            Reviewer(
                organization=self.org,
                round=opened,
                membership_id=person,
                submitted_at=self.now if 1 <= index <= 3 else None,
            )
            for index, person in enumerate(people)
        )
        first, second = drafts[0].id, drafts[1].id
        first_kr = min(kr.pk for kr in key_results[first])
        agree, disagree = FeedbackPoint.Verdict.AGREE, FeedbackPoint.Verdict.DISAGREE
        specs = [  # (reviewer, objective, key result, criterion, verdict, comment)
            (1, first, None, Criterion.OUTCOME, agree, "A real outcome for customers."),
            (1, first, first_kr, Criterion.MEASURABLE, disagree, "Where does this number come from?"),
            (1, first, None, Criterion.QUESTION, "", "Who else works on this?"),
            (2, first, None, Criterion.AMBITIOUS, disagree, "This looks easy to reach."),
            (2, second, None, Criterion.ALIGNED, agree, ""),
            (3, first, first_kr, Criterion.MEASURABLE, agree, "We report it every week already."),
        ]
        points = FeedbackPoint.objects.bulk_create(
            FeedbackPoint(
                organization=self.org,
                round=opened,
                reviewer=reviewers[reviewer],
                objective_id=objective,
                key_result_id=key_result,
                criterion=criterion,
                verdict=verdict,
                text=text,
                resolved_at=self.now if reviewer == 2 else None,
                resolved_by_id=ambassador if reviewer == 2 else None,
            )
            for reviewer, objective, key_result, criterion, verdict, text in specs
        )
        FeedbackReply.objects.create(
            organization=self.org, point=points[1], author_id=owner, text="The monthly report; we add it here."
        )
        self.counts["feedback points"] = len(points)

    def _nudges(self, first_group) -> None:
        """The first group's date has passed: its people who did not reach the goal were told their
        next step (as the worker does, in the app), at most two."""
        group, group_members = first_group
        people = list(Membership.objects.filter(organization=self.org, pk__in=group_members).order_by("pk"))
        facts = rollout_selectors.journeys_of(self.org, None, people, self.today)
        behind = [p for p in people if not journey.has_reached(facts[p.pk], group.target_stage)][:2]
        nudged = []
        for person in behind:
            step = journey.next_stage(facts[person.pk]) or group.target_stage
            nudged.append((person, step))
        Nudge.objects.bulk_create(
            Nudge(
                organization=self.org,
                rollout_group=group,
                membership=person,
                target_stage=group.target_stage,
                next_stage=step,
            )
            for person, step in nudged
        )
        Notification.objects.bulk_create(
            Notification(
                organization=self.org,
                recipient=person,
                kind=Notification.Kind.NUDGED,
                data={"group": group.name, "next_stage": step},
            )
            for person, step in nudged
        )
        self.counts["nudges"] = len(nudged)

    # --- KPIs ----------------------------------------------------------------------------------------

    def _kpis(self) -> None:
        count = max(3, len(self.groups) // 5)
        first = self.ids.take(KPI, count)
        kpi_rows, value_rows, group_rows = [], [], []
        weeks = 104
        first_value = self.ids.take(KPIValue, count * (weeks + 1))
        first_group = self.ids.take(KPIGroup, count)
        for index in range(count):
            group = self.groups[index % len(self.groups)]
            level = self.rng.uniform(50, 150)
            values = [
                level * (1 + 0.3 * _math.sin(week / 8) + self.rng.uniform(-0.05, 0.05)) for week in range(weeks + 1)
            ]
            latest = Decimal(f"{values[-1]:.2f}")
            healthy = latest >= Decimal(f"{level:.2f}")
            days = [self.today - datetime.timedelta(days=7 * (weeks - week)) for week in range(weeks + 1)]
            since = health_since(
                ((day, Decimal(f"{value:.2f}")) for day, value in zip(reversed(days), reversed(values), strict=True)),
                rule="at_least",
                rule_min=Decimal(f"{level:.2f}"),
                rule_max=None,
            )
            kpi_rows.append(
                (
                    first + index,
                    self.org.pk,
                    f"KPI {index + 1}",
                    "",
                    group.lead_id,
                    "",
                    "weekly",
                    "at_least",
                    f"{level:.2f}",
                    None,
                    "latest",
                    latest,
                    healthy,
                    self.today,
                    since,
                    self.now,
                    self.now,
                )
            )
            group_rows.append((first_group + index, self.org.pk, first + index, group.id))
            for week, (day, value) in enumerate(zip(days, values, strict=True)):
                value_rows.append(
                    (
                        first_value + index * (weeks + 1) + week,
                        self.org.pk,
                        first + index,
                        f"{value:.2f}",
                        day,
                        "",
                        group.lead_id,
                        self.now,
                    )
                )
        write_rows(
            KPI,
            (
                "id",
                "organization_id",
                "name",
                "description",
                "owner_id",
                "unit",
                "cadence",
                "rule",
                "rule_min",
                "rule_max",
                "aggregation",
                "current_value",
                "is_healthy",
                "last_recorded_on",
                "health_since",
                "created_at",
                "updated_at",
            ),
            kpi_rows,
        )
        write_rows(KPIGroup, ("id", "organization_id", "kpi_id", "group_id"), group_rows)
        self.counts["KPI values"] = write_rows(
            KPIValue,
            ("id", "organization_id", "kpi_id", "value", "recorded_on", "comment", "author_id", "created_at"),
            value_rows,
        )
