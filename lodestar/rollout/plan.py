"""The rollout plan the customer story followed, proposed when an ambassador starts a rollout,
and what a plan step's state is on a given day (pure functions)."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lodestar.rollout.models import RolloutStep

PHASE, MILESTONE = RolloutStep.Kind.PHASE, RolloutStep.Kind.MILESTONE


@dataclass(frozen=True)
class ProposedStep:
    kind: str
    title: str
    description: str
    weeks: int  # target date: this many weeks after the start


# About eight months part-time, as in the story: two months to investigate and choose, the first
# rollout group by week 17, every lead onboarded by week 26, the kick-off two weeks later.
PROPOSED_PLAN = (
    ProposedStep(
        PHASE,
        _("Investigate and choose"),
        _("Learn the method, decide why the company needs it, choose the tool and write the rollout concept."),
        8,
    ),
    ProposedStep(
        PHASE,
        _("Form the rollout team"),
        _("The OKR ambassador, someone from HR and a sponsor from leadership who stands behind the rollout."),
        9,
    ),
    ProposedStep(
        PHASE,
        _("First rollout group with the draft company OKRs"),
        _(
            "Train about five critical lead-level people. They challenge the draft company OKRs and draft the "
            "first team OKRs aligned to them."
        ),
        16,
    ),
    ProposedStep(
        MILESTONE,
        _("First rollout group done"),
        _("The company OKRs are challenged and revised; the first team objectives are drafted and aligned."),
        17,
    ),
    ProposedStep(
        PHASE,
        _("More rollout groups"),
        _("Groups of about six joiners each are trained and introduce OKRs to their teams."),
        25,
    ),
    ProposedStep(MILESTONE, _("All leads onboarded"), _("Every head of department and team lead is onboarded."), 26),
    ProposedStep(
        MILESTONE,
        _("Company kick-off"),
        _("Walk everyone through the company OKRs together, for example at the New Year's breakfast."),
        28,
    ),
    ProposedStep(PHASE, _("First cycle"), _("Every team checks in on its key results every week."), 41),
    ProposedStep(
        MILESTONE, _("First close"), _("Score the objectives, reflect, and carry over what is unfinished."), 42
    ),
)


def proposed_steps(starts_on: datetime.date) -> list[tuple[ProposedStep, datetime.date]]:
    """The proposed plan with target dates counted from ``starts_on``."""
    return [(step, starts_on + datetime.timedelta(weeks=step.weeks)) for step in PROPOSED_PLAN]


class StepState:
    DONE = "done"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    UPCOMING = "upcoming"


DUE_SOON_DAYS = 14


def step_state(*, due_on: datetime.date, done_on: datetime.date | None, today: datetime.date) -> str:
    """Done once ticked; overdue after its target date; due soon within two weeks of it."""
    if done_on is not None:
        return StepState.DONE
    if today > due_on:
        return StepState.OVERDUE
    if (due_on - today).days <= DUE_SOON_DAYS:
        return StepState.DUE_SOON
    return StepState.UPCOMING
