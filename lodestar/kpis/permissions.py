"""Who may change a KPI and record its values: the brief's role rules for KPIs in one place.

Everyone in the organization sees every KPI. Anyone who may write (members and up) creates KPIs;
a KPI's owner, the leads of its groups and admins edit it and record its values.
"""

from lodestar.kpis.models import KPI
from lodestar.orgs.models import Membership
from lodestar.orgs.permissions import group_ids


def can_change_kpi(actor: Membership, kpi: KPI, *, group_ids_of_kpi=None) -> bool:
    """``group_ids_of_kpi`` saves a query when the caller has the KPI's groups already."""
    if not actor.can_write or kpi.organization_id != actor.organization_id:
        return False
    if actor.is_admin or kpi.owner_id == actor.pk:
        return True
    _, leads = group_ids(actor)
    if not leads:
        return False
    if group_ids_of_kpi is None:
        group_ids_of_kpi = set(kpi.kpi_groups.values_list("group_id", flat=True))
    return bool(leads & set(group_ids_of_kpi))
