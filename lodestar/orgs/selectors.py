"""Read queries for the group and people pages; each issues a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from lodestar.okrs.cards import Person
from lodestar.orgs.models import Group, GroupMembership, Membership


@dataclass
class GroupRow:
    id: int
    name: str
    parent_id: int | None
    member_count: int
    leads: list[Person] = field(default_factory=list)
    children: list["GroupRow"] = field(default_factory=list)
    depth: int = 0

    @property
    def pk(self) -> int:
        return self.id


def group_tree(organization_id: int, *, root_id: int | None = None) -> list[GroupRow]:
    """The organization's groups as a depth-first list (each with its depth, member count and leads),
    or only the sub-groups below ``root_id``. Two queries."""
    rows = {
        id_: GroupRow(id_, name, parent_id, count)
        for id_, name, parent_id, count in Group.objects.filter(organization_id=organization_id)
        .annotate(count=Count("group_memberships"))
        .order_by("name")
        .values_list("id", "name", "parent_id", "count")
    }
    for group_id, *person in (
        GroupMembership.objects.filter(organization_id=organization_id, is_lead=True)
        .order_by("membership__user__full_name")
        .values_list("group_id", "membership_id", "membership__user__full_name", "membership__user__email")
    ):
        rows[group_id].leads.append(Person(*person))
    roots = []
    for row in rows.values():
        parent = rows.get(row.parent_id)
        (parent.children if parent else roots).append(row)
    start = rows[root_id].children if root_id is not None else roots
    ordered = []

    def walk(groups, depth):
        for group in groups:
            group.depth = depth
            ordered.append(group)
            walk(group.children, depth + 1)

    walk(start, 0)
    return ordered


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
