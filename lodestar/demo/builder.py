"""Builds the demo organization (content.py) with bulk inserts, deterministically for a seed.

Rows are inserted in bulk rather than through the services for speed; the cached
progress and status are then computed by the same roll-up code the services use.
"""

import datetime
import itertools
import random
import secrets
import uuid
import zoneinfo
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from lodestar.activity.models import Activity
from lodestar.conversations import services as conversations
from lodestar.conversations.models import Comment
from lodestar.core.scoping import organization_scope
from lodestar.demo import content
from lodestar.feeds import services as feeds
from lodestar.kpis.models import KPI, KPIGroup, KPIValue
from lodestar.kpis.services import refresh_kpi
from lodestar.notifications.models import Email, Notification
from lodestar.okrs import closing
from lodestar.okrs import progress as math
from lodestar.okrs.models import (
    CheckIn,
    Initiative,
    InitiativeKeyResult,
    KeyResult,
    KeyResultContributor,
    Objective,
    ObjectiveContributor,
    ObjectiveGroup,
    Timeframe,
)
from lodestar.okrs.rollup import backfill_snapshots, recompute_organization
from lodestar.orgs.models import Group, GroupMembership, Membership, Organization, Role
from lodestar.pages.checklist import record_settings_saved
from lodestar.rollout import nudges
from lodestar.rollout import services as rollout_services
from lodestar.rollout.models import (
    ChallengeRound,
    FeedbackPoint,
    FeedbackReply,
    Nudge,
    Reviewer,
    RolloutGroup,
    RolloutGroupMember,
    RolloutStep,
    RoundObjective,
    TrainingSession,
)
from lodestar.strategy.models import Pillar, Strategy
from lodestar.webhooks.models import Delivery, Webhook


