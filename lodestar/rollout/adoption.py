"""The adoption funnel's arithmetic (pure): from what each person did and holds, the figures of
a segment (a rollout group, a department, everyone). Every figure is a set of people, so each
number on the dashboard links to the people behind it."""

from collections import defaultdict
from dataclasses import asdict, dataclass, field, fields

from django.utils.translation import gettext_lazy as _

from lodestar.rollout import journey
from lodestar.rollout.models import Stage


@dataclass
class Activity:
    """One person's check-ins: when they last did, and in which of the last weeks."""

    checked_in_ever: bool = False
    checked_in_7: bool = False
    checked_in_14: bool = False
    weeks: tuple[bool, ...] = ()


@dataclass
class AdoptionData:
    """What the selector read for the whole organization, keyed by membership id."""

    holders: set[int] = field(default_factory=set)  # lead, owner or contributor of a goal in the timeframe
    expected_to_check_in: set[int] = field(default_factory=set)  # own a key result of an active objective
    activity: dict[int, Activity] = field(default_factory=dict)
    drafts: list[tuple[int, int, bool, set[int]]] = field(
        default_factory=list
    )  # (objective, lead, in an open round, owning groups)
    group_objectives: list[tuple[int, int, set[int], bool]] = field(
        default_factory=list
    )  # (objective, lead, groups, aligned to a company objective)
    trained: set[int] = field(default_factory=set)
    led: set[int] = field(default_factory=set)  # lead an objective of any timeframe
    led_aligned: set[int] = field(default_factory=set)  # lead an aligned objective of any timeframe
    invited: set[int] = field(default_factory=set)  # in a rollout group


@dataclass
class Share:
    people: set[int]
    of: set[int]

    @property
    def ratio(self) -> float | None:
        return len(self.people) / len(self.of) if self.of else None


@dataclass
class Figures:
    people: set[int]
    with_goals: set[int]
    drafts: int
    drafts_in_round: int
    draft_leads: set[int]
    aligned: int
    group_objectives: int
    unaligned_leads: set[int]
    checked_in_7: Share
    checked_in_14: Share
    never_checked_in: set[int]
    stages: dict[str, set[int]]  # people who reached each stage

    @property
    def aligned_ratio(self) -> float | None:
        return self.aligned / self.group_objectives if self.group_objectives else None

    def measure(self, name: str) -> set[int]:
        """The people behind one number (see MEASURES)."""
        if name.startswith("stage-"):
            return self.stages.get(name.removeprefix("stage-"), set())
        return {
            "people": self.people,
            "with_goals": self.with_goals,
            "without_goals": self.people - self.with_goals,
            "draft_leads": self.draft_leads,
            "unaligned_leads": self.unaligned_leads,
            "checked_in_7": self.checked_in_7.people,
            "missed_7": self.checked_in_7.of - self.checked_in_7.people,
            "checked_in_14": self.checked_in_14.people,
            "missed_14": self.checked_in_14.of - self.checked_in_14.people,
            "never_checked_in": self.never_checked_in,
        }.get(name, set())


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Counts:
    """A segment's figures as numbers: what a snapshot keeps and the dashboard shows (the people
    behind each are kept apart, see MEASURES)."""

    people: int = 0
    with_goals: int = 0
    drafts: int = 0
    drafts_in_round: int = 0
    aligned: int = 0
    group_objectives: int = 0
    expected: int = 0  # own a key result of an active objective: whom the check-in rates count
    checked_in_7: int = 0
    checked_in_14: int = 0
    never_checked_in: int = 0
    stages: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, figures: Figures) -> "Counts":
        return cls(
            people=len(figures.people),
            with_goals=len(figures.with_goals),
            drafts=figures.drafts,
            drafts_in_round=figures.drafts_in_round,
            aligned=figures.aligned,
            group_objectives=figures.group_objectives,
            expected=len(figures.checked_in_7.of),
            checked_in_7=len(figures.checked_in_7.people),
            checked_in_14=len(figures.checked_in_14.people),
            never_checked_in=len(figures.never_checked_in),
            stages={stage: len(people) for stage, people in figures.stages.items()},
        )

    @classmethod
    def from_json(cls, stored: dict) -> "Counts":
        """Counts kept as JSON; a figure unknown to the stored version reads 0 until the next count."""
        return cls(**{known.name: stored[known.name] for known in fields(cls) if known.name in stored})

    def as_json(self) -> dict:
        return asdict(self)

    @property
    def with_goals_ratio(self) -> float | None:
        return _ratio(self.with_goals, self.people)

    @property
    def aligned_ratio(self) -> float | None:
        return _ratio(self.aligned, self.group_objectives)

    @property
    def checked_in_7_ratio(self) -> float | None:
        return _ratio(self.checked_in_7, self.expected)

    @property
    def checked_in_14_ratio(self) -> float | None:
        return _ratio(self.checked_in_14, self.expected)


