"""Validation of what people type, shared by every service.

Each helper returns the cleaned value or raises Django's ValidationError keyed by the
field name, so forms and the API can show the message next to the field.
"""

import datetime
import math
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Values are stored with 20 digits, 4 after the decimal point.
MAX_ABS_VALUE = Decimal("1e16")
VALUE_PLACES = Decimal("0.0001")


def _field_error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def clean_text(value, *, field: str, max_length: int, required: bool = False, multiline: bool = False) -> str:
    """Strip surrounding space; refuse control characters (NUL cannot even be stored) and overlong text."""
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise _field_error(field, _("This field is required."))
    allowed = {"\n", "\r", "\t"} if multiline else set()
    if any(unicodedata.category(char) == "Cc" and char not in allowed for char in text):
        raise _field_error(field, _("Remove the control characters from this text."))
    if len(text) > max_length:
        raise _field_error(
            field,
            _("Use at most %(limit)d characters (this text has %(length)d).")
            % {"limit": max_length, "length": len(text)},
        )
    return text


def clean_number(value, *, field: str, required: bool = True) -> Decimal | None:
    """A finite decimal that fits the database column, rounded to 4 places."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _field_error(field, _("Enter a number."))
        return None
    if isinstance(value, bool):
        raise _field_error(field, _("Enter a number."))
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise _field_error(field, _("Enter a number.")) from None
    if not number.is_finite() or (isinstance(value, float) and not math.isfinite(value)):
        raise _field_error(field, _("Enter a finite number."))
    if abs(number) >= MAX_ABS_VALUE:  # checked before rounding too: quantize fails on huge exponents
        raise _field_error(field, _("Enter a number smaller than 10,000,000,000,000,000."))
    number = number.quantize(VALUE_PLACES)
    if abs(number) >= MAX_ABS_VALUE:  # rounding can carry 9999…9.99995 over the limit
        raise _field_error(field, _("Enter a number smaller than 10,000,000,000,000,000."))
    return number + 0  # normalises -0 to 0


def is_plain_date(value) -> bool:
    """A date, not a datetime (which is a date too, to Python)."""
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def clean_choice(value, *, field: str, choices) -> str:
    if value not in choices.values:
        raise _field_error(field, _("Select one of the offered choices."))
    return value


def clean_search(value, *, max_length: int = 100) -> str:
    """A search text as typed into a search box: control characters dropped (PostgreSQL cannot even
    compare NUL), surrounding space stripped, cut to ``max_length``. Never raises: any input searches."""
    text = "".join(char for char in str(value or "") if unicodedata.category(char) != "Cc")
    return text.strip()[:max_length]
