"""SCIM filters (RFC 7644 §3.4.2.2) as database queries. scim2-models parses and validates the
filter; this walks its syntax tree and turns each comparison of an attribute Lodestar can search
into a ``Q``. Any other attribute is an ``invalidFilter`` (400), never a silently wrong page."""

from dataclasses import dataclass

from django.db.models import Q
from scim2_models import InvalidFilterException
from scim2_models.path import CompareOperator, Comparison, LogicalExpr, LogicalOperator, Not, Present, ValuePath


@dataclass(frozen=True)
class Field:
    lookup: str
    case_exact: bool = False
    kind: str = "text"  # text, id, bool, date


USER_FIELDS = {
    "id": Field("pk", kind="id"),
    "username": Field("scim_user_name"),
    "externalid": Field("scim_user__external_id", case_exact=True),
    "displayname": Field("scim_display_name"),
    "emails": Field("user__email"),
    "emails.value": Field("user__email"),
    "title": Field("job_title"),
    "active": Field("is_active", kind="bool"),
    "meta.created": Field("joined_at", kind="date"),
}

GROUP_FIELDS = {
    "id": Field("pk", kind="id"),
    "displayname": Field("name"),
    "externalid": Field("scim_group__external_id", case_exact=True),
    "members": Field("group_memberships__membership_id", kind="id"),
    "members.value": Field("group_memberships__membership_id", kind="id"),
    "meta.created": Field("created_at", kind="date"),
}

_TEXT_LOOKUPS = {
    CompareOperator.eq: "exact",
    CompareOperator.co: "contains",
    CompareOperator.sw: "startswith",
    CompareOperator.ew: "endswith",
}
_ORDER_LOOKUPS = {
    CompareOperator.gt: "gt",
    CompareOperator.ge: "gte",
    CompareOperator.lt: "lt",
    CompareOperator.le: "lte",
}


def to_q(node, fields: dict[str, Field], prefix: str = "") -> Q:
    if isinstance(node, LogicalExpr):
        terms = [to_q(term, fields, prefix) for term in node.terms]
        combined = terms[0]
        for term in terms[1:]:
            combined = combined & term if node.op == LogicalOperator.and_ else combined | term
        return combined
    if isinstance(node, Not):
        return ~to_q(node.expr, fields, prefix)
    if isinstance(node, ValuePath):
        return to_q(node.val_filter, fields, prefix=_name(node.attr_path) + ".")
    if isinstance(node, Present):
        field = _field(fields, prefix + _name(node.attr_path))
        present = Q(**{f"{field.lookup}__isnull": False})
        return present & ~Q(**{field.lookup: ""}) if field.kind == "text" else present
    if isinstance(node, Comparison):
        return _comparison(node, _field(fields, prefix + _name(node.attr_path)))
    raise InvalidFilterException(detail="This filter is not supported")


def _name(attr_path) -> str:
    name = attr_path.attr if attr_path.sub_attr is None else f"{attr_path.attr}.{attr_path.sub_attr}"
    return name.lower()


def _field(fields: dict[str, Field], name: str) -> Field:
    if name not in fields:
        searchable = ", ".join(sorted(fields))
        raise InvalidFilterException(detail=f"Cannot filter on {name!r}; filter on one of: {searchable}")
    return fields[name]


def _comparison(node: Comparison, field: Field) -> Q:
    op, value = node.op, node.value
    if op == CompareOperator.ne:
        return ~_comparison(Comparison(node.attr_path, CompareOperator.eq, value), field)
    if field.kind == "id":
        if op != CompareOperator.eq:
            raise InvalidFilterException(detail="Ids are compared with eq only")
        number = id_or_none(value)
        return Q(**{field.lookup: number}) if number is not None else Q(pk__in=[])
    if field.kind == "bool":
        if op != CompareOperator.eq or not isinstance(value, bool):
            raise InvalidFilterException(detail="Compare a boolean with eq true or eq false")
        return Q(**{field.lookup: value})
    if field.kind == "date":
        if op not in _ORDER_LOOKUPS and op != CompareOperator.eq:
            raise InvalidFilterException(detail="Compare a date with eq, gt, ge, lt or le")
        return Q(**{f"{field.lookup}__{_ORDER_LOOKUPS.get(op, 'exact')}": value})
    if not isinstance(value, str):
        raise InvalidFilterException(detail=f"Compare {node.attr_path} with a string")
    if op in _ORDER_LOOKUPS:
        return Q(**{f"{field.lookup}__{_ORDER_LOOKUPS[op]}": value})
    lookup = _TEXT_LOOKUPS[op]
    if not field.case_exact:
        lookup = "iexact" if lookup == "exact" else f"i{lookup}"
    return Q(**{f"{field.lookup}__{lookup}": value})


def id_or_none(value) -> int | None:
    """A database id from an identity provider's text (a resource id, a filter's value); None for
    anything else, which then matches nothing."""
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None