MEASURES = (
    "people",
    "with_goals",
    "without_goals",
    "draft_leads",
    "unaligned_leads",
    "checked_in_7",
    "missed_7",
    "checked_in_14",
    "missed_14",
    "never_checked_in",
    *(f"stage-{stage}" for stage in journey.STAGES),
)


MEASURE_LABELS = {
    "people": _("Everyone"),
    "with_goals": _("People with an objective or key result"),
    "without_goals": _("People without an objective or key result"),
    "draft_leads": _("Leads of drafts"),
    "unaligned_leads": _("Leads of group objectives not aligned to a company objective"),
    "checked_in_7": _("Checked in within the last 7 days"),
    "missed_7": _("Did not check in within the last 7 days"),
    "checked_in_14": _("Checked in within the last 14 days"),
    "missed_14": _("Did not check in within the last 14 days"),
    "never_checked_in": _("Never checked in"),
}


def measure_label(measure: str) -> str:
    if measure.startswith("stage-"):
        return _("Reached: %(stage)s") % {"stage": Stage(measure.removeprefix("stage-")).label}
    return str(MEASURE_LABELS[measure])


def facts_of(person: int, data: AdoptionData) -> journey.Facts:
    activity = data.activity.get(person, Activity())
    return journey.Facts(
        invited=person in data.invited,
        trained=person in data.trained,
        drafted=person in data.led,
        aligned=person in data.led_aligned,
        checked_in=activity.checked_in_ever,
        steady=journey.checked_in_every_week(activity.weeks),
    )


@dataclass
class _Index:
    """The timeframe's drafts and group objectives by lead and by owning group, so that each of
    hundreds of segments looks up its own instead of scanning them all."""

    drafts_by_key: dict  # keyed ("lead", membership id) and ("group", group id)
    group_objectives_by_lead: dict
    group_objectives_by_group: dict


def _index(data: AdoptionData) -> _Index:
    if getattr(data, "_index", None) is None:
        drafts, by_lead, by_group = defaultdict(list), defaultdict(list), defaultdict(list)
        for entry in data.drafts:
            drafts[("lead", entry[1])].append(entry)
            for group in entry[3]:
                drafts[("group", group)].append(entry)
        for entry in data.group_objectives:
            by_lead[entry[1]].append(entry)
            for group in entry[2]:
                by_group[group].append(entry)
        data._index = _Index(drafts, by_lead, by_group)
    return data._index


def _reach(data: AdoptionData):
    """How far each person came (the furthest step's number, -1 for none), worked out once per person."""
    known = data.__dict__.setdefault("_reach", {})

    def reach(person: int) -> int:
        if person not in known:
            furthest = journey.furthest_stage(facts_of(person, data))
            known[person] = -1 if furthest is None else journey.STAGES.index(furthest)
        return known[person]

    return reach


def segment_figures(people: set[int], data: AdoptionData, *, groups: set[int] | None = None) -> Figures:
    """The figures of the people in a segment. Objectives belong to a segment through their lead,
    or, for a department (``groups``: it and its sub-groups), through the groups that own them."""
    index = _index(data)
    drafts = {entry[0]: entry for person in people for entry in index.drafts_by_key.get(("lead", person), ())}
    for group in groups or ():
        drafts.update((entry[0], entry) for entry in index.drafts_by_key.get(("group", group), ()))
    drafts = list(drafts.values())
    owned = {entry[0]: entry for person in people for entry in index.group_objectives_by_lead.get(person, ())}
    for group in groups or ():
        owned.update((entry[0], entry) for entry in index.group_objectives_by_group.get(group, ()))
    group_objectives = list(owned.values())
    expected = people & data.expected_to_check_in
    none = Activity()
    reach = _reach(data)
    return Figures(
        people=people,
        with_goals=people & data.holders,
        drafts=len(drafts),
        drafts_in_round=sum(1 for _, _, in_round, _ in drafts if in_round),
        draft_leads={lead for _, lead, _, _ in drafts},
        aligned=sum(1 for *_, aligned in group_objectives if aligned),
        group_objectives=len(group_objectives),
        unaligned_leads={lead for _, lead, _, aligned in group_objectives if not aligned},
        checked_in_7=Share({p for p in expected if data.activity.get(p, none).checked_in_7}, expected),
        checked_in_14=Share({p for p in expected if data.activity.get(p, none).checked_in_14}, expected),
        never_checked_in={p for p in people if not data.activity.get(p, none).checked_in_ever},
        stages={
            stage: {person for person in people if reach(person) >= number}
            for number, stage in enumerate(journey.STAGES)
        },
    )
