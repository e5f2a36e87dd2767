"""Writes to KPIs, their values and their links to objectives. Each checks who may do it and runs
in one transaction; every value change refreshes the KPI's cached health in the same one."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.core.errors import NotAllowed
from lodestar.core.events import publish
from lodestar.core.guards import replace_links, require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_number, clean_text, is_plain_date
from lodestar.kpis.access import REFUSED
from lodestar.kpis.events import KPITurnedUnhealthy
from lodestar.kpis.health import health_since, is_healthy
from lodestar.kpis.models import KPI, KPIGroup, KPIValue
from lodestar.kpis.pasted import EARLIEST, read_pasted_values
from lodestar.kpis.permissions import can_change_kpi
from lodestar.orgs.models import Membership
from lodestar.orgs.services import clean_goal_holder

NAME_MAX, UNIT_MAX, DESCRIPTION_MAX, COMMENT_MAX = 200, 30, 10_000, 5000


def _require_change(actor: Membership, kpi: KPI) -> None:
    if not can_change_kpi(actor, kpi):
        raise NotAllowed(REFUSED)


def _clean_rule(rule, rule_min, rule_max) -> tuple:
    """The bounds a rule needs (≥ needs the lower, ≤ the upper, between both, lower ≤ upper)."""
    clean_choice(rule, field="rule", choices=KPI.Rule)
    needs_min = rule in (KPI.Rule.AT_LEAST, KPI.Rule.BETWEEN)
    needs_max = rule in (KPI.Rule.AT_MOST, KPI.Rule.BETWEEN)
    rule_min = clean_number(rule_min, field="rule_min", required=True) if needs_min else None
    rule_max = clean_number(rule_max, field="rule_max", required=True) if needs_max else None
    if rule == KPI.Rule.BETWEEN and rule_min > rule_max:
        raise ValidationError({"rule_max": [_("The upper bound must not be below the lower bound.")]})
    return rule_min, rule_max


def _clean_kpi_fields(actor: Membership, fields: dict) -> dict:
    cleaned = {
        "name": clean_text(fields["name"], field="name", max_length=NAME_MAX, required=True),
        "description": clean_text(
            fields["description"], field="description", max_length=DESCRIPTION_MAX, multiline=True
        ),
        "owner": clean_goal_holder(actor, fields["owner"], "owner"),
        "unit": clean_text(fields["unit"], field="unit", max_length=UNIT_MAX),
        "cadence": clean_choice(fields["cadence"], field="cadence", choices=KPI.Cadence),
        "aggregation": clean_choice(fields["aggregation"], field="aggregation", choices=KPI.Aggregation),
        "rule": fields["rule"],
    }
    cleaned["rule_min"], cleaned["rule_max"] = _clean_rule(fields["rule"], fields["rule_min"], fields["rule_max"])
    require_same_organization(actor, *fields["groups"])
    return cleaned


_KPI_DEFAULTS = {
    "description": "",
    "unit": "",
    "cadence": KPI.Cadence.MONTHLY,
    "aggregation": KPI.Aggregation.LATEST,
    "rule": KPI.Rule.NONE,
    "rule_min": None,
    "rule_max": None,
    "groups": (),
}


@atomic_service
def create_kpi(*, actor: Membership, name: str, owner: Membership, **options) -> KPI:
    """A new KPI; anyone who may write creates one (the owner must be able to hold goals)."""
    if not actor.can_write:
        raise NotAllowed(_("You may not create KPIs."))
    unknown = set(options) - set(_KPI_DEFAULTS)
    if unknown:
        raise TypeError(f"create_kpi got unknown fields {sorted(unknown)}")
    fields = {**_KPI_DEFAULTS, **options, "name": name, "owner": owner}
    kpi = KPI.objects.create(organization_id=actor.organization_id, **_clean_kpi_fields(actor, fields))
    _set_groups(kpi, fields["groups"])
    return kpi


@atomic_service
def update_kpi(*, actor: Membership, kpi: KPI, **changes) -> KPI:
    """Change a KPI's fields (any of create_kpi's); a new rule re-judges its health at once."""
    kpi = _lock(actor, kpi)
    _require_change(actor, kpi)
    unknown = set(changes) - set(_KPI_DEFAULTS) - {"name", "owner"}
    if unknown:
        raise TypeError(f"update_kpi got unknown fields {sorted(unknown)}")
    current = {
        **{field: getattr(kpi, field) for field in _KPI_DEFAULTS if field != "groups"},
        "name": kpi.name,
        "owner": kpi.owner,
        "groups": list(kpi.groups.all()),
    }
    fields = {**current, **changes}
    for field, value in _clean_kpi_fields(actor, fields).items():
        setattr(kpi, field, value)
    kpi.save()
    if "groups" in changes:
        _set_groups(kpi, fields["groups"])
    refresh_kpi(kpi)
    return kpi


def _set_groups(kpi: KPI, groups) -> None:
    replace_links(
        KPIGroup, organization_id=kpi.organization_id, owner={"kpi": kpi}, target_field="group", targets=groups
    )


def _lock(actor: Membership, kpi: KPI) -> KPI:
    require_same_organization(actor, kpi)
    return KPI.objects.select_for_update().select_related("owner").get(organization_id=actor.organization_id, pk=kpi.pk)


@atomic_service
def delete_kpi(*, actor: Membership, kpi: KPI) -> None:
    """Delete a KPI with its values (their history stays on record) and its links to objectives."""
    kpi = _lock(actor, kpi)
    _require_change(actor, kpi)
    for entry in KPIValue.objects.filter(organization_id=kpi.organization_id, kpi=kpi):
        entry._history_user = actor.user
        entry.delete()
    kpi.delete()


def _clean_recorded_on(organization, recorded_on) -> datetime.date:
    """A past date (backfilling is fine), not in the future of the organization, not before 1900."""
    today = organization.today()
    recorded_on = today if recorded_on is None else recorded_on
    if not is_plain_date(recorded_on):
        raise ValidationError({"recorded_on": [_("Enter a valid date.")]})
    if recorded_on > today:
        raise ValidationError({"recorded_on": [_("A value cannot be dated in the future.")]})
    if recorded_on < EARLIEST:
        raise ValidationError({"recorded_on": [_("Enter a date from 1900 on.")]})
    return recorded_on


def _save_value(kpi: KPI, organization, *, value, recorded_on, comment: str, author=None, source: str = ""):
    """A checked value of a locked KPI, saved, and the KPI's health refreshed."""
    entry = KPIValue(
        organization_id=organization.pk,
        kpi=kpi,
        value=clean_number(value, field="value"),
        recorded_on=_clean_recorded_on(organization, recorded_on),
        comment=clean_text(comment, field="comment", max_length=COMMENT_MAX, multiline=True),
        author=author,
        source=source,
    )
    entry._history_user = author.user if author else None
    entry.save()
    refresh_kpi(kpi)
    return entry


