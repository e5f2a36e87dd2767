"""KPIs and their values: every member sees every KPI, as on the pages; owners, leads of the
KPI's groups and admins change them."""

from django.db.models import Prefetch
from ninja import Query, Router, Schema, Status

from lodestar.api.auth import reads, writes
from lodestar.api.common import CLIENT_ERRORS, UpdatedSince, changed_since, changes, pages, resolve, resolve_all
from lodestar.api.contract import Patch
from lodestar.api.schemas import KPIIn, KPIOut, KPIValueIn, KPIValueOut
from lodestar.core.errors import NotFound
from lodestar.kpis import services
from lodestar.kpis.access import access_kpi, access_kpi_value
from lodestar.kpis.models import KPI, KPIGroup, KPIValue
from lodestar.orgs.access import access_group, access_membership

router = Router()


class KPIFilters(Schema):
    group: int | None = None
    owner: int | None = None
    is_healthy: bool | None = None
    updated_since: str | None = UpdatedSince


def _with_groups():
    return Prefetch("kpi_groups", queryset=KPIGroup.objects.order_by("group_id"))


@router.get("/kpis", response={200: list[KPIOut], **CLIENT_ERRORS}, tags=["KPIs"])
@reads
@pages
def kpis(request, filters: Query[KPIFilters]):
    actor = request.auth
    found = KPI.objects.filter(organization_id=actor.organization_id)
    if filters.group is not None:
        found = found.filter(kpi_groups__group=access_group(actor, filters.group))
    if filters.owner is not None:
        found = found.filter(owner=access_membership(actor, filters.owner))
    if filters.is_healthy is not None:
        found = found.filter(is_healthy=filters.is_healthy)
    return changed_since(found, filters.updated_since).order_by("name", "pk").prefetch_related(_with_groups())


def _kpi(actor, kpi_id) -> KPI:
    found = access_kpi(actor, kpi_id)
    return KPI.objects.prefetch_related(_with_groups()).get(organization_id=actor.organization_id, pk=found.pk)


@router.get("/kpis/{kpi_id}", response={200: KPIOut, **CLIENT_ERRORS}, tags=["KPIs"])
@reads
def kpi(request, kpi_id: int):
    return _kpi(request.auth, kpi_id)


def _kpi_fields(actor, fields: dict) -> dict:
    if "owner" in fields:
        fields["owner"] = resolve(actor, access_membership, fields["owner"], field="owner")
    if "groups" in fields:
        fields["groups"] = resolve_all(actor, access_group, fields["groups"], field="groups")
    return fields


@router.post("/kpis", response={201: KPIOut, **CLIENT_ERRORS}, tags=["KPIs"])
@writes
def create_kpi(request, payload: KPIIn):
    actor = request.auth
    created = services.create_kpi(actor=actor, **_kpi_fields(actor, payload.dict()))
    return Status(201, _kpi(actor, created.pk))


@router.patch("/kpis/{kpi_id}", response={200: KPIOut, **CLIENT_ERRORS}, tags=["KPIs"])
@writes
def change_kpi(request, kpi_id: int, payload: Patch[KPIIn]):
    payload = changes(payload)
    actor = request.auth
    found = access_kpi(actor, kpi_id)
    services.update_kpi(actor=actor, kpi=found, **_kpi_fields(actor, payload))
    return _kpi(actor, found.pk)


@router.delete("/kpis/{kpi_id}", response={204: None, **CLIENT_ERRORS}, tags=["KPIs"])
@writes
def delete_kpi(request, kpi_id: int):
    services.delete_kpi(actor=request.auth, kpi=access_kpi(request.auth, kpi_id))
    return Status(204, None)


@router.get("/kpis/{kpi_id}/values", response={200: list[KPIValueOut], **CLIENT_ERRORS}, tags=["KPIs"])
@reads
@pages
def kpi_values(request, kpi_id: int):
    """Newest date first."""
    actor = request.auth
    return KPIValue.objects.filter(organization_id=actor.organization_id, kpi=access_kpi(actor, kpi_id)).order_by(
        "-recorded_on", "-created_at", "-pk"
    )


@router.post("/kpis/{kpi_id}/values", response={201: KPIValueOut, **CLIENT_ERRORS}, tags=["KPIs"])
@writes
def record_kpi_value(request, kpi_id: int, payload: KPIValueIn):
    """A value for a date (default: today in the organization's time zone)."""
    actor = request.auth
    return Status(201, services.record_kpi_value(actor=actor, kpi=access_kpi(actor, kpi_id), **payload.dict()))


@router.delete("/kpis/{kpi_id}/values/{value_id}", response={204: None, **CLIENT_ERRORS}, tags=["KPIs"])
@writes
def delete_kpi_value(request, kpi_id: int, value_id: int):
    """Values are corrected by deleting the wrong one and recording the right one."""
    actor = request.auth
    entry = access_kpi_value(actor, value_id)
    if entry.kpi_id != access_kpi(actor, kpi_id).pk:
        raise NotFound
    services.delete_kpi_value(actor=actor, entry=entry)
    return Status(204, None)
