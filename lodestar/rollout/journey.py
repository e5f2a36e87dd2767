"""A person's journey through the rollout, derived from what they did (pure functions).

invited → trained → drafted a first objective → first objective aligned → first check-in →
checking in on time for 4 weeks. Each step is met or not on its own (someone may check in before
their training); how far a person has come is the furthest step they met, so doing a later step
never leaves them "behind" on an earlier one.
"""

import datetime
from dataclasses import dataclass

from lodestar.rollout.models import Stage

STAGES: tuple[str, ...] = tuple(Stage.values)
STEADY_WEEKS = 4


@dataclass(frozen=True)
class Facts:
    """What the data says about one person."""

    invited: bool = False
    trained: bool = False
    drafted: bool = False
    aligned: bool = False
    checked_in: bool = False
    steady: bool = False

    def met(self, stage: str) -> bool:
        return getattr(self, stage)


def furthest_stage(facts: Facts) -> str | None:
    """The furthest step met, or None."""
    met = [stage for stage in STAGES if facts.met(stage)]
    return met[-1] if met else None


def has_reached(facts: Facts, stage: str) -> bool:
    """Met ``stage`` or any step after it."""
    furthest = furthest_stage(facts)
    return furthest is not None and STAGES.index(furthest) >= STAGES.index(stage)


def next_stage(facts: Facts) -> str | None:
    """The step after the furthest one met; None once the journey is complete."""
    furthest = furthest_stage(facts)
    index = STAGES.index(furthest) + 1 if furthest else 0
    return STAGES[index] if index < len(STAGES) else None


def week_windows(today: datetime.date, weeks: int = STEADY_WEEKS) -> list[tuple[datetime.date, datetime.date]]:
    """The last ``weeks`` seven-day windows ending today, newest first, as (first day, last day)."""
    return [
        (today - datetime.timedelta(days=7 * (n + 1) - 1), today - datetime.timedelta(days=7 * n)) for n in range(weeks)
    ]


def checked_in_every_week(weeks: tuple[bool, ...]) -> bool:
    """The last step's rule, from whether the person checked in in each of the last four windows."""
    return len(weeks) == STEADY_WEEKS and all(weeks)


def is_steady(check_in_days: set[datetime.date], today: datetime.date) -> bool:
    """Checked in at least once in each of the last four seven-day windows."""
    weeks = tuple(any(first <= day <= last for day in check_in_days) for first, last in week_windows(today))
    return checked_in_every_week(weeks)
