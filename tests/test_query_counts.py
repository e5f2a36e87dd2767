"""Every page issues the same number of queries for a small and a large organization.

Organizations come from the generator at 150 and 1,500 people; each page is requested as
the same kind of person in both, and the counts must be equal (the SQL is printed when not).
New pages join lodestar.demo.pages (goal pages, also benchmarked) or PAGES here.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.demo.generator import OrganizationGenerator
from lodestar.demo.pages import busy_member, representative_pages
from lodestar.orgs.models import Membership, Role

TODAY = datetime.date(2026, 11, 25)
# Pages beyond lodestar.demo.pages.representative_pages (which holds the goal pages).
PAGES = {
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
