"""Every page issues the same number of queries for a small and a large organization.

Organizations come from the generator at 150 and 1,500 people; each page is requested as
the same kind of person in both, and the counts must be equal (the SQL is printed when not).
New pages join PAGES.
"""

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from lodestar.demo.generator import OrganizationGenerator
from lodestar.orgs.models import Membership, Role

TODAY = datetime.date(2026, 11, 25)
PAGES = {
    "home": lambda org: f"/{org.slug}/",
    "search": lambda org: f"/{org.slug}/search/?q=a",
}
# Pages only admins may open are requested as the organization's owner instead.
ADMIN_PAGES: set[str] = set()
MAX_QUERIES = 20


@pytest.fixture
def small_and_large(db):
    small = OrganizationGenerator(people=150, quarters=2, seed=5, slug="small", today=TODAY).run()
    large = OrganizationGenerator(people=1500, quarters=2, seed=5, slug="large", today=TODAY).run()
    return small, large


def a_busy_member(organization) -> Membership:
    """The member who leads the most objectives: the fullest home page."""
    members = Membership.objects.filter(organization=organization, role=Role.MEMBER)
    return members.annotate(led=Count("led_objectives")).order_by("-led", "pk").first()


def an_owner(organization) -> Membership:
    return Membership.objects.filter(organization=organization, role=Role.OWNER).order_by("pk").first()


def count_queries(client, organization, url, *, as_admin=False) -> tuple[int, list[str]]:
    person = an_owner(organization) if as_admin else a_busy_member(organization)
    client.force_login(person.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_do_not_grow_with_the_organization(client, small_and_large, page):
    small, large = small_and_large
    as_admin = page in ADMIN_PAGES
    small_count, _ = count_queries(client, small, PAGES[page](small), as_admin=as_admin)
    large_count, large_sql = count_queries(client, large, PAGES[page](large), as_admin=as_admin)
    assert small_count == large_count, "\n".join(large_sql)
    assert large_count <= MAX_QUERIES, "\n".join(large_sql)
