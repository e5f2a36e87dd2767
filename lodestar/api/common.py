"""What every API operation shares: the statuses it may answer, the ``updated_since`` filter,
turning payload ids into rows the caller may use, and the page size."""

import datetime
import typing

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Field
from ninja.pagination import PageNumberPagination, paginate

from lodestar.api.schemas import Error
from lodestar.core.errors import NotFound

CLIENT_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}
PAGE_SIZE = 50

# A text parsed here: pydantic would also take a bare number as a Unix time, which the schema's
# date-time does not allow.
UpdatedSince = Field(None, json_schema_extra={"format": "date-time"}, description="Only rows changed since then.")


def pages(view):
    """A list operation answering pages of PAGE_SIZE (``?page=2``; ``count`` says how many in all)."""
    return paginate(PageNumberPagination, page_size=PAGE_SIZE)(view)


def moment(text: str) -> datetime.datetime:
    try:
        parsed = parse_datetime(text)
    except ValueError:  # well-formed but impossible, like month 13
        parsed = None
    if parsed is None or not 1900 <= parsed.year <= 9998:  # at the very ends, a time zone shift overflows
        raise ValidationError(_("updated_since: give a date and time like 2026-11-30T09:00:00Z."))
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def changed_since(found, text: str | None, field: str = "updated_at"):
    return found if text is None else found.filter(**{f"{field}__gte": moment(text)})


def changes(payload: dict, schema) -> dict:
    """A PATCH body's fields, refusing null for a field that cannot be empty (ninja's PatchDict
    lets every field be null)."""
    for name, value in payload.items():
        if value is None and type(None) not in typing.get_args(schema.model_fields[name].annotation):
            raise ValidationError({name: [_("This field cannot be empty.")]})
    return dict(payload)


def resolve(actor, access, pk, *, field: str):
    """One related row named by id in a payload; an id the caller may not see is a field error."""
    if pk is None:
        return None
    try:
        return access(actor, pk)
    except NotFound:
        raise ValidationError({field: [_("No such %(field)s, or not visible to you.") % {"field": field}]}) from None


def resolve_all(actor, access, pks, *, field: str) -> list:
    return [resolve(actor, access, pk, field=field) for pk in dict.fromkeys(pks or ())]