@atomic_service
def record_kpi_value(
    *, actor: Membership, kpi: KPI, value, recorded_on: datetime.date | None = None, comment: str = ""
) -> KPIValue:
    """A new value of a KPI for a date (default: today in the organization), by its owner, a lead
    of its groups or an admin. Health follows the latest value by date."""
    kpi = _lock(actor, kpi)
    _require_change(actor, kpi)
    return _save_value(kpi, actor.organization, value=value, recorded_on=recorded_on, comment=comment, author=actor)


@atomic_service
def record_fed_kpi_value(*, kpi: KPI, value, source: str, recorded_on=None, comment: str = "") -> KPIValue:
    """A value from an automatic feed (feeds.services holds the authority): no author, its source noted."""
    kpi = (
        KPI.objects.select_for_update()
        .select_related("organization")
        .get(organization_id=kpi.organization_id, pk=kpi.pk)
    )
    return _save_value(kpi, kpi.organization, value=value, recorded_on=recorded_on, comment=comment, source=source)


@atomic_service
def import_kpi_values(*, actor: Membership, kpi: KPI, text: str) -> int:
    """Values pasted as ``date,value`` lines (kpis.pasted); all are saved, or none when any line is
    wrong (every wrong line is named in the error). Returns how many were saved."""
    kpi = _lock(actor, kpi)
    _require_change(actor, kpi)
    rows, problems = read_pasted_values(text, today=actor.organization.today())
    if problems:
        raise ValidationError({"text": problems})
    entries = [
        KPIValue(
            organization_id=actor.organization_id, kpi=kpi, value=row.value, recorded_on=row.recorded_on, author=actor
        )
        for row in rows
    ]
    KPIValue.objects.bulk_create(entries)
    KPIValue.history.bulk_history_create(entries, default_user=actor.user)
    refresh_kpi(kpi)
    return len(entries)


@atomic_service
def delete_kpi_value(*, actor: Membership, entry: KPIValue) -> None:
    """Remove a mistaken value; it stays in the history."""
    kpi = _lock(actor, entry.kpi)
    _require_change(actor, kpi)
    entry._history_user = actor.user
    entry.delete()
    refresh_kpi(kpi)


def refresh_kpi(kpi: KPI) -> None:
    """Cache the latest value, the health it gives, since when the KPI has been so, and the date of
    its latest value (for "update due")."""
    newest_first = list(
        KPIValue.objects.filter(organization_id=kpi.organization_id, kpi=kpi)
        .order_by("-recorded_on", "-created_at", "-id")
        .values_list("recorded_on", "value")
    )
    latest = newest_first[0] if newest_first else (None, None)
    rule = {"rule": kpi.rule, "rule_min": kpi.rule_min, "rule_max": kpi.rule_max}
    was_healthy = kpi.is_healthy
    kpi.last_recorded_on, kpi.current_value = latest
    kpi.is_healthy = is_healthy(value=kpi.current_value, **rule)
    kpi.health_since = health_since(newest_first, **rule)
    KPI.objects.filter(organization_id=kpi.organization_id, pk=kpi.pk).update(
        current_value=kpi.current_value,
        is_healthy=kpi.is_healthy,
        health_since=kpi.health_since,
        last_recorded_on=kpi.last_recorded_on,
    )
    if was_healthy and not kpi.is_healthy:
        publish(KPITurnedUnhealthy(kpi=kpi))
