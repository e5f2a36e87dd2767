"""Reading a column of dated values pasted from a spreadsheet: one ``date,value`` per line.

Dates are ISO (2026-11-30) or German/European (30.11.2026); the separator is a comma, a semicolon
or a tab; with a semicolon or a tab the value may use a decimal comma (1.234,5 as a German
spreadsheet writes it). Empty lines and a first line of headings are skipped. Every line is read,
so that every mistake can be reported at once, each with its line number.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.core.validation import clean_number

ROWS_MAX = 5000
EARLIEST = datetime.date(1900, 1, 1)
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


@dataclass(frozen=True)
class PastedRow:
    line: int
    recorded_on: datetime.date
    value: object  # a Decimal


def read_pasted_values(text: str, *, today: datetime.date) -> tuple[list[PastedRow], list[str]]:
    """(rows, messages): the rows read, and one message per line that could not be read."""
    rows, messages = [], []
    lines = str(text).splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rows.append(_read_line(number, line, today))
        except ValidationError as error:
            if number == 1 and not _has_digit(line):
                continue  # a line of headings such as "date,value"
            messages.append(_("Line %(number)s: %(problem)s") % {"number": number, "problem": error.messages[0]})
    if len(rows) + len(messages) > ROWS_MAX:
        return [], [_("Paste at most %(limit)s lines at once.") % {"limit": ROWS_MAX}]
    if not rows and not messages:
        messages.append(_("Paste at least one line with a date and a value."))
    return rows, messages


def _has_digit(line: str) -> bool:
    return any(char.isdigit() for char in line)


def _read_line(number: int, line: str, today: datetime.date) -> PastedRow:
    stripped = line.strip()
    separator = next((char for char in ("\t", ";") if char in stripped), ",")
    parts = [part.strip() for part in stripped.split(separator, 1)]
    if len(parts) != 2 or not parts[1]:
        raise ValidationError(_("write a date and a value, separated by a comma, a semicolon or a tab."))
    day = _read_date(parts[0], today)
    value = parts[1]
    if separator != ",":  # a German spreadsheet: 1.234,5
        value = value.replace(".", "").replace(",", ".") if "," in value else value
    if value.count(".") > 1 or any(char.isspace() for char in value):
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": parts[1][:40]})
    try:
        number_value = clean_number(value, field="value")
    except ValidationError as error:
        raise ValidationError(
            _("“%(value)s”: %(problem)s") % {"value": parts[1][:40], "problem": error.messages[0]}
        ) from None
    return PastedRow(number, day, number_value)


def _read_date(text: str, today: datetime.date) -> datetime.date:
    german = _GERMAN_DATE.match(text)
    try:
        if german:
            day, month, year = (int(group) for group in german.groups())
            parsed = datetime.date(year, month, day)
        else:
            parsed = datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _("“%(text)s” is not a date; write it as 2026-11-30 or 30.11.2026.") % {"text": text[:40]}
        ) from None
    if parsed > today:
        raise ValidationError(_("%(date)s is in the future.") % {"date": parsed.isoformat()})
    if parsed < EARLIEST:
        raise ValidationError(_("%(date)s is before 1900.") % {"date": parsed.isoformat()})
    return parsed
