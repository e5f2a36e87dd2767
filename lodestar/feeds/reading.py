"""Finding the value in a polled document: a JSON field path or a CSV column.

JSON: dot-separated keys and list positions, ``data.metrics.revenue`` or ``results.0.value``
(``-1`` is the last item); a leading ``$.`` is allowed. CSV: the column's name (or its
1-based number); the value is taken from the last row that has one, so an export that grows by
a row a day gives today's figure. Numbers may be JSON numbers or text like "1,234.5" or "42 %".
"""

import csv
import io
import json
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _


class Unreadable(ValueError):
    """The document does not hold a number where the feed looks (the message says why)."""


def value_at(document: bytes, *, format: str, field_path: str) -> Decimal:
    text = document.decode("utf-8-sig", "replace")
    found = _from_json(text, field_path) if format == "json" else _from_csv(text, field_path)
    return number(found, field_path)


def _from_json(text: str, field_path: str):
    try:
        current = json.loads(text)
    except (ValueError, RecursionError) as error:  # RecursionError: nested deeper than Python goes
        raise Unreadable(_("The answer is not valid JSON.")) from error
    path = field_path.strip().removeprefix("$.").removeprefix("$")
    for step in [part for part in path.split(".") if part]:
        if isinstance(current, list):
            try:
                current = current[int(step)]
            except (ValueError, IndexError):
                raise Unreadable(_("“%(step)s” is not a position in the list there.") % {"step": step}) from None
        elif isinstance(current, dict) and step in current:
            current = current[step]
        else:
            raise Unreadable(_("The JSON has no field “%(step)s” there.") % {"step": step})
    return current


def _from_csv(text: str, column: str):
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:  # a field longer than the csv module takes, a NUL byte
        raise Unreadable(_("The CSV cannot be read: %(problem)s.") % {"problem": error}) from error
    if len(rows) < 2:
        raise Unreadable(_("The CSV has no rows under its header."))
    header = [name.strip() for name in rows[0]]
    wanted = column.strip()
    if wanted in header:
        position = header.index(wanted)
    elif wanted.isdigit() and 0 < int(wanted) <= len(header):
        position = int(wanted) - 1
    else:
        raise Unreadable(_("The CSV has no column “%(column)s”.") % {"column": wanted})
    for row in reversed(rows[1:]):
        if position < len(row) and row[position].strip():
            return row[position]
    raise Unreadable(_("The column “%(column)s” is empty.") % {"column": wanted})


_DECORATION = re.compile(r"[\s%€$£¥]|(?<=\d),(?=\d{3}\b)")


def number(found, field_path: str) -> Decimal:
    if isinstance(found, bool) or not isinstance(found, int | float | str):
        raise Unreadable(_("The value at “%(path)s” is not a number.") % {"path": field_path})
    try:
        value = Decimal(_DECORATION.sub("", found)) if isinstance(found, str) else Decimal(str(found))
    except InvalidOperation:
        raise Unreadable(_("“%(value)s” is not a number.") % {"value": str(found)[:40]}) from None
    if not value.is_finite():
        raise Unreadable(_("“%(value)s” is not a number.") % {"value": str(found)[:40]})
    return value
