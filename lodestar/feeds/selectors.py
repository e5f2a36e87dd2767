from lodestar.feeds.models import Feed


def feeds_of(target) -> list[Feed]:
    """The feeds of a key result or KPI, oldest first (one query)."""
    field = "kpi" if target.__class__.__name__ == "KPI" else "key_result"
    return list(Feed.objects.filter(organization_id=target.organization_id, **{field: target}))
