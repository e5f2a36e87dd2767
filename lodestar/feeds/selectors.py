from lodestar.feeds.models import Feed
from lodestar.kpis.models import KPI


def feeds_of(target) -> list[Feed]:
    """The feeds of a key result or KPI, oldest first (one query)."""
    field = "kpi" if isinstance(target, KPI) else "key_result"
    return list(Feed.objects.filter(organization_id=target.organization_id, **{field: target}))
