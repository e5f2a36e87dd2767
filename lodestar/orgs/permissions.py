"""Who may do what in an organization, by role and group membership (the brief's rules)."""

from lodestar.orgs.models import GroupMembership, Membership


def group_ids(membership: Membership) -> tuple[frozenset[int], frozenset[int]]:
    """(groups the person belongs to, groups the person leads), read once per membership object."""
    cached = getattr(membership, "_group_ids_cache", None)
    if cached is None:
        rows = GroupMembership.objects.filter(
            organization_id=membership.organization_id, membership=membership
        ).values_list("group_id", "is_lead")
        rows = list(rows)
        cached = (frozenset(g for g, _ in rows), frozenset(g for g, lead in rows if lead))
        membership._group_ids_cache = cached
    return cached


def forget_group_ids(membership: Membership) -> None:
    membership.__dict__.pop("_group_ids_cache", None)
