"""The published OpenAPI schema is the contract of ``/api/v1/``: what it allows the server takes,
what it refuses the server answers 422, and every status an operation can answer is documented.

- ``Body``: the base of every request body (unknown fields refused: ``additionalProperties: false``;
  a JSON array, string or null where an object belongs is a 422).
- ``Text``, ``Choice``, ``Number``, ``Id``, ``Flag``, ``Day``, ``Whole``: field types whose schema
  states the bounds, the pattern or the values the server checks (with the same check).
- ``Patch[X]``: a PATCH body of any of X's fields; a field that cannot be empty is not nullable.
- ``ContractAPI``: documents the shared error answers (400, 401, 403, 404, 409, 422, 429) on every
  operation, so an operation added anywhere gets them without listing them.

422 means the request breaks the schema; 409 means the schema allows it but Lodestar's rules or
the organization's data refuse it (a rule between fields, an id that names nothing the caller may
see, a name already taken, a timeframe that still holds objectives); both answer ``{"detail": …}``.
"""

import dataclasses
import datetime
import re
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, create_model
from pydantic_core import PydanticCustomError

# Values are stored with 20 digits, 4 after the decimal point (core.validation.MAX_ABS_VALUE).
VALUE_LIMIT = 1e16
_CONTROL = r"\u0000-\u001f\u007f-\u009f"
_CONTROL_BUT_LINES = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"


class Body(Schema):
    """A request body: a JSON object with the fields its schema names, no others."""

    model_config = ConfigDict(extra="forbid")


def _text_pattern(*, required: bool, multiline: bool) -> str:
    refused = _CONTROL_BUT_LINES if multiline else _CONTROL
    if required:  # something other than space
        return rf"^[^{refused}]*[^\s{refused}][^{refused}]*$"
    return rf"^[^{refused}]*$"


def Text(max_length: int, *, required: bool = False, multiline: bool = False):  # noqa: N802 - a type
    """Text of at most ``max_length`` characters without control characters (line breaks and tabs
    only where ``multiline``); ``required``: not only space. The server checks the schema's own
    pattern (searched as JSON Schema does)."""
    pattern = _text_pattern(required=required, multiline=multiline)
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.search(value):
            if required and not value.strip():
                raise PydanticCustomError("text_required", _("This field is required."))
            raise PydanticCustomError("text_control", _("Remove the control characters from this text."))
        return value

    return Annotated[str, Field(max_length=max_length), _Pattern(pattern), AfterValidator(check)]


@dataclasses.dataclass(frozen=True)
class _Pattern:
    """A pattern stated in the schema and checked by a validator of ours: pydantic's own pattern
    check uses another regular expression engine than JSON Schema tools (``$`` differs)."""

    pattern: str

    def __get_pydantic_json_schema__(self, core_schema, handler):
        field_schema = handler(core_schema)
        field_schema["pattern"] = self.pattern
        return field_schema


def Choice(choices):  # noqa: N802 - a type
    """One of a Django ``choices`` class's values, as an inline enum (no shared component: several
    models name their choices ``State``)."""
    return Literal[tuple(choices.values)]


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date_text(value):
    """A date arrives as text like 2026-11-30 (pydantic would also read a number as a Unix time)."""
    if (isinstance(value, str) and _DATE.fullmatch(value)) or isinstance(value, datetime.date):
        return value
    raise PydanticCustomError("date_type", _("Give a date like 2026-11-30."))


# A finite number the database can store (strict: whole numbers are numbers too; true and "5" are not).
Number = Annotated[float, Field(strict=True, gt=-VALUE_LIMIT, lt=VALUE_LIMIT, allow_inf_nan=False)]


def _json_number(value):
    """A JSON number (3 and 3.0 are the same integer to JSON Schema); not true, not "3"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", _("Enter a whole number."))
    return value


Id = Annotated[int, Field(gt=0, lt=2**63), BeforeValidator(_json_number)]
Flag = Annotated[bool, Field(strict=True)]
Day = Annotated[datetime.date, BeforeValidator(_date_text)]


def Whole(minimum: int, maximum: int):  # noqa: N802 - a type
    return Annotated[int, Field(ge=minimum, le=maximum), BeforeValidator(_json_number)]


class _PatchOf:
    """``Patch[X]``: a body naming any of X's fields (at least none). A field X requires is
    optional but not nullable; one X lets be null stays nullable."""

    _made: dict = {}

    def __getitem__(self, schema: type[Schema]) -> type[Body]:
        if schema not in self._made:
            fields = {
                name: (
                    info.rebuild_annotation(),
                    Field(None, description=info.description, json_schema_extra=_without_default),
                )
                for name, info in schema.model_fields.items()
            }
            self._made[schema] = create_model(f"{schema.__name__}Patch", __base__=Body, **fields)
        return self._made[schema]


def _without_default(field_schema: dict) -> None:
    field_schema.pop("default", None)


Patch = _PatchOf()


def changes(payload: Body) -> dict:
    """The fields a PATCH sent."""
    return payload.model_dump(exclude_unset=True)


# --- documented answers ---------------------------------------------------------------------------

ERROR_BODY = {
    "type": "object",
    "properties": {
        "detail": {
            "description": "What went wrong: a message, a list of messages or problems, or messages by field.",
            "anyOf": [{"type": "string"}, {"type": "array"}, {"type": "object"}],
        }
    },
    "required": ["detail"],
}
ERRORS = {
    400: "The body is not JSON.",
    401: "No valid token or session.",
    403: "The caller may not do this (a read-only token writes, a member changes what only admins may).",
    404: "Nothing by this id that the caller may see.",
    409: (
        "The request is well-formed, but Lodestar's rules or the organization's data refuse it: a rule "
        "between fields, an id in the body that names nothing the caller may see, a name already taken, "
        "a timeframe that still holds objectives. `detail` names the fields and why."
    ),
    422: "The request does not match this schema (a missing or unknown field, a wrong type, a value out of bounds).",
    429: "Too many calls: wait the seconds of the Retry-After header.",
}


def document_errors(operation: dict, *, has_body: bool) -> None:
    """Add the shared error answers to one OpenAPI operation (those it does not document itself)."""
    responses = operation.setdefault("responses", {})
    statuses = [403, 404, 409, 422]
    if has_body:
        statuses.append(400)
    if operation.get("security"):
        statuses += [401, 429]
    for status in sorted(statuses):
        key = status if status in responses else str(status)  # ninja's own keys are numbers
        responses.setdefault(key, {"content": {"application/json": {"schema": ERROR_BODY}}})
        responses[key]["description"] = ERRORS[status]


class ContractAPI(NinjaAPI):
    """A NinjaAPI whose schema documents the shared error answers on every operation."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                if isinstance(operation, dict) and "responses" in operation:
                    document_errors(
                        operation, has_body="requestBody" in operation or method in ("post", "put", "patch")
                    )
        return schema
