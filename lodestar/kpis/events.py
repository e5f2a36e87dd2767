"""What the KPI services publish (lodestar.core.events); webhooks subscribe."""

from dataclasses import dataclass

from lodestar.core.events import Event
from lodestar.kpis.models import KPI


@dataclass(frozen=True)
class KPITurnedUnhealthy(Event):
    """Its latest value left the goal (it was healthy before)."""

    kpi: KPI
