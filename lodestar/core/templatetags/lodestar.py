from django import template
from django.utils.formats import number_format
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
    return _("%(number)s%%") % {"number": number_format(percent_number(fraction))}


@register.filter
def figure(value) -> str:
    """A stored decimal without trailing zeros, localized (1234.5000 → "1,234.5")."""
    if value is None:
        return "–"
    normalized = value.normalize() if hasattr(value, "normalize") else value
    if hasattr(normalized, "as_tuple") and normalized.as_tuple().exponent > 0:
        normalized = normalized.quantize(1)
    return number_format(normalized, force_grouping=True)
