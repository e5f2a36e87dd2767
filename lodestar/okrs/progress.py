"""The domain math of the brief, as pure functions (no database, no Django models).

Progress values are floats in [0, 1]. Inputs that come from the database
(values, weights, factors) may be ``Decimal``.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from math import fsum

from lodestar.okrs.models import KeyResult, Objective, Status

# Weakest first: an objective's status is the weakest status among its drivers.
STATUS_ORDER = (Status.OFF_TRACK, Status.NEEDS_ATTENTION, Status.ON_TRACK, Status.ACCOMPLISHED)
_STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}

Number = Decimal | float | int


def clamp_unit(value: float) -> float:
    """Clamp to [0, 1]."""
    return min(1.0, max(0.0, value))


def metric_direction(start: Number, target: Number) -> str:
    """'up' when the target is above the start, 'down' when below."""
    return "up" if target > start else "down"


def metric_progress(*, start: Number, target: Number, current: Number | None) -> float:
    """clamp((current − start) / (target − start), 0, 1); no reading yet means no progress."""
    if current is None or start == target:
        return 0.0
    return clamp_unit(float((Decimal(current) - Decimal(start)) / (Decimal(target) - Decimal(start))))


def threshold_satisfied(*, threshold: Number, direction: str, value: Number | None) -> bool:
    """Stay above: value ≥ threshold; stay below: value ≤ threshold (bounds inclusive)."""
    if value is None:
        return False
    if direction == KeyResult.ThresholdDirection.STAY_ABOVE:
        return value >= threshold
    return value <= threshold


def key_result_progress(
    *,
    kind: str,
    start: Number | None = None,
    target: Number | None = None,
    threshold_direction: str = "",
    value: Number | None = None,
    percent: Number | None = None,
    done: bool | None = None,
) -> float:
    """Progress of one key result from its definition and its latest reading.

    metric: linear between start and target; threshold: 1 while the latest value
    satisfies it, else 0; milestone: done → 1; estimate: the owner's percentage.
    """
    if kind == KeyResult.Kind.METRIC:
        return metric_progress(start=start, target=target, current=value)
    if kind == KeyResult.Kind.THRESHOLD:
        return 1.0 if threshold_satisfied(threshold=target, direction=threshold_direction, value=value) else 0.0
    if kind == KeyResult.Kind.MILESTONE:
        return 1.0 if done else 0.0
    if kind == KeyResult.Kind.ESTIMATE:
        return 0.0 if percent is None else clamp_unit(float(percent) / 100)
    raise ValueError(f"unknown key result type {kind!r}")


def weighted_progress(contributions: Iterable[tuple[float, Number]]) -> float:
    """Weighted mean of (progress, weight) pairs; negative contributions count as 0; none gives 0.

    Sums are exactly rounded (math.fsum), so the result does not depend on the order of the
    drivers: a roll-up and a recomputation from scratch agree to the last bit.
    """
    pairs = [(max(0.0, progress), float(weight)) for progress, weight in contributions]
    total_weight = fsum(weight for _, weight in pairs)
    if total_weight <= 0:
        return 0.0
    return clamp_unit(fsum(progress * weight for progress, weight in pairs) / total_weight)


def drives_parent(*, state: str, visibility: str) -> bool:
    """Whether an aligned objective counts among its parent's progress drivers.

    A draft counts nowhere (it is open for feedback, not yet a commitment), and a private objective
    never drives the progress or status of its parent, public or private: those who may see the
    parent are not always those who may see the child, and a parent's progress and status would
    otherwise tell them how the private child is doing.
    """
    return state != Objective.State.DRAFT and visibility != Objective.Visibility.PRIVATE


def expected_progress(*, starts_on: date, ends_on: date, on: date) -> float:
    """Share of the timeframe elapsed at ``on``: (on − start) / (end − start), clamped to [0, 1]."""
    length = (ends_on - starts_on).days
    if length <= 0:
        return 1.0 if on >= ends_on else 0.0
    return clamp_unit((on - starts_on).days / length)


def automatic_status(
    *, progress: float, expected: float, on_track_factor: Number, needs_attention_factor: Number
) -> str:
    """On track if progress ≥ on-track factor × expected, needs attention if ≥ needs-attention
    factor × expected, else off track."""
    if progress >= float(on_track_factor) * expected:
        return Status.ON_TRACK
    if progress >= float(needs_attention_factor) * expected:
        return Status.NEEDS_ATTENTION
    return Status.OFF_TRACK


def key_result_status(*, progress: float, reported_status: str | None) -> str:
    """Accomplished once progress reaches 1; otherwise what the owner last said, or none."""
    if progress >= 1.0:
        return Status.ACCOMPLISHED
    return reported_status or Status.NONE


def objective_status(driver_statuses: Iterable[str]) -> str:
    """The weakest status among the drivers, ignoring 'none'.

    'none' when no driver has a status; 'accomplished' only when every driver is.
    When every driver that has a status is accomplished but some have none yet,
    nothing is at risk and not everything is done: on track.
    """
    statuses = list(driver_statuses)
    known = [status for status in statuses if status != Status.NONE]
    if not known:
        return Status.NONE
    weakest = min(known, key=_STATUS_RANK.__getitem__)
    if weakest == Status.ACCOMPLISHED and len(known) < len(statuses):
        return Status.ON_TRACK
    return weakest


def status_rank(status: str) -> int:
    """Sort key, weakest first; 'none' sorts last."""
    return _STATUS_RANK.get(status, len(STATUS_ORDER))
