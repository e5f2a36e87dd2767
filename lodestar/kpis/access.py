"""Turning a KPI or KPI value id from a URL into a row of the acting person's organization
(404 otherwise, whether missing or another organization's)."""

from django.utils.translation import gettext_lazy as _

from lodestar.core.errors import NotAllowed, NotFound, as_id
from lodestar.kpis.models import KPI, KPIValue
from lodestar.kpis.permissions import can_change_kpi
from lodestar.orgs.models import Membership

REFUSED = _("Only the KPI's owner, the leads of its groups and admins can change it.")


def access_kpi(actor: Membership, kpi_id, *, for_write: bool = False) -> KPI:
    kpi = (
        KPI.objects.filter(organization_id=actor.organization_id, pk=as_id(kpi_id))
        .select_related("owner__user")
        .first()
    )
    if kpi is None:
        raise NotFound
    if for_write and not can_change_kpi(actor, kpi):
        raise NotAllowed(REFUSED)
    return kpi


def access_kpi_value(actor: Membership, value_id, *, for_write: bool = False) -> KPIValue:
    entry = (
        KPIValue.objects.filter(organization_id=actor.organization_id, pk=as_id(value_id)).select_related("kpi").first()
    )
    if entry is None:
        raise NotFound
    if for_write and not can_change_kpi(actor, entry.kpi):
        raise NotAllowed(REFUSED)
    return entry
