"""A KPI's values per period of its cadence, for its charts: the latest value of each period, or
their sum, or their average (the KPI's aggregation rule). Pure functions."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from lodestar.kpis.models import KPI


def period_start(day: datetime.date, cadence: str) -> datetime.date:
    """The Monday of the day's week, the first of its month, or the first day of its quarter."""
    if cadence == KPI.Cadence.WEEKLY:
        return day - datetime.timedelta(days=day.weekday())
    if cadence == KPI.Cadence.MONTHLY:
        return day.replace(day=1)
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def per_period(
    values: Iterable[tuple[datetime.date, Decimal]], *, cadence: str, aggregation: str
) -> list[tuple[datetime.date, Decimal]]:
    """(period start, value) for every period with values, oldest first. ``values`` come in the
    order they were entered; the latest of a period is the one with the latest date (the one
    entered last among those of that date)."""
    periods: dict[datetime.date, list[tuple[datetime.date, Decimal]]] = {}
    for day, value in values:
        periods.setdefault(period_start(day, cadence), []).append((day, value))
    result = []
    for start in sorted(periods):
        entries = periods[start]
        if aggregation == KPI.Aggregation.SUM:
            value = sum((value for _day, value in entries), Decimal(0))
        elif aggregation == KPI.Aggregation.AVERAGE:
            value = sum((value for _day, value in entries), Decimal(0)) / len(entries)
        elif aggregation == KPI.Aggregation.LATEST:
            value = max(enumerate(entries), key=lambda item: (item[1][0], item[0]))[1][1]
        else:
            raise ValueError(f"unknown KPI aggregation {aggregation!r}")
        result.append((start, value))
    return result
