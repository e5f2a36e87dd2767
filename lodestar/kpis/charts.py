"""The KPI page's chart: the values per period of the KPI's cadence against its goal band."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lodestar.core.charts import Band, Chart, Line, compact_figure, line_chart
from lodestar.kpis.models import KPI


def kpi_chart(kpi: KPI, periods, today: datetime.date, goal: str) -> Chart:
    """``periods``: (period start, value) oldest first; ``goal``: the rule in words, for the band's label."""
    points = [(day, float(value)) for day, value in periods]
    starts_on = points[0][0] if points else today - datetime.timedelta(days=365)
    ends_on = max(today, points[-1][0]) if points else today
    if (ends_on - starts_on).days < 30:  # a month at least, so the dates on the axis stay apart
        starts_on = ends_on - datetime.timedelta(days=30)
    bands = []
    if kpi.rule != KPI.Rule.NONE:
        low = float(kpi.rule_min) if kpi.rule_min is not None else None
        high = float(kpi.rule_max) if kpi.rule_max is not None else None
        bands.append(Band(_("Healthy: %(goal)s") % {"goal": goal}, low, high))
    values = [value for _day, value in points] or [0.0, 1.0]
    values += [bound for band in bands for bound in (band.low, band.high) if bound is not None]
    margin = (max(values) - min(values)) * 0.15 or 1.0  # room beyond the goal's bound, so its band shows
    return line_chart(
        starts_on=starts_on,
        ends_on=ends_on,
        lines=[Line(_("Value per period"), "actual", points, dots=len(points) <= 60)],
        bands=bands,
        y_range=(min(values) - margin, max(values) + margin),
        y_label=compact_figure,
        x_label=lambda day: date_format(
            day, "YEAR_MONTH_FORMAT" if (ends_on - starts_on).days > 120 else "MONTH_DAY_FORMAT"
        ),
        today=today,
        description=_("Values over time against the goal"),
    )
