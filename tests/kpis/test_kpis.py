"""KPIs: a goal rule with inclusive bounds, a value history, health from the latest value."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lodestar.core.errors import NotAllowed, NotFound
from lodestar.kpis import services
from lodestar.kpis.health import is_healthy
from lodestar.kpis.models import KPI
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
