"""KPI health: the goal rule as a pure function (bounds inclusive)."""

from decimal import Decimal

from lodestar.kpis.models import KPI


def is_healthy(*, rule: str, value: Decimal | None, rule_min: Decimal | None, rule_max: Decimal | None) -> bool:
    """Healthy when there is no rule or no value yet, or the value satisfies the rule."""
    if rule == KPI.Rule.NONE or value is None:
        return True
    if rule == KPI.Rule.AT_LEAST:
        return value >= rule_min
    if rule == KPI.Rule.AT_MOST:
        return value <= rule_max
    if rule == KPI.Rule.BETWEEN:
        return rule_min <= value <= rule_max
    raise ValueError(f"unknown KPI rule {rule!r}")
