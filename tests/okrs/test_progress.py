"""The brief's domain math, pinned by examples and by properties (hypothesis)."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lodestar.okrs import progress as math
from lodestar.okrs.models import KeyResult, Status

values = st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=4)
unit = st.floats(min_value=0, max_value=1)
statuses = st.sampled_from([s.value for s in Status])


def test_metric_progress_is_the_share_of_the_way_from_start_to_target():
    assert math.metric_progress(start=Decimal(10), target=Decimal(20), current=Decimal(15)) == 0.5


def test_metric_progress_counts_down_when_the_target_is_below_the_start():
    assert math.metric_progress(start=Decimal("2.4"), target=Decimal("1.2"), current=Decimal("1.5")) == 0.75
    assert math.metric_direction(Decimal("2.4"), Decimal("1.2")) == "down"


def test_metric_progress_is_clamped_to_zero_and_one():
    assert math.metric_progress(start=Decimal(0), target=Decimal(10), current=Decimal(-5)) == 0.0
    assert math.metric_progress(start=Decimal(0), target=Decimal(10), current=Decimal(25)) == 1.0


def test_threshold_counts_fully_while_satisfied_and_not_at_all_otherwise():
    above = {"kind": KeyResult.Kind.THRESHOLD, "target": Decimal("99.9"), "threshold_direction": "above"}
    assert math.key_result_progress(**above, value=Decimal("99.9")) == 1.0  # bound inclusive
    assert math.key_result_progress(**above, value=Decimal("99.8")) == 0.0
    below = {"kind": KeyResult.Kind.THRESHOLD, "target": Decimal("2.5"), "threshold_direction": "below"}
    assert math.key_result_progress(**below, value=Decimal("2.5")) == 1.0
    assert math.key_result_progress(**below, value=Decimal("2.6")) == 0.0
    assert math.key_result_progress(**below, value=None) == 0.0


def test_milestone_is_done_or_not():
    assert math.key_result_progress(kind=KeyResult.Kind.MILESTONE, done=True) == 1.0
    assert math.key_result_progress(kind=KeyResult.Kind.MILESTONE, done=False) == 0.0
    assert math.key_result_progress(kind=KeyResult.Kind.MILESTONE) == 0.0


def test_estimate_is_the_owners_percentage():
    assert math.key_result_progress(kind=KeyResult.Kind.ESTIMATE, percent=Decimal(35)) == 0.35


def test_objective_progress_weights_key_results():
    assert math.weighted_progress([(1.0, 3), (0.0, 1)]) == 0.75


def test_objective_progress_with_default_weights_is_the_plain_mean():
    assert math.weighted_progress([(0.2, 1), (0.4, 1), (0.9, 1)]) == (0.2 + 0.4 + 0.9) / 3


def test_negative_contributions_count_as_zero_and_no_drivers_mean_no_progress():
    assert math.weighted_progress([(-0.5, 1), (0.5, 1)]) == 0.25
    assert math.weighted_progress([]) == 0.0


def test_expected_progress_is_elapsed_share_of_the_timeframe():
    start, end = datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)
    assert math.expected_progress(starts_on=start, ends_on=end, on=start) == 0.0
    assert math.expected_progress(starts_on=start, ends_on=end, on=end) == 1.0
    assert math.expected_progress(starts_on=start, ends_on=end, on=datetime.date(2026, 11, 15)) == 45 / 91
    assert math.expected_progress(starts_on=start, ends_on=end, on=datetime.date(2027, 3, 1)) == 1.0
    assert math.expected_progress(starts_on=start, ends_on=end, on=datetime.date(2026, 1, 1)) == 0.0


def test_automatic_status_uses_the_organizations_factors():
    def status(progress):
        return math.automatic_status(
            progress=progress, expected=0.5, on_track_factor=Decimal("0.8"), needs_attention_factor=Decimal("0.5")
        )

    assert status(0.40) == Status.ON_TRACK  # 0.8 × 0.5 exactly
    assert status(0.39) == Status.NEEDS_ATTENTION
    assert status(0.25) == Status.NEEDS_ATTENTION  # 0.5 × 0.5 exactly
    assert status(0.24) == Status.OFF_TRACK


def test_key_result_status_is_what_the_owner_said_until_accomplished():
    assert math.key_result_status(progress=0.3, reported_status=None) == Status.NONE
    assert math.key_result_status(progress=0.3, reported_status=Status.OFF_TRACK) == Status.OFF_TRACK
    assert math.key_result_status(progress=1.0, reported_status=Status.OFF_TRACK) == Status.ACCOMPLISHED


def test_objective_status_is_the_weakest_driver_ignoring_none():
    assert math.objective_status([Status.ON_TRACK, Status.NONE, Status.NEEDS_ATTENTION]) == Status.NEEDS_ATTENTION
    assert math.objective_status([Status.ACCOMPLISHED, Status.OFF_TRACK]) == Status.OFF_TRACK
    assert math.objective_status([Status.NONE, Status.NONE]) == Status.NONE
    assert math.objective_status([]) == Status.NONE


def test_objective_is_accomplished_only_when_every_driver_is():
    assert math.objective_status([Status.ACCOMPLISHED, Status.ACCOMPLISHED]) == Status.ACCOMPLISHED
    assert math.objective_status([Status.ACCOMPLISHED, Status.NONE]) == Status.ON_TRACK


@given(start=values, target=values, current=values)
def test_metric_progress_stays_within_bounds(start, target, current):
    assert 0.0 <= math.metric_progress(start=start, target=target, current=current) <= 1.0


@given(start=values, target=values, a=values, b=values)
def test_metric_progress_moves_with_the_current_value_in_the_direction_of_the_target(start, target, a, b):
    if start == target:
        return
    low, high = sorted((a, b))
    progress_low = math.metric_progress(start=start, target=target, current=low)
    progress_high = math.metric_progress(start=start, target=target, current=high)
    if target > start:
        assert progress_low <= progress_high
    else:
        assert progress_low >= progress_high


@given(st.lists(st.tuples(unit, st.decimals(min_value="0.01", max_value=1000, places=2)), min_size=1, max_size=20))
def test_weighted_progress_lies_between_the_smallest_and_largest_driver(drivers):
    result = math.weighted_progress(drivers)
    assert min(p for p, _ in drivers) - 1e-9 <= result <= max(p for p, _ in drivers) + 1e-9


@given(st.lists(unit, min_size=1, max_size=20), st.integers(min_value=1, max_value=50))
def test_scaling_every_weight_equally_does_not_change_progress(progresses, factor):
    plain = math.weighted_progress((p, 1) for p in progresses)
    scaled = math.weighted_progress((p, factor) for p in progresses)
    assert abs(plain - scaled) < 1e-9


@given(st.lists(statuses, max_size=12))
def test_objective_status_is_never_stronger_than_any_reported_driver(driver_statuses):
    result = math.objective_status(driver_statuses)
    reported = [s for s in driver_statuses if s != Status.NONE]
    if not reported:
        assert result == Status.NONE
    else:
        assert all(math.status_rank(result) <= math.status_rank(s) for s in reported)


@given(
    days=st.integers(min_value=1, max_value=3000),
    offset=st.integers(min_value=-5000, max_value=5000),
    later=st.integers(min_value=0, max_value=100),
)
def test_expected_progress_is_bounded_and_grows_with_time(days, offset, later):
    start = datetime.date(2026, 1, 1)
    end = start + datetime.timedelta(days=days)
    on = start + datetime.timedelta(days=offset)
    first = math.expected_progress(starts_on=start, ends_on=end, on=on)
    second = math.expected_progress(starts_on=start, ends_on=end, on=on + datetime.timedelta(days=later))
    assert 0.0 <= first <= second <= 1.0


@given(st.lists(st.tuples(unit, st.integers(min_value=1, max_value=9)), min_size=2, max_size=30), st.randoms())
def test_objective_progress_does_not_depend_on_the_order_of_its_drivers(drivers, random):
    shuffled = list(drivers)
    random.shuffle(shuffled)
    assert math.weighted_progress(drivers) == math.weighted_progress(shuffled)


@pytest.mark.parametrize(
    ("state", "visibility", "drives"),
    [
        ("active", "public", True),
        ("closed", "public", True),
        ("draft", "public", False),
        ("active", "private", False),
        ("closed", "private", False),
        ("draft", "private", False),
    ],
)
def test_only_public_objectives_that_are_not_drafts_drive_their_parent(state, visibility, drives):
    assert math.drives_parent(state=state, visibility=visibility) is drives
