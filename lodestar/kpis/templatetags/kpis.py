"""Template components of KPIs: the goal in words, the health pill and the sparkline. Tags in
Python like the progress bar: lists draw them for every KPI (make bench)."""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from lodestar.core.templatetags.lodestar import figure
from lodestar.kpis.models import KPI

register = template.Library()

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 96, 24, 3


@register.simple_tag
def kpi_goal(kpi) -> str:
    """The goal rule in words: "at least 400 k€", "between 30 and 70 points", "No goal"."""
    unit = f" {kpi.unit}" if kpi.unit else ""
    if kpi.rule == KPI.Rule.AT_LEAST:
        return _("at least %(value)s") % {"value": f"{figure(kpi.rule_min)}{unit}"}
    if kpi.rule == KPI.Rule.AT_MOST:
        return _("at most %(value)s") % {"value": f"{figure(kpi.rule_max)}{unit}"}
    if kpi.rule == KPI.Rule.BETWEEN:
        return _("between %(low)s and %(high)s") % {
            "low": figure(kpi.rule_min),
            "high": f"{figure(kpi.rule_max)}{unit}",
        }
    return _("No goal")


@register.simple_tag
def kpi_health(kpi):
    """The health pill: colour and words (healthy reuses on-track green, unhealthy off-track red),
    with since when as its title."""
    if kpi.current_value is None:
        return format_html('<span class="pill status-none">{}</span>', _("No value yet"))
    label = _("Healthy") if kpi.is_healthy else _("Unhealthy")
    since = ""
    if kpi.health_since:
        since = _("since %(date)s") % {"date": date_format(kpi.health_since, "SHORT_DATE_FORMAT")}
    status = "on_track" if kpi.is_healthy else "off_track"
    return format_html('<span class="pill status-{}" title="{}">{}</span>', status, since, label)


@register.simple_tag
def sparkline(kpi):
    """The KPI's recent values per period (``kpi.recent``) as a small line, its last point marked;
    the text alternative says the first and the last value."""
    points = kpi.recent
    if len(points) < 2:
        return format_html('<span class="sparkline-empty muted small">{}</span>', _("Not enough values yet"))
    values = [float(value) for _day, value in points]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / (len(values) - 1)
    coordinates = [
        (
            round(SPARK_PAD + index * step, 1),
            round(SPARK_HEIGHT - SPARK_PAD - (value - low) / span * (SPARK_HEIGHT - 2 * SPARK_PAD), 1),
        )
        for index, value in enumerate(values)
    ]
    label = _("From %(first)s to %(last)s over the last %(periods)s periods") % {
        "first": figure(points[0][1]),
        "last": figure(points[-1][1]),
        "periods": len(points),
    }
    last_x, last_y = coordinates[-1]
    return format_html(
        '<svg class="sparkline sparkline-{}" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">'
        '<polyline points="{}"></polyline><circle cx="{}" cy="{}" r="2.5"></circle></svg>',
        "healthy" if kpi.is_healthy else "unhealthy",
        SPARK_WIDTH,
        SPARK_HEIGHT,
        SPARK_WIDTH,
        SPARK_HEIGHT,
        label,
        " ".join(f"{x},{y}" for x, y in coordinates),
        last_x,
        last_y,
    )
