from lodestar.feeds.models import Feed


def feeds_of(organization_id: int, kind: str, target_id: int) -> list[Feed]:
    """The feeds of a key result or KPI (``kind``: "key_result" or "kpi"), oldest first (one query)."""
    return list(Feed.objects.filter(organization_id=organization_id, **{f"{kind}_id": target_id}))
