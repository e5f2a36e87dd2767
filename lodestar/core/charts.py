"""Line charts over a date range, drawn as server-side SVG (no chart script, nothing inline for
the CSP to refuse). This module only does the geometry; components/line_chart.html draws it."""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lodestar.core.templatetags.lodestar import figure

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 12, 28  # room for the axis labels


@dataclass(frozen=True)
class Line:
    """A series to draw: ``kind`` names its look (CSS class ``chart-line-<kind>``)."""

    label: str
    kind: str
    points: Sequence[tuple[datetime.date, float]]
    dots: bool = False


@dataclass(frozen=True)
class Band:
    """A horizontal band between two values (None: the edge of the plot), e.g. a KPI's goal."""

    label: str
    low: float | None
    high: float | None


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    plot: tuple[int, int, int, int] = (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM)
    lines: list[dict] = field(default_factory=list)
    bands: list[dict] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    today_x: float | None = None
    description: str = ""


def line_chart(
    *,
    starts_on: datetime.date,
    ends_on: datetime.date,
    lines: Sequence[Line],
    y_range: tuple[float, float],
    y_label: Callable[[float], str],
    x_label: Callable[[datetime.date], str],
    today: datetime.date | None = None,
    description: str = "",
    bands: Sequence[Band] = (),
) -> Chart:
    """Scale ``lines`` and ``bands`` onto the plot: x from ``starts_on`` to ``ends_on``, y over
    ``y_range`` (widened when the data or the bands' bounds leave it); points outside the dates are
    clamped to the edges."""
    low, high = y_range
    bounds = [float(bound) for band in bands for bound in (band.low, band.high) if bound is not None]
    values = [value for line in lines for _, value in line.points] + bounds
    if values:
        low, high = min(low, *values), max(high, *values)
    if high == low:
        high = low + 1
    span_days = max((ends_on - starts_on).days, 1)
    left, top, right, bottom = LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(day: datetime.date) -> float:
        fraction = min(max((day - starts_on).days / span_days, 0.0), 1.0)
        return round(left + fraction * (right - left), 1)

    def y(value: float) -> float:
        return round(bottom - (float(value) - low) / (high - low) * (bottom - top), 1)

    chart = Chart(description=description)
    for band in bands:
        band_top = top if band.high is None else y(band.high)
        band_bottom = bottom if band.low is None else y(band.low)
        chart.bands.append(
            {
                "label": band.label,
                "x": left,
                "y": band_top,
                "width": right - left,
                "height": round(band_bottom - band_top, 1),
            }
        )
    for line in lines:
        points = [(x(day), y(value)) for day, value in line.points]
        chart.lines.append(
            {
                "label": line.label,
                "kind": line.kind,
                "path": " ".join(f"{px},{py}" for px, py in points),
                "dots": points if line.dots else [],
            }
        )
    chart.y_ticks = [(y(low + (high - low) * step / 4), y_label(low + (high - low) * step / 4)) for step in range(5)]
    chart.x_ticks = [
        (x(day), x_label(day))
        for day in (starts_on + datetime.timedelta(days=span_days * step / 4) for step in range(5))
    ]
    if today is not None and starts_on <= today <= ends_on:
        chart.today_x = x(today)
    return chart


def compact_figure(value: float) -> str:
    """An axis label: one decimal below 100, none above, in the reader's number format."""
    rounded = round(value, 1) if abs(value) < 100 else round(value)
    return figure(rounded)
