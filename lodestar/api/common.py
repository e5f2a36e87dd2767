"""What every API operation shares: the statuses it may answer, the ``updated_since`` filter,
turning payload ids into rows the caller may use, and the page size."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination, paginate

from lodestar.api.contract import changes  # noqa: F401 - the endpoints' one import for shared helpers
from lodestar.api.schemas import Error
from lodestar.core.errors import NotFound

# The other shared answers (400, 409, …) are documented on every operation by contract.ContractAPI.
CLIENT_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error}
PAGE_SIZE = 50
LAST_PAGE = 10**9  # beyond it an offset no longer fits the database's integers


class RequestInvalid(Exception):
    """A request that breaks the schema in a way checked by hand: 422 with these messages."""

    def __init__(self, *messages: str):
        super().__init__(*messages)
        self.messages = list(messages)


# RFC 3339, as the schema's date-time format: a time zone is part of it. Parsed here: pydantic
# would also take a bare number as a Unix time, which the schema does not allow.
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
UpdatedSince = Field(None, json_schema_extra={"format": "date-time"}, description="Only rows changed since then.")


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=LAST_PAGE)
        page_size: int | None = Field(None, ge=1, description=f"At most {PAGE_SIZE} (more asks for {PAGE_SIZE}).")


def pages(view):
    """A list operation answering pages of PAGE_SIZE (``?page=2``; ``count`` says how many in all)."""
    return paginate(Pages, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)(view)


def moment(text: str) -> datetime.datetime:
    """An RFC 3339 date and time; at the ends of the calendar, the first or last moment there is."""
    parsed = None
    if DATE_TIME.fullmatch(text):
        try:
            parsed = datetime.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
        except ValueError:  # well-formed but impossible, like month 13
            parsed = None
    if parsed is None:
        raise RequestInvalid(_("updated_since: give a date and time like 2026-11-30T09:00:00Z."))
    try:
        return parsed.astimezone(datetime.UTC)
    except OverflowError:  # a time zone shift past year 1 or 9999
        return (
            datetime.datetime.min.replace(tzinfo=datetime.UTC)
            if parsed.year == 1
            else datetime.datetime.max.replace(tzinfo=datetime.UTC)
        )


def changed_since(found, text: str | None, field: str = "updated_at"):
    return found if text is None else found.filter(**{f"{field}__gte": moment(text)})


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
