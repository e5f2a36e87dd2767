"""KPIs: a goal rule with inclusive bounds, a value history, health from the latest value."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from lodestar.core.errors import NotAllowed, NotFound
from lodestar.kpis import aggregation, services
from lodestar.kpis.health import health_since, is_healthy, is_update_due, next_update_due
from lodestar.kpis.models import KPI, KPIValue
from tests.conftest import reload


def test_health_follows_the_rule_with_inclusive_bounds():
    between = {"rule": KPI.Rule.BETWEEN, "rule_min": Decimal(10), "rule_max": Decimal(20)}
    assert is_healthy(**between, value=Decimal(10)) and is_healthy(**between, value=Decimal(20))
    assert not is_healthy(**between, value=Decimal("20.01"))
    assert is_healthy(rule=KPI.Rule.AT_LEAST, rule_min=Decimal(5), rule_max=None, value=Decimal(5))
    assert not is_healthy(rule=KPI.Rule.AT_MOST, rule_min=None, rule_max=Decimal(5), value=Decimal(6))
    assert is_healthy(rule=KPI.Rule.NONE, rule_min=None, rule_max=None, value=Decimal(-1))
    assert is_healthy(rule=KPI.Rule.AT_LEAST, rule_min=Decimal(5), rule_max=None, value=None)


def test_the_latest_value_decides_the_health(cast):
    kpi = services.create_kpi(
        actor=cast.member,
        name="Open tickets",
        owner=cast.member,
        rule="at_most",
        rule_max=60,
        groups=[cast.engineering],
    )
    today = cast.today
    services.record_kpi_value(actor=cast.member, kpi=kpi, value=80, recorded_on=today)
    assert (reload(kpi).current_value, reload(kpi).is_healthy) == (Decimal(80), False)
    services.record_kpi_value(actor=cast.member, kpi=kpi, value=55, recorded_on=today - datetime.timedelta(days=7))
    assert reload(kpi).current_value == Decimal(80)  # a backfilled older value does not replace the latest
    services.record_kpi_value(actor=cast.member, kpi=kpi, value=50, recorded_on=today)  # a correction the same day
    assert reload(kpi).is_healthy


def test_a_between_rule_with_the_bounds_reversed_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        services.create_kpi(actor=cast.owner, name="NPS", owner=cast.owner, rule="between", rule_min=70, rule_max=30)
    assert "rule_max" in error.value.message_dict
    assert not KPI.objects.exists()


def test_only_the_owner_and_admins_update_a_kpi_and_other_organizations_not_at_all(cast):
    kpi = services.create_kpi(actor=cast.owner, name="Revenue", owner=cast.member)
    with pytest.raises(NotAllowed):
        services.record_kpi_value(actor=cast.sales, kpi=kpi, value=1, recorded_on=cast.today)
    with pytest.raises(NotFound):
        services.record_kpi_value(actor=cast.beta_owner, kpi=kpi, value=1, recorded_on=cast.today)
    with pytest.raises(NotAllowed):
        services.create_kpi(actor=cast.viewer, name="Mine", owner=cast.viewer)
    services.record_kpi_value(actor=cast.admin, kpi=kpi, value=1, recorded_on=cast.today)
    assert reload(kpi).current_value == 1


# --- the domain math, on generated cases ---------------------------------------------------------------


numbers = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31))


@given(value=numbers, low=numbers, high=numbers)
def test_the_goal_rules_count_their_bounds_as_met(value, low, high):
    assert is_healthy(rule="at_least", value=value, rule_min=low, rule_max=None) == (value >= low)
    assert is_healthy(rule="at_most", value=value, rule_min=None, rule_max=high) == (value <= high)
    if low <= high:
        assert is_healthy(rule="between", value=value, rule_min=low, rule_max=high) == (low <= value <= high)
        assert is_healthy(rule="between", value=low, rule_min=low, rule_max=high)
        assert is_healthy(rule="between", value=high, rule_min=low, rule_max=high)


@given(low=numbers, high=numbers)
def test_a_between_rule_with_the_lower_bound_above_the_upper_is_refused(low, high):
    if low > high:
        with pytest.raises(ValidationError):
            services._clean_rule("between", low, high)
    else:
        assert services._clean_rule("between", low, high) == (low, high)


values = st.lists(st.tuples(days, numbers), max_size=40)
cadences = st.sampled_from(KPI.Cadence.values)


@given(values=values, cadence=cadences)
def test_every_value_falls_into_exactly_one_period_of_its_cadence(values, cadence):
    summed = dict(aggregation.per_period(values, cadence=cadence, aggregation="sum"))
    assert sum(summed.values(), Decimal(0)) == sum((value for _day, value in values), Decimal(0))
    assert list(summed) == sorted(summed)
    for day, _value in values:
        start = aggregation.period_start(day, cadence)
        assert start <= day and start in summed
        assert aggregation.period_start(start, cadence) == start


@given(values=values, cadence=cadences)
def test_latest_takes_the_last_dated_value_and_average_stays_between_the_extremes(values, cadence):
    latest = dict(aggregation.per_period(values, cadence=cadence, aggregation="latest"))
    average = dict(aggregation.per_period(values, cadence=cadence, aggregation="average"))
    for start in latest:
        period = [(day, value) for day, value in values if aggregation.period_start(day, cadence) == start]
        newest_day = max(day for day, _value in period)
        assert latest[start] == [value for day, value in period if day == newest_day][-1]
        assert min(v for _d, v in period) <= average[start] <= max(v for _d, v in period)


def test_health_since_is_the_start_of_the_current_run():
    newest_first = [(datetime.date(2026, 11, d), Decimal(v)) for d, v in ((30, 70), (23, 65), (16, 50), (9, 80))]
    rule = {"rule": "at_most", "rule_min": None, "rule_max": Decimal(60)}
    assert health_since(newest_first, **rule) == datetime.date(2026, 11, 23)
    assert health_since(newest_first[2:], **rule) == datetime.date(2026, 11, 16)
    assert health_since([], **rule) is None


def test_an_update_is_due_when_the_cadence_has_passed():
    last = datetime.date(2026, 1, 31)
    assert next_update_due(last, "weekly") == datetime.date(2026, 2, 7)
    assert next_update_due(last, "monthly") == datetime.date(2026, 2, 28)
    assert next_update_due(last, "quarterly") == datetime.date(2026, 4, 30)
    assert not is_update_due(last, "monthly", datetime.date(2026, 2, 27))
    assert is_update_due(last, "monthly", datetime.date(2026, 2, 28))
    assert is_update_due(None, "weekly", datetime.date(2026, 2, 1))


# --- services -----------------------------------------------------------------------------------------------


def test_changing_the_goal_judges_the_health_again_at_once(cast):
    kpi = services.create_kpi(actor=cast.member, name="Open tickets", owner=cast.member, rule="at_most", rule_max=60)
    services.record_kpi_value(actor=cast.member, kpi=kpi, value=55)
    assert reload(kpi).is_healthy
    services.update_kpi(actor=cast.member, kpi=kpi, rule="at_most", rule_max=50)
    assert not reload(kpi).is_healthy and reload(kpi).health_since == cast.today


def test_leads_of_a_kpis_groups_update_it_and_others_do_not(cast):
    kpi = services.create_kpi(actor=cast.owner, name="Uptime", owner=cast.member, groups=[cast.engineering])
    services.record_kpi_value(actor=cast.lead, kpi=kpi, value=99)
    for outsider in (cast.sales, cast.viewer):
        with pytest.raises(NotAllowed):
            services.record_kpi_value(actor=outsider, kpi=kpi, value=1)
        with pytest.raises(NotAllowed):
            services.update_kpi(actor=outsider, kpi=kpi, name="Mine")


def test_values_cannot_be_dated_in_the_future_or_before_1900(cast):
    kpi = services.create_kpi(actor=cast.member, name="Uptime", owner=cast.member)
    for day in (cast.today + datetime.timedelta(days=1), datetime.date(1899, 12, 31)):
        with pytest.raises(ValidationError) as refused:
            services.record_kpi_value(actor=cast.member, kpi=kpi, value=1, recorded_on=day)
        assert "recorded_on" in refused.value.message_dict
    assert not kpi.values.exists()


def test_pasted_values_are_saved_all_or_none_with_every_wrong_line_named(cast):
    kpi = services.create_kpi(actor=cast.member, name="Revenue", owner=cast.member, rule="at_least", rule_min=400)
    future = (cast.today + datetime.timedelta(days=3)).isoformat()
    text = f"date,value\n2026-01-31,380\n28.02.2026;401,5\n2026-02-30,1\n2026-03-31,many\n{future},2\n\n2026-04-30\t512"
    with pytest.raises(ValidationError) as refused:
        services.import_kpi_values(actor=cast.member, kpi=kpi, text=text)
    problems = refused.value.message_dict["text"]
    assert [problem.split(":")[0] for problem in problems] == ["Line 4", "Line 5", "Line 6"]
    assert not kpi.values.exists()
    saved = services.import_kpi_values(actor=cast.member, kpi=kpi, text="date,value\n2026-01-31,380\n28.02.2026;401,5")
    assert saved == 2
    assert reload(kpi).current_value == Decimal("401.5") and reload(kpi).is_healthy


def test_removing_a_value_falls_back_to_the_one_before_and_keeps_it_in_history(cast):
    kpi = services.create_kpi(actor=cast.member, name="Uptime", owner=cast.member, rule="at_least", rule_min=99)
    services.record_kpi_value(
        actor=cast.member, kpi=kpi, value=99.5, recorded_on=cast.today - datetime.timedelta(days=7)
    )
    mistake = services.record_kpi_value(actor=cast.member, kpi=kpi, value=9)
    mistake_id = mistake.pk
    assert not reload(kpi).is_healthy
    services.delete_kpi_value(actor=cast.member, entry=mistake)
    assert reload(kpi).current_value == Decimal("99.5") and reload(kpi).is_healthy
    assert KPIValue.history.filter(id=mistake_id, history_type="-").exists()
