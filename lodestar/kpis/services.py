"""Writes to KPIs and their values."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.core.errors import NotAllowed
from lodestar.core.guards import require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_number, clean_text
from lodestar.kpis.health import is_healthy
from lodestar.kpis.models import KPI, KPIGroup, KPIValue
from lodestar.orgs.models import Membership


def _clean_rule(rule, rule_min, rule_max) -> tuple:
    clean_choice(rule, field="rule", choices=KPI.Rule)
    needs_min = rule in (KPI.Rule.AT_LEAST, KPI.Rule.BETWEEN)
    needs_max = rule in (KPI.Rule.AT_MOST, KPI.Rule.BETWEEN)
    rule_min = clean_number(rule_min, field="rule_min", required=needs_min) if needs_min else None
    rule_max = clean_number(rule_max, field="rule_max", required=needs_max) if needs_max else None
    if rule == KPI.Rule.BETWEEN and rule_min > rule_max:
        raise ValidationError({"rule_max": [_("The upper bound must not be below the lower bound.")]})
    return rule_min, rule_max


@atomic_service
def create_kpi(
    *,
    actor: Membership,
    name: str,
    owner: Membership,
    unit: str = "",
    cadence: str = KPI.Cadence.MONTHLY,
    rule: str = KPI.Rule.NONE,
    rule_min=None,
    rule_max=None,
    groups=(),
    description: str = "",
) -> KPI:
    if not actor.can_write:
        raise NotAllowed(_("You may not create KPIs."))
    require_same_organization(actor, owner, *groups)
    clean_choice(cadence, field="cadence", choices=KPI.Cadence)
    rule_min, rule_max = _clean_rule(rule, rule_min, rule_max)
    kpi = KPI.objects.create(
        organization_id=actor.organization_id,
        name=clean_text(name, field="name", max_length=200, required=True),
        description=clean_text(description, field="description", max_length=10_000, multiline=True),
        owner=owner,
        unit=clean_text(unit, field="unit", max_length=30),
        cadence=cadence,
        rule=rule,
        rule_min=rule_min,
        rule_max=rule_max,
    )
    KPIGroup.objects.bulk_create(KPIGroup(organization_id=actor.organization_id, kpi=kpi, group=g) for g in groups)
    return kpi


@atomic_service
def record_kpi_value(*, actor: Membership, kpi: KPI, value, recorded_on: datetime.date, comment: str = "") -> KPIValue:
    require_same_organization(actor, kpi)
    if not (actor.is_admin or (actor.can_write and kpi.owner_id == actor.pk)):
        raise NotAllowed(_("Only the KPI's owner and admins can update it."))
    kpi = KPI.objects.select_for_update().get(pk=kpi.pk)
    entry = KPIValue.objects.create(
        organization_id=actor.organization_id,
        kpi=kpi,
        value=clean_number(value, field="value"),
        recorded_on=recorded_on,
        comment=clean_text(comment, field="comment", max_length=5000, multiline=True),
        author=actor,
    )
    refresh_kpi(kpi)
    return entry


def refresh_kpi(kpi: KPI) -> None:
    """Cache the latest value and the health it gives."""
    latest = (
        KPIValue.objects.filter(organization_id=kpi.organization_id, kpi=kpi)
        .order_by("-recorded_on", "-created_at", "-id")
        .values_list("value", flat=True)
        .first()
    )
    kpi.current_value = latest
    kpi.is_healthy = is_healthy(rule=kpi.rule, value=latest, rule_min=kpi.rule_min, rule_max=kpi.rule_max)
    KPI.objects.filter(pk=kpi.pk).update(current_value=kpi.current_value, is_healthy=kpi.is_healthy)
