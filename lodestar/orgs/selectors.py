"""Read queries for the group and people pages; each issues a fixed number of queries."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from lodestar.core.scoping import all_organizations, organization_scope
from lodestar.orgs.cards import Person
from lodestar.orgs.models import Group, GroupMembership, Membership, Organization, Role


@dataclass
class GroupRow:
    id: int
    name: str
    parent_id: int | None
    member_count: int
    sub_group_count: int
    leads: list[Person] = field(default_factory=list)
    depth: int = 0
    parent_name: str | None = None

    @property
    def pk(self) -> int:
        return self.id


def _count(model, organization_id: int, column: str):
    """A correlated COUNT(*) of ``model`` rows pointing at the outer group through ``column``."""
    counted = model.objects.filter(organization_id=organization_id, **{column: OuterRef("pk")})
    return Coalesce(Subquery(counted.values(column).annotate(n=Count("*")).values("n")), 0)


def group_tree(organization_id: int):
    """The top-level groups by name, each followed by its direct sub-groups by name (deeper levels
    are on each group's page, so that a company of a thousand teams gets a readable list), in SQL's
    order, for a paginator; ``group_rows`` makes a page of it rows."""
    groups = Group.objects.filter(
        Q(parent__isnull=True) | Q(parent__parent__isnull=True), organization_id=organization_id
    )
    parent_first = F("parent_id").asc(nulls_first=True)
    return _with_sizes(organization_id, groups).order_by(
        Coalesce("parent__name", "name"), Coalesce("parent_id", "pk"), parent_first, "name", "pk"
    )


def sub_groups(organization_id: int, group_id: int) -> list[GroupRow]:
    """The direct sub-groups of a group by name (two queries)."""
    groups = Group.objects.filter(organization_id=organization_id, parent_id=group_id)
    return group_rows(organization_id, _with_sizes(organization_id, groups).order_by("name", "pk"))


def _with_sizes(organization_id: int, groups):
    return groups.annotate(
        member_count=_count(GroupMembership, organization_id, "group"),
        sub_group_count=_count(Group, organization_id, "parent"),
    ).values_list("id", "name", "parent_id", "member_count", "sub_group_count", "parent__name")


def group_rows(organization_id: int, groups) -> list[GroupRow]:
    """Rows of groups (of ``group_tree`` or ``sub_groups``, a page of them) with their size, number
    of sub-groups and leads (two queries); a sub-group has depth 1."""
    rows = {
        id_: GroupRow(id_, name, parent_id, members, sub_count, depth=int(parent_id is not None), parent_name=parent)
        for id_, name, parent_id, members, sub_count, parent in groups
    }
    for group_id, *person in (
        GroupMembership.objects.filter(organization_id=organization_id, is_lead=True, group_id__in=rows)
        .order_by("membership__user__full_name")
        .values_list("group_id", "membership_id", "membership__user__full_name", "membership__user__email")
    ):
        rows[group_id].leads.append(Person(*person))
    return list(rows.values())


@dataclass
class Member:
    person: Person
    job_title: str
    is_lead: bool


def group_members(group: Group) -> list[Member]:
    """The group's members, leads first (one query)."""
    rows = (
        GroupMembership.objects.filter(organization_id=group.organization_id, group=group)
        .order_by("-is_lead", "membership__user__full_name")
        .values_list(
            "membership_id",
            "membership__user__full_name",
            "membership__user__email",
            "membership__job_title",
            "is_lead",
        )
    )
    return [Member(Person(id_, name, email), title, lead) for id_, name, email, title, lead in rows]


def people_page(organization_id: int, *, query: str = ""):
    """Active people of the organization, by name, optionally filtered by name, e-mail or job title."""
    people = Membership.objects.filter(organization_id=organization_id, is_active=True)
    if query:
        people = people.filter(
            Q(user__full_name__icontains=query) | Q(user__email__icontains=query) | Q(job_title__icontains=query)
        )
    return people.order_by("user__full_name", "pk").values("id", "user__full_name", "user__email", "job_title", "role")


def person_groups(membership: Membership) -> list[tuple[int, str, bool]]:
    """(group id, name, is lead) of the person's groups (one query)."""
    return list(
        GroupMembership.objects.filter(organization_id=membership.organization_id, membership=membership)
        .order_by("group__name")
        .values_list("group_id", "group__name", "is_lead")
    )


MENTIONS_PER_COMMENT = 20


def people_by_names(organization_id: int, names: list[str]) -> dict[str, Membership]:
    """Active people named (full name or e-mail, any case), keyed by the casefolded name as written.
    A full name two people share names nobody: the mention picker writes their e-mail instead."""
    names = list(dict.fromkeys(name.strip() for name in names if name.strip()))[:MENTIONS_PER_COMMENT]
    if not names:
        return {}
    wanted = Q()
    for name in names:
        wanted |= Q(user__full_name__iexact=name) | Q(user__email__iexact=name)
    found = list(
        Membership.objects.filter(organization_id=organization_id, is_active=True).filter(wanted).select_related("user")
    )
    people = {}
    for name in names:
        key = name.casefold()
        by_email = [person for person in found if person.user.email.casefold() == key]
        by_name = [person for person in found if person.user.full_name.casefold() == key]
        matches = by_email or by_name
        if len(matches) == 1:
            people[key] = matches[0]
    return people


def mention_suggestions(organization_id: int, query: str, *, limit: int = 8) -> list[dict]:
    """People whose name or e-mail starts a word with ``query`` (two queries), each with the text the
    picker inserts: ``@[Full Name]``, or ``@[e-mail]`` when the name is not unique."""
    people = list(
        Membership.objects.filter(organization_id=organization_id, is_active=True)
        .filter(Q(user__full_name__icontains=query) | Q(user__email__istartswith=query))
        .order_by("user__full_name", "pk")
        .values("id", "user__full_name", "user__email", "job_title")[:limit]
    )
    shared = set(
        Membership.objects.filter(
            organization_id=organization_id, is_active=True, user__full_name__in=[p["user__full_name"] for p in people]
        )
        .values("user__full_name")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("user__full_name", flat=True)
    )
    return [
        {
            "id": person["id"],
            "name": person["user__full_name"],
            "job_title": person["job_title"],
            "insert": "@[{}]".format(
                person["user__email"]
                if person["user__full_name"] in shared or not person["user__full_name"]
                else person["user__full_name"]
            ),
        }
        for person in people
    ]


def each_organization() -> Iterator[Organization]:
    """Every organization, each inside its own scope while the caller works on it (the worker's
    periodic jobs serve all of them)."""
    with all_organizations():
        organizations = list(Organization.objects.order_by("pk"))
    for organization in organizations:
        with organization_scope(organization):
            yield organization


def goal_holders(organization_id: int, *, keep=()):
    """People who may lead, own or contribute (active, not viewers) and those in ``keep``, by name."""
    holders = Q(is_active=True) & ~Q(role=Role.VIEWER)
    if keep:
        holders |= Q(pk__in=keep)
    return (
        Membership.objects.filter(holders, organization_id=organization_id)
        .select_related("user")
        .order_by("user__full_name", "user__email", "pk")
    )
