"""The end of a cycle, as pure functions: a timeframe's lifecycle, the suggested score of an
objective and what it means, the reflection questions, and the figures a carried-over key result
starts from. The services in ``services/`` apply them."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lodestar.okrs.models import KeyResult, Objective, Timeframe

# planning → active → closing → closed; closing can go back to active, and an admin may reopen a
# closed timeframe (back to closing), which its history records.
TIMEFRAME_TRANSITIONS = {
    Timeframe.State.PLANNING: (Timeframe.State.ACTIVE,),
    Timeframe.State.ACTIVE: (Timeframe.State.CLOSING, Timeframe.State.PLANNING),
    Timeframe.State.CLOSING: (Timeframe.State.CLOSED, Timeframe.State.ACTIVE),
    Timeframe.State.CLOSED: (Timeframe.State.CLOSING,),
}

# What a good score is: committed objectives are expected to be met in full, aspirational ones
# (stretch goals) count as a success at about 0.7.
EXPECTED_SCORE = {
    Objective.Commitment.COMMITTED: Decimal("1.0"),
    Objective.Commitment.ASPIRATIONAL: Decimal("0.7"),
}

DEFAULT_REFLECTION_QUESTIONS = (
    gettext_lazy("What went well?"),
    gettext_lazy("What did we learn?"),
    gettext_lazy("What do we do next?"),
)
REFLECTION_ANSWER_MAX = 5_000


def can_change_timeframe_state(current: str, new: str) -> bool:
    return new in TIMEFRAME_TRANSITIONS.get(current, ())


def next_state_actions(current: str) -> list[tuple[str, str]]:
    """The buttons of a timeframe: each state it may go to, worded as the action."""
    wording = {
        (Timeframe.State.PLANNING, Timeframe.State.ACTIVE): _("Start"),
        (Timeframe.State.ACTIVE, Timeframe.State.CLOSING): _("Start closing"),
        (Timeframe.State.ACTIVE, Timeframe.State.PLANNING): _("Back to planning"),
        (Timeframe.State.CLOSING, Timeframe.State.CLOSED): _("Close"),
        (Timeframe.State.CLOSING, Timeframe.State.ACTIVE): _("Back to active"),
        (Timeframe.State.CLOSED, Timeframe.State.CLOSING): _("Reopen"),
    }
    return [(new, wording[(current, new)]) for new in TIMEFRAME_TRANSITIONS.get(current, ())]


def suggested_score(progress: float) -> Decimal:
    """The score an objective's progress suggests, to one decimal as OKR scores are given."""
    clamped = min(max(Decimal(str(progress)), Decimal(0)), Decimal(1))
    return clamped.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def suggested_outcome(score: Decimal, commitment: str) -> str:
    return Objective.Outcome.ACCOMPLISHED if score >= EXPECTED_SCORE[commitment] else Objective.Outcome.MISSED


def score_meaning(score: Decimal, commitment: str) -> str:
    """One sentence on what a score says for an objective of this commitment."""
    expected = EXPECTED_SCORE[commitment]
    if commitment == Objective.Commitment.COMMITTED:
        if score >= expected:
            return _("Delivered what was committed.")
        return _("A committed objective is expected at 1.0: this one fell short of the commitment.")
    if score >= expected:
        return _("An aspirational objective at 0.7 or more is a success: the stretch paid off.")
    if score >= Decimal("0.4"):
        return _("Real progress on a stretch goal, short of the 0.7 that counts as success.")
    return _("Well short of the ambition: worth asking whether it was the right goal or the right time.")


def reflection_questions(organization) -> list[str]:
    """The organization's own questions, or the defaults in the reader's language."""
    return list(organization.reflection_questions) or [str(question) for question in DEFAULT_REFLECTION_QUESTIONS]


@dataclass(frozen=True)
class CarriedFigures:
    kind: str
    start_value: Decimal | None
    target_value: Decimal | None


def carried_figures(key_result: KeyResult) -> CarriedFigures:
    """A carried-over metric continues from where it stands; when it stands at its target already,
    or never moved, it starts again from its start value, since a metric needs distinct figures."""
    start = key_result.start_value
    current = key_result.current_value
    if key_result.kind == KeyResult.Kind.METRIC and current is not None and current != key_result.target_value:
        start = current
    return CarriedFigures(kind=key_result.kind, start_value=start, target_value=key_result.target_value)


def is_unfinished(key_result: KeyResult) -> bool:
    return key_result.progress < 1
