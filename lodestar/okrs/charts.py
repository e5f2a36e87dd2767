"""The two charts of the goal pages: an objective's progress over time against the expected
progress, and a key result's value over time against its start, target and expected path."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lodestar.core.charts import Chart, Line, compact_figure, line_chart
from lodestar.core.templatetags.lodestar import percent
from lodestar.okrs.models import KeyResult, Timeframe


def _day(day: datetime.date) -> str:
    return date_format(day, "MONTH_DAY_FORMAT")


def objective_progress_chart(timeframe: Timeframe, snapshots, today: datetime.date) -> Chart:
    """Progress per day recorded (snapshots of (date, progress)) and the expected line 0 → 100 %."""
    start, end = timeframe.starts_on, timeframe.ends_on
    actual = [(day, progress) for day, progress in snapshots if start <= day <= end]
    return line_chart(
        starts_on=start,
        ends_on=end,
        lines=[
            Line(_("Expected"), "expected", [(start, 0.0), (end, 1.0)]),
            Line(_("Progress"), "actual", actual, dots=len(actual) < 40),
        ],
        y_range=(0.0, 1.0),
        y_label=percent,
        x_label=_day,
        today=today,
        description=_("Progress over time against the expected progress"),
    )


def key_result_chart(key_result, timeframe: Timeframe, check_ins, today: datetime.date) -> Chart | None:
    """Values (or estimates) of the check-ins over time, with the lines that give them meaning.
    None for milestones: done or not done is a fact, not a curve."""
    start, end = timeframe.starts_on, timeframe.ends_on
    oldest_first = sorted(check_ins, key=lambda check_in: check_in.effective_on)
    kind = key_result.kind
    if kind == KeyResult.Kind.MILESTONE:
        return None
    if kind == KeyResult.Kind.ESTIMATE:
        actual = [(c.effective_on, float(c.percent)) for c in oldest_first if c.percent is not None]
        lines = [Line(_("Expected"), "expected", [(start, 0.0), (end, 100.0)])]
        y_range, y_label = (0.0, 100.0), lambda value: percent(value / 100)
    else:
        actual = [(c.effective_on, float(c.value)) for c in oldest_first if c.value is not None]
        target = float(key_result.target_value)
        lines = [Line(_("Target"), "target", [(start, target), (end, target)])]
        if kind == KeyResult.Kind.METRIC:
            begin = float(key_result.start_value)
            lines.insert(0, Line(_("Expected"), "expected", [(start, begin), (end, target)]))
            y_range = (min(begin, target), max(begin, target))
        else:
            y_range = (target * 0.5, target * 1.5) if target else (-1.0, 1.0)
        y_label = compact_figure
    lines.append(Line(_("Check-ins"), "actual", actual, dots=True))
    return line_chart(
        starts_on=start,
        ends_on=end,
        lines=lines,
        y_range=y_range,
        y_label=y_label,
        x_label=_day,
        today=today,
        description=_("Value over time against the target and the expected path"),
    )
