"""Which goal and KPI events webhooks deliver (subscribed in WebhooksConfig.ready)."""

from lodestar.core.events import subscribe
from lodestar.kpis.events import KPITurnedUnhealthy
from lodestar.okrs.events import CheckInCreated, ObjectiveClosed, ObjectiveStatusesChanged
from lodestar.okrs.models import Objective
from lodestar.webhooks import services


def checked_in(event: CheckInCreated) -> None:
    services.check_in_created(event.check_in)


def objective_statuses_changed(event: ObjectiveStatusesChanged) -> None:
    changed = Objective.objects.filter(organization_id=event.organization_id, pk__in=event.status_before)
    for objective in changed.order_by("pk"):
        services.objective_status_changed(objective, status_from=event.status_before[objective.pk])


def objective_closed(event: ObjectiveClosed) -> None:
    services.objective_closed(event.objective)


def kpi_turned_unhealthy(event: KPITurnedUnhealthy) -> None:
    services.kpi_unhealthy(event.kpi)


def subscribe_all() -> None:
    subscribe(CheckInCreated, checked_in)
    subscribe(ObjectiveStatusesChanged, objective_statuses_changed)
    subscribe(ObjectiveClosed, objective_closed)
    subscribe(KPITurnedUnhealthy, kpi_turned_unhealthy)
