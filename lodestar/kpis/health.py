"""KPI health and rhythm as pure functions: the goal rule (bounds inclusive), since when a KPI has
been as healthy (or not) as it is now, and when its next update is due by its cadence."""

import calendar
import datetime
from collections.abc import Iterable
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


def health_since(
    newest_first: Iterable[tuple[datetime.date, Decimal]], *, rule: str, rule_min, rule_max
) -> datetime.date | None:
    """The date of the oldest value in the unbroken run of values, newest first, that are as
    healthy as the newest: "unhealthy since 3 November". None without values."""
    since, healthy_now = None, None
    for day, value in newest_first:
        healthy = is_healthy(rule=rule, value=value, rule_min=rule_min, rule_max=rule_max)
        if healthy_now is None:
            healthy_now = healthy
        elif healthy != healthy_now:
            break
        since = day
    return since


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def next_update_due(last_recorded_on: datetime.date, cadence: str) -> datetime.date:
    """A weekly KPI is due a week after its latest value, a monthly one a month, a quarterly one three."""
    if cadence == KPI.Cadence.WEEKLY:
        return last_recorded_on + datetime.timedelta(days=7)
    return add_months(last_recorded_on, 1 if cadence == KPI.Cadence.MONTHLY else 3)


def is_update_due(last_recorded_on: datetime.date | None, cadence: str, today: datetime.date) -> bool:
    """Due when it has no value yet, or its cadence has passed since the latest."""
    return last_recorded_on is None or next_update_due(last_recorded_on, cadence) <= today


def due_if_recorded_by(cadence: str, today: datetime.date) -> datetime.date:
    """The latest date of a latest value that makes an update due today, so that a query can count
    the due KPIs (``last_recorded_on <= it``): the same days as ``is_update_due``, since a later
    value never falls due earlier."""
    day = (
        today - datetime.timedelta(days=7)
        if cadence == KPI.Cadence.WEEKLY
        else add_months(today, -3 if cadence == KPI.Cadence.QUARTERLY else -1)
    )
    while next_update_due(day + datetime.timedelta(days=1), cadence) <= today:  # the month-end days that clamp
        day += datetime.timedelta(days=1)
    return day