def quarter_bounds(day: datetime.date, offset: int = 0) -> tuple[datetime.date, datetime.date]:
    index = (day.year * 4 + (day.month - 1) // 3) + offset
    year, quarter = divmod(index, 4)
    start = datetime.date(year, quarter * 3 + 1, 1)
    next_start = datetime.date(year + (quarter == 3), (quarter * 3 + 3) % 12 + 1, 1)
    return start, next_start - datetime.timedelta(days=1)


def quarter_name(start: datetime.date) -> str:
    return f"Q{(start.month - 1) // 3 + 1} {start.year}"


class DemoBuilder:
    def __init__(self, *, seed: int = 2019, today: datetime.date | None = None):
        self.rng = random.Random(seed)
        tz = zoneinfo.ZoneInfo(content.ORGANIZATION["time_zone"])
        self.today = today or timezone.now().astimezone(tz).date()
        self.people: dict[str, Membership] = {}
        self.groups: dict[str, Group] = {}
        self.group_members: dict[str, list[Membership]] = {}
        self.group_leads: dict[str, Membership] = {}
        self.objectives: dict[tuple[str, str], Objective] = {}
        self._owner_cycle: dict[str, itertools.cycle] = {}
        self.check_ins: list[CheckIn] = []

    # --- entry point ---------------------------------------------------------------------------

    @transaction.atomic
    def build(self) -> Organization:
        self.org = Organization.objects.create(**content.ORGANIZATION)
        with organization_scope(self.org):
            record_settings_saved(self.org)  # set up long ago: no getting-started checklist
            self._people_and_groups()
            self._strategy()
            self._timeframes()
            self._objectives()
            self._kpis()
            self._initiatives()
            recompute_organization(self.org.pk)
            backfill_snapshots(self.org.pk, until=self.today)
            self._recent_activity()
            self._integrations()
            self._rollout()
            self._conversations()
        return self.org

    # --- people and groups -----------------------------------------------------------------------

    def _people_and_groups(self) -> None:
        password = make_password(content.DEMO_PASSWORD)  # hashed once: a hash per person costs ~0.3 s
        names = self._generated_names()
        specs = []  # (key, full name, title, role, group key, leads)
        for key, full_name, title, role, group, leads in content.KEY_PEOPLE:
            specs.append((key, full_name, title, role, group, leads))
        named_leads = {group for *_, group, leads in content.KEY_PEOPLE if leads}
        for group_key, group_name, parent, size in content.GROUPS:
            for index in range(size):
                leads = index == 0 and group_key not in named_leads
                title = (
                    f"Head of {group_name}"
                    if leads and parent is None
                    else (f"Team Lead {group_name}" if leads else self.rng.choice(self._titles(group_key)))
                )
                role = Role.VIEWER if (group_key in ("finance", "assembly") and index == size - 1) else Role.MEMBER
                specs.append((f"{group_key}:{index}", next(names), title, role, group_key, leads))

        user_model = get_user_model()
        used_emails = set()
        emails = [self._email(full_name, used_emails) for _key, full_name, *_ in specs]
        users = [
            user_model(
                email=email,
                full_name=full_name,
                password=password,
                is_staff=key == "ambassador",
                is_superuser=key == "ambassador",
            )
            for email, (key, full_name, *_) in zip(emails, specs, strict=True)
        ]
        user_model.objects.bulk_create(users)
        by_email = {u.email: u for u in user_model.objects.filter(email__in=emails)}
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=user, email=email, verified=True, primary=True) for email, user in by_email.items()]
        )

        memberships = [
            Membership(
                organization=self.org,
                user=by_email[email],
                role=role,
                job_title=title,
                is_okr_ambassador=key == "ambassador",
            )
            for (key, _name, title, role, _group, _leads), email in zip(specs, emails, strict=True)
        ]
        Membership.objects.bulk_create(memberships)
        for (key, *_), membership in zip(specs, memberships, strict=True):
            self.people[key] = membership

        for group_key, name, parent, _size in content.GROUPS:
            group = Group(organization=self.org, name=name, slug=slugify(name), parent=self.groups.get(parent))
            group.save()
            self.groups[group_key] = group
        links = []
        for key, _name, _title, _role, group_key, leads in specs:
            membership = self.people[key]
            links.append(
                GroupMembership(
                    organization=self.org, group=self.groups[group_key], membership=membership, is_lead=leads
                )
            )
            self.group_members.setdefault(group_key, []).append(membership)
            if leads:
                self.group_leads[group_key] = membership
        # Department heads sit in Leadership too; C-level people lead nothing else.
        for group_key, _name, parent, _size in content.GROUPS:
            if parent is None and group_key != "leadership":
                links.append(
                    GroupMembership(
                        organization=self.org, group=self.groups["leadership"], membership=self.group_leads[group_key]
                    )
                )
        GroupMembership.objects.bulk_create(links)
        self._managers()

    def _managers(self) -> None:
        parents = {key: parent for key, _n, parent, _s in content.GROUPS}
        top = {
            "software": "cto",
            "hardware": "cto",
            "cloud": "cto",
            "production": "coo",
            "operations": "coo",
            "sales": "ceo",
            "leadership": "ceo",
        }
        changed = []
        for group_key, members in self.group_members.items():
            lead = self.group_leads.get(group_key)
            for person in members:
                if person is lead:
                    parent = parents[group_key]
                    manager = self.group_leads.get(parent) if parent else self.people.get(top.get(group_key, "ceo"))
                else:
                    manager = lead or self.group_leads.get(parents[group_key] or "leadership")
                if manager is not None and manager.pk != person.pk:
                    person.manager = manager
                    changed.append(person)
        self.people["ambassador"].manager = self.people["coo"]
        changed.append(self.people["ambassador"])
        Membership.objects.bulk_update(changed, ["manager"])

    def _generated_names(self):
        pairs = [(first, last) for first in content.FIRST_NAMES for last in content.LAST_NAMES]
        self.rng.shuffle(pairs)
        taken = {name for _k, name, *_ in content.KEY_PEOPLE}
        return (f"{first} {last}" for first, last in pairs if f"{first} {last}" not in taken)

    @staticmethod
    def _email(full_name: str, used: set) -> str:
        """first.last@domain, umlauts spelled out (Jürgen Müller → juergen.mueller)."""
        spelled = full_name.translate(
            str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
        )
        base = ".".join(slugify(part) for part in spelled.split()) or "person"
        email, counter = f"{base}@{content.EMAIL_DOMAIN}", 2
        while email in used:
            email, counter = f"{base}{counter}@{content.EMAIL_DOMAIN}", counter + 1
        used.add(email)
        return email

    @staticmethod
    def _titles(group_key: str) -> list[str]:
        return {
            "firmware": ["Embedded Engineer", "Senior Embedded Engineer"],
            "apps": ["Mobile Developer", "UX Designer"],
            "electronics": ["Hardware Engineer", "Test Engineer"],
            "mechanics": ["Mechanical Engineer"],
            "assembly": ["Production Technician", "Shift Supervisor"],
            "quality": ["Quality Engineer"],
            "platform": ["Data Engineer", "Site Reliability Engineer"],
            "backend": ["Backend Developer", "Software Architect"],
            "portal": ["Frontend Developer", "Product Designer"],
            "sales_dach": ["Account Manager", "Sales Engineer"],
            "success": ["Customer Success Manager", "Support Specialist"],
            "hr": ["HR Business Partner", "Recruiter"],
            "finance": ["Controller", "Accountant"],
            "it": ["IT Administrator"],
        }.get(group_key, ["Specialist"])

    def _person(self, key: str) -> Membership:
        """A named person, or a group key: its members take turns owning key results."""
        if key in self.people:
            return self.people[key]
        if key not in self._owner_cycle:
            writers = [m for m in self.group_members[key] if m.role != Role.VIEWER]
            self._owner_cycle[key] = itertools.cycle(writers)
        return next(self._owner_cycle[key])

    def _lead(self, key: str) -> Membership:
        return self.people.get(key) or self.group_leads[key]

    # --- strategy and timeframes ---------------------------------------------------------------

    def _strategy(self) -> None:
        Strategy.objects.create(organization=self.org, vision=content.VISION, mission=content.MISSION)
        self.pillars = [
            Pillar.objects.create(organization=self.org, year=self.today.year, name=name, description=text, position=i)
            for i, (name, text) in enumerate(content.PILLARS)
        ]

    def _timeframes(self) -> None:
        def make(name, kind, bounds, state):
            return Timeframe.objects.create(
                organization=self.org, name=name, kind=kind, starts_on=bounds[0], ends_on=bounds[1], state=state
            )

        year = (datetime.date(self.today.year, 1, 1), datetime.date(self.today.year, 12, 31))
        self.year = make(str(self.today.year), Timeframe.Kind.YEAR, year, Timeframe.State.ACTIVE)
        previous, current, following = (quarter_bounds(self.today, o) for o in (-1, 0, 1))
        self.previous = make(quarter_name(previous[0]), Timeframe.Kind.QUARTER, previous, Timeframe.State.CLOSED)
        self.current = make(quarter_name(current[0]), Timeframe.Kind.QUARTER, current, Timeframe.State.ACTIVE)
        self.following = make(quarter_name(following[0]), Timeframe.Kind.QUARTER, following, Timeframe.State.PLANNING)

    # --- objectives and key results -------------------------------------------------------------

    def _objectives(self) -> None:
        krs: list[tuple[Objective, tuple]] = []
        active, draft, closed = Objective.State.ACTIVE, Objective.State.DRAFT, Objective.State.CLOSED

        for key, title, pillar in content.YEAR_OBJECTIVES:
            self._objective(
                self.year,
                key,
                title,
                "company",
                "ceo",
                state=active,
                pillar=self.pillars[pillar],
                driver=Objective.ProgressDriver.CHILDREN,
            )
        for timeframe, state in ((self.previous, closed), (self.current, active)):
            for key, title, year_key, pillar, lead, key_results in content.COMPANY_OBJECTIVES:
                objective = self._objective(
                    timeframe,
                    key,
                    title,
                    "company",
                    lead,
                    state=state,
                    parent=self.objectives[(self.year.name, year_key)],
                    pillar=self.pillars[pillar],
                )
                krs += [(objective, kr) for kr in key_results]
            group_objectives = content.GROUP_OBJECTIVES if timeframe is self.current else content.GROUP_OBJECTIVES[:9]
            for key, title, groups, parent, lead, key_results, _state in group_objectives:
                objective = self._objective(
                    timeframe,
                    key,
                    title,
                    "group",
                    lead,
                    state=state,
                    groups=groups,
                    parent=self.objectives[(timeframe.name, parent)],
                )
                krs += [(objective, kr) for kr in key_results]

        key, title, groups, parent, lead, key_results = content.SHARED_OBJECTIVE
        shared = self._objective(
            self.current,
            key,
            title,
            "group",
            lead,
            state=active,
            groups=groups,
            parent=self.objectives[(self.current.name, parent)],
            commitment=Objective.Commitment.ASPIRATIONAL,
        )
        krs += [(shared, kr) for kr in key_results]
        self._contributors(shared, [self._lead(g) for g in groups])

        for index, (key, title, groups, parent, lead, key_results) in enumerate(content.DRAFT_OBJECTIVES):
            timeframe = self.current if index == 2 else self.following
            parent_objective = self.objectives[(self.current.name, parent)] if timeframe is self.current else None
            objective = self._objective(
                timeframe, key, title, "group", lead, state=draft, groups=groups, parent=parent_objective
            )
            krs += [(objective, kr) for kr in key_results]
        for key, title, year_key, pillar, lead, key_results in content.DRAFT_COMPANY_OBJECTIVES:
            objective = self._objective(
                self.current,
                key,
                title,
                "company",
                lead,
                state=draft,
                parent=self.objectives[(self.year.name, year_key)],
                pillar=self.pillars[pillar],
            )
            krs += [(objective, kr) for kr in key_results]

        key, title, groups, lead, key_results = content.PRIVATE_OBJECTIVE
        private = self._objective(
            self.current,
            key,
            title,
            "group",
            lead,
            state=active,
            groups=groups,
            visibility=Objective.Visibility.PRIVATE,
        )
        krs += [(private, kr) for kr in key_results]

        krs += self._personal_objectives()
        krs += self._joiner_drafts()
        self._key_results(krs)
        self._close_previous_quarter()

    def _objective(
        self,
        timeframe,
        key,
        title,
        level,
        lead,
        *,
        state,
        groups=(),
        parent=None,
        pillar=None,
        visibility=Objective.Visibility.PUBLIC,
        commitment=Objective.Commitment.COMMITTED,
        driver=Objective.ProgressDriver.KEY_RESULTS,
    ) -> Objective:
        lead_person = self._lead(lead)
        objective = self._save_objective(
            timeframe=timeframe,
            title=title,
            level=level,
            lead=lead_person,
            parent=parent,
            state=state,
            visibility=visibility,
            commitment=commitment,
            pillar=pillar,
            progress_driver=driver,
        )
        ObjectiveGroup.objects.bulk_create(
            ObjectiveGroup(organization=self.org, objective=objective, group=self.groups[g]) for g in groups
        )
        self.objectives[(timeframe.name, key)] = objective
        return objective

    def _contributors(self, objective: Objective, people) -> None:
        ObjectiveContributor.objects.bulk_create(
            ObjectiveContributor(organization=self.org, objective=objective, membership=person)
            for person in {p.pk: p for p in people if p.pk != objective.lead_id}.values()
        )

    def _personal_objectives(self) -> list:
        krs = []
        teams = [g for g, _n, parent, size in content.GROUPS if parent and size >= 6]
        team_objective = {groups[0]: key for key, _t, groups, *_ in content.GROUP_OBJECTIVES}
        for index, team in enumerate(teams):
            for person in self.group_members[team][1:3]:
                if person.role == Role.VIEWER:
                    continue
                title_template, kr_templates = content.PERSONAL_OBJECTIVE_TEMPLATES[index % 2]
                topic = content.PERSONAL_TOPICS[(index + person.pk) % len(content.PERSONAL_TOPICS)]
                parent_key = team_objective.get(team)
                objective = self._save_objective(
                    timeframe=self.current,
                    title=title_template.format(topic=topic),
                    level=Objective.Level.PERSONAL,
                    lead=person,
                    state=Objective.State.ACTIVE,
                    parent=self.objectives.get((self.current.name, parent_key)),
                )
                for template in kr_templates:
                    kind, title, *rest = template
                    krs.append((objective, (kind, title.format(topic=topic), *rest, person)))
        return krs

    def _joiner_drafts(self) -> list:
        """The first drafts of the second rollout group's people (personal, some aligned already)."""
        krs = []
        for person_key, title, parent_key, kr_templates in content.ROLLOUT_JOINER_DRAFTS:
            person = self.people[person_key]
            objective = self._save_objective(
                timeframe=self.current,
                title=title,
                level=Objective.Level.PERSONAL,
                lead=person,
                state=Objective.State.DRAFT,
                parent=self.objectives[(self.current.name, parent_key)] if parent_key else None,
            )
            krs += [(objective, (*template, person)) for template in kr_templates]
        return krs

    def _save_objective(self, *, lead: Membership, **fields) -> Objective:
        """An objective created by its lead, as its history says."""
        objective = Objective(organization=self.org, lead=lead, created_by=lead, **fields)
        objective._history_user = lead.user
        objective.save()
        return objective

    def _key_results(self, specs) -> None:
        rows, contributors = [], []
        positions: dict[int, int] = {}
        for objective, spec in specs:
            kind, title, *rest = spec
            owner = rest[-1] if isinstance(rest[-1], Membership) else self._person(rest[-1])
            fields = {"kind": kind, "title": title, "owner": owner}
            if kind == "metric":
                fields.update(start_value=Decimal(str(rest[0])), target_value=Decimal(str(rest[1])), unit=rest[2])
                fields["current_value"] = fields["start_value"]
            elif kind == "threshold":
                fields.update(target_value=Decimal(str(rest[0])), threshold_direction=rest[1], unit=rest[2])
            position = positions.get(objective.pk, 0)
            positions[objective.pk] = position + 1
            rows.append(KeyResult(organization=self.org, objective=objective, position=position, **fields))
        KeyResult.objects.bulk_create(rows)
        for key_result in rows:
            if self.rng.random() < 0.3:
                helper = self._person(self._group_of(key_result.owner))
                if helper.pk != key_result.owner_id:
                    contributors.append(
                        KeyResultContributor(organization=self.org, key_result=key_result, membership=helper)
                    )
        KeyResultContributor.objects.bulk_create(contributors)
        self._carry_over(rows)
        for key_result in rows:
            if key_result.objective.state != Objective.State.DRAFT:
                self._history_for(key_result)
        # created_at is auto_now_add: put back when each check-in was written (the rollout's journey
        # and the adoption dashboard count check-ins by it), never later than now.
        now = timezone.now()
        written = [min(check_in.created_at, now) for check_in in self.check_ins]
        CheckIn.objects.bulk_create(self.check_ins, batch_size=1000)
        for check_in, moment in zip(self.check_ins, written, strict=True):
            check_in.created_at = moment
        CheckIn.objects.bulk_update(self.check_ins, ["created_at"], batch_size=1000)

    def _group_of(self, person: Membership) -> str:
        for group_key, members in self.group_members.items():
            if person in members and group_key != "leadership":
                return group_key
        return "leadership"

    def _carry_over(self, key_results) -> None:
        """Current key results continue last quarter's ones with the same title."""
        previous = {
            (kr.objective.title, kr.title): kr for kr in key_results if kr.objective.timeframe_id == self.previous.pk
        }
        carried = []
        for kr in key_results:
            origin = previous.get((kr.objective.title, kr.title))
            if kr.objective.timeframe_id == self.current.pk and origin is not None and self.rng.random() < 0.3:
                kr.carried_over_from = origin
                carried.append(kr)
        KeyResult.objects.bulk_update(carried, ["carried_over_from"])

    # --- check-ins -------------------------------------------------------------------------------

    def _history_for(self, key_result: KeyResult) -> None:
        timeframe = key_result.objective.timeframe
        pace = self.rng.uniform(0.55, 1.2)  # share of the target reached by the end of the timeframe
        last_day = min(self.today, timeframe.ends_on)
        author_pool = [key_result.owner]
        day = timeframe.starts_on + datetime.timedelta(days=self.rng.randint(4, 9))
        weeks = 0
        while day <= last_day:
            weeks += 1
            if self.rng.random() < 0.12 and day + datetime.timedelta(days=7) <= last_day:
                day += datetime.timedelta(days=7)  # a missed week
                continue
            expected = math.expected_progress(starts_on=timeframe.starts_on, ends_on=timeframe.ends_on, on=day)
            fraction = max(0.0, min(1.0, pace * expected + self.rng.uniform(-0.05, 0.05)))
            self.check_ins.append(
                self._check_in(key_result, fraction, expected, day, self.rng.choice(author_pool), pace)
            )
            day += datetime.timedelta(days=7)

    def _check_in(self, key_result, fraction, expected, day, author, pace) -> CheckIn:
        reading = {"value": None, "percent": None, "done": None}
        if key_result.kind == "metric":
            span = key_result.target_value - key_result.start_value
            places = 0 if abs(span) >= 20 else 2
            reading["value"] = round(key_result.start_value + span * Decimal(str(round(fraction, 4))), places)
        elif key_result.kind == "threshold":
            margin = abs(key_result.target_value) * Decimal("0.004") or Decimal("0.1")
            satisfied = self.rng.random() < 0.8
            sign = 1 if (key_result.threshold_direction == "above") == satisfied else -1
            reading["value"] = round(key_result.target_value + sign * margin * Decimal(self.rng.randint(1, 3)), 2)
        elif key_result.kind == "milestone":
            reading["done"] = fraction >= 0.9
        else:
            reading["percent"] = Decimal(round(fraction * 20) * 5)
        progress = math.key_result_progress(
            kind=key_result.kind,
            start=key_result.start_value,
            target=key_result.target_value,
            threshold_direction=key_result.threshold_direction,
            **reading,
        )
        # Owners judge milestones and estimates by how the work goes, metrics by their numbers.
        judged = pace if key_result.kind in ("milestone", "estimate") else progress
        status = math.automatic_status(
            progress=judged,
            expected=expected if judged is progress else 1.0,
            on_track_factor=Decimal("0.8"),
            needs_attention_factor=Decimal("0.6"),
        )
        if status == "on_track" and self.rng.random() < 0.1:
            status = "needs_attention"  # owners are sometimes more careful than the numbers
        confidence = max(1, min(10, round(progress * 6 + 3 + self.rng.uniform(-1.5, 1.5))))
        comment = self.rng.choice(content.COMMENTS) if self.rng.random() < 0.35 else ""
        created = datetime.datetime.combine(day, datetime.time(9 + self.rng.randint(0, 8)), tzinfo=datetime.UTC)
        return CheckIn(
            organization=self.org,
            key_result=key_result,
            author=author,
            status=status,
            confidence=confidence,
            comment=comment,
            effective_on=day,
            created_at=created,
            **reading,
        )

    def _close_previous_quarter(self) -> None:
        closed = list(Objective.objects.filter(organization=self.org, timeframe=self.previous))
        recompute_organization(self.org.pk)  # scores are suggested from the final progress
        progress = dict(
            Objective.objects.filter(organization=self.org, timeframe=self.previous).values_list("pk", "progress")
        )
        closed_at = timezone.make_aware(datetime.datetime.combine(self.previous.ends_on, datetime.time(17)))
        with translation.override(self.org.language):
            questions = closing.reflection_questions(self.org)
        for objective in closed:
            score = closing.suggested_score(progress[objective.pk])
            objective.score = score
            objective.outcome = closing.suggested_outcome(score, objective.commitment)
            objective.reflection = dict(zip(questions, self.rng.choice(content.PREVIOUS_REFLECTIONS), strict=True))
            objective.closed_at = closed_at
        Objective.objects.bulk_update(closed, ["score", "outcome", "reflection", "closed_at"])
        self._link_carried_objectives(closed)

    def _link_carried_objectives(self, closed) -> None:
        """A current objective with last quarter's title continues it, as a carry-over would have made it."""
        previous = {objective.title: objective for objective in closed}
        continuing = list(
            Objective.objects.filter(organization=self.org, timeframe=self.current, title__in=list(previous))
        )
        for objective in continuing:
            objective.carried_over_from = previous[objective.title]
        Objective.objects.bulk_update(continuing, ["carried_over_from"])

    # --- KPIs and initiatives ------------------------------------------------------------------

    def _kpis(self) -> None:
        step = {"weekly": 7, "monthly": 30, "quarterly": 91}
        values, kpis = [], []
        for name, unit, cadence, rule, low, high, owner, _drift, first, last in content.KPIS:
            kpi = KPI.objects.create(
                organization=self.org,
                name=name,
                unit=unit,
                cadence=cadence,
                rule=rule,
                owner=self._lead(owner),
                rule_min=None if low is None else Decimal(str(low)),
                rule_max=None if high is None else Decimal(str(high)),
            )
            KPIGroup.objects.create(organization=self.org, kpi=kpi, group=self.groups[self._group_of(kpi.owner)])
            points = 730 // step[cadence]
            for index in range(points + 1):
                day = self.today - datetime.timedelta(days=step[cadence] * (points - index))
                share = index / points
                value = first + (last - first) * share + self.rng.uniform(-1, 1) * abs(last - first) * 0.06
                values.append(
                    KPIValue(
                        organization=self.org,
                        kpi=kpi,
                        value=Decimal(str(round(value, 2))),
                        recorded_on=day,
                        author=kpi.owner,
                    )
                )
            kpis.append(kpi)
        KPIValue.objects.bulk_create(values, batch_size=1000)
        for kpi in kpis:
            refresh_kpi(kpi)
        self.objectives[(self.current.name, "c_reliable")].kpis.add(
            kpis[1], through_defaults={"organization": self.org}
        )

    # --- activity and conversations ------------------------------------------------------------

    def _recent_activity(self) -> None:
        """The feed's last three weeks: the check-ins of those weeks, each as the event it was."""
        since = self.today - datetime.timedelta(days=21)
        recent = sorted(
            (c for c in self.check_ins if c.effective_on >= since and c.key_result.objective.state == "active"),
            key=lambda c: (c.effective_on, c.pk),
        )
        tz = zoneinfo.ZoneInfo(self.org.time_zone)
        standing = {
            pk: (progress, status) for pk, progress, status in KeyResult.objects.values_list("pk", "progress", "status")
        }
        events, moments = [], []
        for check_in in recent:
            key_result = check_in.key_result
            after, status = standing[key_result.pk]
            events.append(
                Activity(
                    organization=self.org,
                    actor=check_in.author,
                    kind=Activity.Kind.CHECK_IN,
                    objective=key_result.objective,
                    key_result=key_result,
                    check_in=check_in,
                    data={
                        "objective": key_result.objective.title,
                        "key_result": key_result.title,
                        "progress_from": max(0.0, after - self.rng.uniform(0.02, 0.12)),
                        "progress_to": after,
                        "status_from": status,
                        "status_to": status,
                        "comment": check_in.comment,
                    },
                )
            )
            hour = self.rng.randint(8, 17)
            moments.append(datetime.datetime.combine(check_in.effective_on, datetime.time(hour), tzinfo=tz))
        Activity.objects.bulk_create(events, batch_size=1000)
        for event, moment in zip(events, moments, strict=True):
            event.created_at = moment
        Activity.objects.bulk_update(events, ["created_at"], batch_size=1000)

    def _conversations(self) -> None:
        """Comments through the services, as people would write them: mentions notify, reactions count.
        Their e-mails are not sent (the demo's past is not news)."""
        mentions = {}
        for key in {*self.people, *self.group_leads}:
            mentions[key] = f"@[{self._lead(key).full_name}]"
        now = timezone.now()
        count = len(content.CONVERSATIONS)
        for index, (objective_key, author, text, reactions) in enumerate(content.CONVERSATIONS):
            objective = self.objectives[(self.current.name, objective_key)]
            body = text.format(**mentions)
            comment = conversations.post_comment(actor=self._lead(author), target=objective, body=body)
            for person, emoji in reactions:
                conversations.toggle_reaction(actor=self._lead(person), comment=comment, emoji=emoji)
            written = now - datetime.timedelta(hours=3 + 7 * (count - 1 - index))  # in order, hours apart
            Comment.objects.filter(pk=comment.pk).update(created_at=written)
            Activity.objects.filter(comment=comment).update(created_at=written)
            Notification.objects.filter(comment=comment).update(created_at=written)
        Email.objects.filter(organization=self.org).update(state=Email.State.SKIPPED)

    def _integrations(self) -> None:
        """A key result fed by a nightly script through its secret URL (its token is not kept: a
        new one is made on the page), and a paused webhook with a short delivery log."""
        key_result = (
            KeyResult.objects.filter(
                organization=self.org, kind=KeyResult.Kind.METRIC, objective__timeframe=self.current
            )
            .select_related("owner", "objective__timeframe")
            .order_by("pk")
            .first()
        )
        feed, _token = feeds.create_push_feed(actor=key_result.owner, target=key_result, name="Nightly export")
        reached = key_result.start_value + (key_result.target_value - key_result.start_value) * Decimal("0.55")
        feeds.record_pushed(feed, value=reached.quantize(Decimal("0.01")))
        webhook = Webhook.objects.create(
            organization=self.org,
            name="Data warehouse",
            url="https://warehouse.example.com/hooks/lodestar",
            events=[Webhook.Event.CHECK_IN_CREATED, Webhook.Event.OBJECTIVE_STATUS_CHANGED],
            secret=secrets.token_hex(32),
            is_active=False,
        )
        now = timezone.now()
        for hours_ago, state, status, error in (
            (30, "sent", 200, ""),
            (6, "failed", 503, "HTTP 503 Service Unavailable"),
        ):
            Delivery.objects.create(
                organization=self.org,
                webhook=webhook,
                event=Webhook.Event.CHECK_IN_CREATED,
                event_id=uuid.uuid4(),
                payload={"event": Webhook.Event.CHECK_IN_CREATED},
                state=state,
                attempts=1 if state == "sent" else 6,
                response_status=status,
                last_error=error,
                next_attempt_at=now - datetime.timedelta(hours=hours_ago),
                sent_at=now - datetime.timedelta(hours=hours_ago) if state == "sent" else None,
            )

    # --- the OKR rollout ---------------------------------------------------------------------------

    def _rollout(self) -> None:
        """The rollout about five months in, run through the services as the ambassador would; the
        services stamp the moment they run, so dates are then set relative to today."""
        ambassador = self.people["ambassador"]
        self.rollout_start = self.today - datetime.timedelta(weeks=content.ROLLOUT_STARTED_WEEKS_AGO)
        rollout_services.start_rollout(actor=ambassador, starts_on=self.rollout_start)
        self._rollout_steps()
        groups = self._rollout_groups(ambassador)
        self._open_round(ambassador)
        self._closed_round(ambassador)
        # The worker nudged the first group's members behind on the day after its date.
        first = groups[0]
        nudged_on = first.target_on + datetime.timedelta(days=1)
        nudges.nudge_group(self.org, first.pk, nudged_on)
        moment = self._moment(nudged_on, 9)
        Nudge.objects.filter(organization=self.org, rollout_group=first).update(created_at=moment)
        Notification.objects.filter(organization=self.org, kind=Notification.Kind.NUDGED).update(created_at=moment)

    def _week(self, weeks: int) -> datetime.date:
        """A day of the rollout, counted in weeks from its start."""
        return self.rollout_start + datetime.timedelta(weeks=weeks)

    def _moment(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        """That day at that hour where the organization is, never later than now."""
        moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(self.org.time_zone))
        return min(moment, timezone.now())

    def _rollout_steps(self) -> None:
        """The proposed plan's steps whose date has passed are done (a few days early or late),
        except the first rollout group's milestone: its challenge round is still open."""
        steps = list(RolloutStep.objects.filter(organization=self.org).order_by("due_on", "pk"))
        for step in steps:
            weeks = (step.due_on - self.rollout_start).days // 7
            if weeks in content.ROLLOUT_STEP_OWNERS:
                step.owner = self._lead(content.ROLLOUT_STEP_OWNERS[weeks])
            left_open = step.kind == RolloutStep.Kind.MILESTONE and weeks == content.ROLLOUT_OVERDUE_MILESTONE_WEEKS
            if step.due_on < self.today and not left_open:
                step.done_on = min(self.today, step.due_on + datetime.timedelta(days=self.rng.randint(-6, 2)))
        RolloutStep.objects.bulk_update(steps, ["owner", "done_on"])

    def _rollout_groups(self, ambassador: Membership) -> list[RolloutGroup]:
        groups = []
        for name, description, goal, target_week, invited_week, keys, trainings in content.ROLLOUT_GROUPS:
            members = [self._lead(key) for key in keys]
            group = rollout_services.create_rollout_group(
                actor=ambassador,
                name=name,
                description=description,
                coach=ambassador,
                target_stage=goal,
                target_on=self._week(target_week),
                members=members,
            )
            invited = self._moment(self._week(invited_week))
            RolloutGroup.objects.filter(organization=self.org, pk=group.pk).update(created_at=invited)
            RolloutGroupMember.objects.filter(organization=self.org, rollout_group=group).update(added_at=invited)
            for week, topic, absent in trainings:
                missing = {self._lead(key).pk for key in absent}
                session = rollout_services.record_session(
                    actor=ambassador,
                    rollout_group=group,
                    held_on=self._week(week),
                    topic=topic,
                    attendees=[person for person in members if person.pk not in missing],
                )
                TrainingSession.objects.filter(organization=self.org, pk=session.pk).update(
                    created_at=self._moment(self._week(week), 17)
                )
            groups.append(group)
        return groups

    def _open_round(self, ambassador: Membership) -> None:
        """The first rollout group reviews the draft company OKRs: some have submitted their
        feedback, an author answered, a point is resolved; one reviewer has not submitted yet."""
        spec = content.ROLLOUT_OPEN_ROUND
        objectives = {key: self.objectives[(self.current.name, key)] for key in spec["objectives"]}
        key_results = {key: list(o.key_results.order_by("position", "pk")) for key, o in objectives.items()}
        deadline = self.today + datetime.timedelta(days=spec["deadline_in_days"])
        opened = rollout_services.open_round(
            actor=ambassador,
            title=spec["title"],
            deadline=max(deadline, self.org.today()),  # the service refuses a past deadline
            objectives=list(objectives.values()),
            reviewers=[self._lead(key) for key in content.ROLLOUT_GROUPS[0][5]],
        )
        opened_at = timezone.now() - datetime.timedelta(days=spec["opened_days_ago"])
        ChallengeRound.objects.filter(organization=self.org, pk=opened.pk).update(
            deadline=deadline, opened_at=opened_at
        )

        def key_result(objective_key, position):
            return None if position is None else key_results[objective_key][position]

        for index, (reviewer, objective_key, points, question) in enumerate(spec["reviews"]):
            rollout_services.save_review(
                actor=self._lead(reviewer),
                challenge=opened,
                objective=objectives[objective_key],
                verdicts={
                    (key_result(objective_key, position), criterion): (verdict, comment)
                    for position, criterion, verdict, comment in points
                },
                question=question,
            )
            FeedbackPoint.objects.filter(
                organization=self.org,
                round=opened,
                reviewer__membership=self._lead(reviewer),
                objective=objectives[objective_key],
            ).update(created_at=opened_at + datetime.timedelta(hours=20 + 14 * index))
        for reviewer in spec["submitted"]:
            submitted = rollout_services.submit_review(actor=self._lead(reviewer), challenge=opened)
            last_point = FeedbackPoint.objects.filter(organization=self.org, reviewer=submitted).order_by("-created_at")
            submitted.submitted_at = last_point.first().created_at + datetime.timedelta(hours=1)
            submitted.save(update_fields=["submitted_at"])

        def point(reviewer, objective_key, position, criterion):
            return FeedbackPoint.objects.select_related("round", "reviewer", "objective").get(
                organization=self.org,
                round=opened,
                reviewer__membership=self._lead(reviewer),
                objective=objectives[objective_key],
                key_result=key_result(objective_key, position),
                criterion=criterion,
            )

        for reviewer, objective_key, position, criterion, author, text in spec["replies"]:
            reply = rollout_services.reply_to_point(
                actor=self._lead(author), point=point(reviewer, objective_key, position, criterion), text=text
            )
            FeedbackReply.objects.filter(organization=self.org, pk=reply.pk).update(
                created_at=timezone.now() - datetime.timedelta(hours=20)
            )
        for reviewer, objective_key, position, criterion, by in spec["resolved"]:
            resolved = rollout_services.resolve_point(
                actor=self._lead(by), point=point(reviewer, objective_key, position, criterion), resolved=True
            )
            FeedbackPoint.objects.filter(organization=self.org, pk=resolved.pk).update(
                resolved_at=timezone.now() - datetime.timedelta(hours=6)
            )

    def _closed_round(self, ambassador: Membership) -> None:
        """The round that challenged this quarter's first team objectives as it began: closed,
        with its decision log, the objectives published (they have been active since)."""
        spec = content.ROLLOUT_CLOSED_ROUND
        opened_at = self._moment(self._week(spec["opened_week"]))
        closed_at = self._moment(self._week(spec["closed_week"]), 16)
        closed = ChallengeRound.objects.create(
            organization=self.org,
            title=spec["title"],
            deadline=self._week(spec["deadline_week"]),
            state=ChallengeRound.State.CLOSED,
            opened_by=ambassador,
            closed_by=ambassador,
            closed_at=closed_at,
            summary=spec["summary"],
        )
        ChallengeRound.objects.filter(organization=self.org, pk=closed.pk).update(opened_at=opened_at)
        entries = []
        for key, decision, changed_title, target_then in spec["objectives"]:
            objective = self.objectives[(self.current.name, key)]
            snapshot = rollout_services.objective_snapshot(objective)
            for key_result in snapshot["key_results"]:
                if key_result["title"] == changed_title:
                    key_result["target"] = str(target_then)  # what it said when the round opened
            entries.append(
                RoundObjective(
                    organization=self.org,
                    round=closed,
                    objective=objective,
                    snapshot=snapshot,
                    decision=decision,
                    published=True,
                )
            )
        RoundObjective.objects.bulk_create(entries)
        reviewers = {
            reviewer.membership_id: reviewer
            for reviewer in Reviewer.objects.bulk_create(
                Reviewer(
                    organization=self.org,
                    round=closed,
                    membership=self._lead(key),
                    submitted_at=opened_at + datetime.timedelta(days=3, hours=index),
                )
                for index, key in enumerate(content.ROLLOUT_GROUPS[0][5])
            )
        }
        FeedbackPoint.objects.bulk_create(
            FeedbackPoint(
                organization=self.org,
                round=closed,
                reviewer=reviewers[self._lead(reviewer).pk],
                objective=self.objectives[(self.current.name, objective_key)],
                criterion=criterion,
                verdict=verdict,
                text=text,
                resolved_at=closed_at if verdict == FeedbackPoint.Verdict.DISAGREE else None,
                resolved_by=ambassador if verdict == FeedbackPoint.Verdict.DISAGREE else None,
            )
            for reviewer, objective_key, criterion, verdict, text in spec["points"]
        )
        FeedbackPoint.objects.filter(organization=self.org, round=closed).update(
            created_at=opened_at + datetime.timedelta(days=2)
        )

    def _initiatives(self) -> None:
        for title, owner, state, objective_keys in content.INITIATIVES:
            initiative = Initiative.objects.create(
                organization=self.org,
                title=title,
                state=state,
                owner=self._lead(owner),
                due_on=self.current.ends_on - datetime.timedelta(days=self.rng.randint(0, 40)),
            )
            for key in objective_keys:
                key_result = self.objectives[(self.current.name, key)].key_results.order_by("position").first()
                InitiativeKeyResult.objects.create(organization=self.org, initiative=initiative, key_result=key_result)
