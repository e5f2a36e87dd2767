"""The change history of an objective and its key results, read from django-simple-history's
tables and turned into sentences a person can scan ("Lea changed target value from 10 to 12")."""

import datetime
import itertools
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.text import Truncator

from lodestar.okrs.models import KeyResult, Objective

# Fields whose old and new values would say nothing useful or could leak (a private parent's title).
_WITHOUT_VALUES = {"parent", "pillar", "timeframe", "reflection", "carried_over_from", "description"}
_PEOPLE = {"lead", "owner"}
_HIDDEN = {"id", "organization", "created_at", "created_by", "position", "closed_at"}


@dataclass
class FieldChange:
    label: str
    old: str | None = None
    new: str | None = None


@dataclass
class Change:
    when: datetime.datetime
    who: str
    kind: str  # "created", "changed", "deleted"
    subject: str  # the objective's or key result's title
    is_key_result: bool
    fields: list[FieldChange] = field(default_factory=list)


def objective_history(objective: Objective, *, limit: int = 30) -> list[Change]:
    """The latest changes to an objective and its key results, newest first (two queries)."""
    org = objective.organization_id
    # Each record carries the name of its lead or owner: a change of lead compares two records of
    # the window, so their names are at hand without a query of their own.
    objective_rows = list(
        Objective.history.filter(organization_id=org, id=objective.pk)
        .select_related("history_user")
        .annotate(person_name=F("lead__user__full_name"))
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    key_result_rows = list(
        KeyResult.history.filter(organization_id=org, objective_id=objective.pk)
        .select_related("history_user")
        .annotate(person_name=F("owner__user__full_name"))
        .order_by("-history_date", "-history_id")[: limit * 4]
    )
    names = {record.lead_id: record.person_name for record in objective_rows}
    names |= {record.owner_id: record.person_name for record in key_result_rows}
    changes = _changes(objective_rows, Objective, names, is_key_result=False)
    changes += _changes(key_result_rows, KeyResult, names, is_key_result=True)
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]


def _changes(records, model, names: dict[int, str], *, is_key_result: bool) -> list[Change]:
    """One Change per historical record; a record is compared with the next older one of the same row."""
    older_of = {}
    by_row: dict[int, list] = {}
    for record in records:  # newest first
        by_row.setdefault(record.id, []).append(record)
    for versions in by_row.values():
        for newer, older in itertools.pairwise(versions):
            older_of[newer.history_id] = older
    changes = []
    for record in records:
        kind = {"+": "created", "-": "deleted"}.get(record.history_type, "changed")
        older = older_of.get(record.history_id)
        if kind == "changed" and older is None:
            continue  # its previous version is beyond the window: nothing to compare with
        change = Change(
            when=record.history_date,
            who=record.history_user.full_name if record.history_user else "",
            kind=kind,
            subject=record.title,
            is_key_result=is_key_result,
        )
        if kind == "changed":
            change.fields = _field_changes(model, older, record, names)
            if not change.fields:
                continue
        changes.append(change)
    return changes


def _field_changes(model, older, newer, names: dict[int, str]) -> list[FieldChange]:
    result = []
    for delta in newer.diff_against(older).changes:
        name = delta.field
        if name in _HIDDEN:
            continue
        model_field = model._meta.get_field(name)
        label = str(model_field.verbose_name)
        if name in _WITHOUT_VALUES:
            result.append(FieldChange(label))
        else:
            result.append(
                FieldChange(label, _shown(model_field, delta.old, names), _shown(model_field, delta.new, names))
            )
    return result


def _shown(model_field, value, names: dict[int, str]) -> str:
    if value is None or value == "":
        return "–"
    if model_field.name in _PEOPLE:
        return names.get(value) or "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if hasattr(value, "normalize"):
        value = value.normalize()
    return Truncator(str(value)).chars(80)
