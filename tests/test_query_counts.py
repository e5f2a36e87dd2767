"""Every page issues the same number of queries for a small and a large organization.

Organizations come from the generator at 150 and 1,500 people; each page is requested as
the same kind of person in both, and the counts must be equal (the SQL is printed when not).
New pages join lodestar.demo.pages (goal pages, also benchmarked) or PAGES here.
"""

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from lodestar.demo.generator import OrganizationGenerator
from lodestar.demo.pages import busy_member, representative_pages
from lodestar.okrs.models import Objective, Timeframe
from lodestar.orgs.models import Group, Membership, Role

TODAY = datetime.date(2026, 11, 25)
# Pages beyond lodestar.demo.pages.representative_pages (which holds the goal pages).
PAGES = {
    "search": lambda org: f"/{org.slug}/search/?q=a",
    "group_create": lambda org: f"/{org.slug}/groups/new/",
    "group_edit": lambda org: f"/{org.slug}/groups/{biggest_group(org).pk}/edit/",
    "group_members": lambda org: f"/{org.slug}/groups/{biggest_group(org).pk}/members/",
    "person_add": lambda org: f"/{org.slug}/people/new/",
    "person_edit": lambda org: f"/{org.slug}/people/{busy_member(org).pk}/edit/",
    "timeframes": lambda org: f"/{org.slug}/timeframes/",
    "timeframe_create": lambda org: f"/{org.slug}/timeframes/new/",
    "timeframe_edit": lambda org: (
        f"/{org.slug}/timeframes/{Timeframe.objects.filter(organization=org).first().pk}/edit/"
    ),
}
# Pages only admins may open are requested as the organization's owner instead.
ADMIN_PAGES: set[str] = {
    "group_create",
    "group_edit",
    "group_members",
    "person_add",
    "person_edit",
    "timeframes",
    "timeframe_create",
    "timeframe_edit",
}
MAX_QUERIES = 20


@pytest.fixture
def small_and_large(db):
    small = OrganizationGenerator(people=150, quarters=2, seed=5, slug="small", today=TODAY).run()
    large = OrganizationGenerator(people=1500, quarters=2, seed=5, slug="large", today=TODAY).run()
    return small, large


def biggest_group(organization) -> Group:
    """The group with the most people: the longest members page."""
    groups = Group.objects.filter(organization=organization)
    return groups.annotate(people=Count("group_memberships")).order_by("-people", "pk").first()


def an_owner(organization) -> Membership:
    return Membership.objects.filter(organization=organization, role=Role.OWNER).order_by("pk").first()


def count_queries(client, organization, url, *, as_admin=False) -> tuple[int, list[str]]:
    person = an_owner(organization) if as_admin else busy_member(organization)
    client.force_login(person.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def pages_of(organization) -> dict[str, str]:
    return {**representative_pages(organization), **{name: path(organization) for name, path in PAGES.items()}}


def test_page_queries_do_not_grow_with_the_organization(client, small_and_large):
    """One test for all pages, so that the two organizations are generated once."""
    small, large = small_and_large
    small_pages, large_pages = pages_of(small), pages_of(large)
    failures = []
    for page, large_url in large_pages.items():
        as_admin = page in ADMIN_PAGES
        small_count, _ = count_queries(client, small, small_pages[page], as_admin=as_admin)
        large_count, large_sql = count_queries(client, large, large_url, as_admin=as_admin)
        if small_count != large_count or large_count > MAX_QUERIES:
            failures.append(f"{page}: {small_count} vs {large_count} queries\n" + "\n".join(large_sql))
    assert not failures, "\n\n".join(failures)


def a_busy_members_objective(organization) -> Objective:
    """An active group objective of the current quarter that the busy member leads (and so may edit)."""
    return (
        Objective.objects.filter(
            organization=organization,
            lead=busy_member(organization),
            level=Objective.Level.GROUP,
            state=Objective.State.ACTIVE,
            timeframe__state=Timeframe.State.ACTIVE,
            timeframe__kind=Timeframe.Kind.QUARTER,
        )
        .annotate(krs=Count("key_results"))
        .filter(krs__gte=2)
        .order_by("pk")
        .first()
    )


def objective_path(organization, tail: str) -> str:
    return f"/{organization.slug}/objectives/{a_busy_members_objective(organization).pk}/{tail}"


def key_result_path(organization, tail: str) -> str:
    key_result = a_busy_members_objective(organization).key_results.order_by("pk").first()
    return f"/{organization.slug}/key-results/{key_result.pk}/{tail}"


# Creating, editing and deleting goals (okrs.views.editing), as the busy member.
PAGES.update(
    {
        "objective_create": lambda org: f"/{org.slug}/objectives/new/",
        "objective_edit": lambda org: objective_path(org, "edit/"),
        "objective_delete": lambda org: objective_path(org, "delete/"),
        "parent_options": lambda org: f"/{org.slug}/objectives/parents/?q=e",
        "key_result_create": lambda org: objective_path(org, "key-results/new/"),
        "key_result_edit": lambda org: key_result_path(org, "edit/"),
        "key_result_delete": lambda org: key_result_path(org, "delete/"),
    }
)
