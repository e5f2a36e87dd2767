import functools

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent_number(fraction) -> int:
    """A fraction 0..1 as a whole percentage, for widths and ARIA values."""
    if fraction is None:
        return 0
    return round(float(fraction) * 100)


@register.filter
def percent(fraction) -> str:
    """A fraction 0..1 as a localized percentage ("42%", German "42 %")."""
    return _("%(number)s%%") % {"number": percent_number(fraction)}  # 0–100 needs no digit grouping


@register.filter
def figure(value) -> str:
    """A stored decimal without trailing zeros, localized (1234.5000 → "1,234.5")."""
    if value is None:
        return "–"
    normalized = value.normalize() if hasattr(value, "normalize") else value
    if hasattr(normalized, "as_tuple") and normalized.as_tuple().exponent > 0:
        normalized = normalized.quantize(1)
    return number_format(normalized, force_grouping=True)


@register.simple_tag
def progress_bar(progress, status, expected=None):
    """The progress bar component: fill coloured by status, a marker at the expected progress,
    and the value as text. SVG geometry keeps the CSP free of inline styles.

    A template tag rather than an include: it is drawn for every objective and key result on a
    page, and building it in Python costs a fraction of rendering template nodes (make bench).
    """
    value = percent(progress)
    if expected is None:
        label = _("%(value)s done") % {"value": value}
        marker = ""
    else:
        label = _("%(value)s done, %(expected)s expected by now") % {"value": value, "expected": percent(expected)}
        marker = format_html(
            '<rect class="progress-expected" x="{}%" width="2" height="100%" transform="translate(-1 0)"></rect>',
            percent_number(expected),
        )
    return format_html(
        '<div class="progress"><svg class="progress-track" role="img" aria-label="{}">'
        '<rect class="progress-bg" width="100%" height="100%"></rect>'
        '<rect class="progress-fill status-fill-{}" width="{}%" height="100%"></rect>{}</svg>'
        '<span class="progress-value">{}</span></div>',
        label,
        status,
        percent_number(progress),
        marker,
        value,
    )


@register.simple_tag
def status_pill(status, label):
    """The status pill component: colour carries the status, the label says it in words."""
    return format_html('<span class="pill status-{}">{}</span>', status, label)


@register.simple_tag
def avatar(person):
    """A person's initials in a circle, their name as the tooltip (anything with full_name and initials)."""
    return format_html(
        '<span class="avatar" title="{}" aria-hidden="true">{}</span>', person.full_name, person.initials
    )


_MARKER = 918273645546372819  # an id no row has, replaced by the real one


@functools.lru_cache(maxsize=1024)
def _url_pattern(name: str, org_slug: str, argument: str) -> str:
    return reverse(name, kwargs={"org_slug": org_slug, argument: _MARKER}).replace(str(_MARKER), "{}")


@register.simple_tag(takes_context=True)
def org_url(context, name, **argument):
    """``{% org_url "okrs:objective" objective_id=card.pk %}``: what ``{% url %}`` gives for a page of
    the request's organization that takes one id, from one reverse() per page and organization
    rather than one per row (long lists such as the alignment map draw hundreds; make bench)."""
    ((key, value),) = argument.items()
    return _url_pattern(name, context["organization"].slug, key).format(int(value))
