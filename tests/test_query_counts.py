"""Every page issues the same number of queries for a small and a large organization.

Organizations come from the generator at 150 and 1,500 people; each page is requested as the
same kind of person in both (the busy member, or the owner for admin pages), and the counts must
be equal (the SQL is printed when not). Pages come from lodestar.demo.pages, which make bench
measures too: a new page joins there.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.demo.generator import OrganizationGenerator
from lodestar.demo.pages import admin_pages, an_owner, busy_member, member_pages

TODAY = datetime.date(2026, 11, 25)
MAX_QUERIES = 26  # the objective page: its goal, key results, links, history, KPIs, comments and the bell


@pytest.fixture
def small_and_large(db):
    small = OrganizationGenerator(people=150, quarters=2, seed=5, slug="small", today=TODAY).run()
    large = OrganizationGenerator(people=1500, quarters=2, seed=5, slug="large", today=TODAY).run()
    return small, large


def count_queries(client, person, url) -> tuple[int, list[str]]:
    client.force_login(person.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), [q["sql"] for q in queries.captured_queries]


def test_page_queries_do_not_grow_with_the_organization(client, small_and_large):
    """One test for all pages, so that the two organizations are generated once."""
    failures = []
    for pages, person in ((member_pages, busy_member), (admin_pages, an_owner)):
        small, large = small_and_large
        small_pages, large_pages = pages(small), pages(large)
        for page, large_url in large_pages.items():
            small_count, _ = count_queries(client, person(small), small_pages[page])
            large_count, large_sql = count_queries(client, person(large), large_url)
            if small_count != large_count or large_count > MAX_QUERIES:
                failures.append(f"{page}: {small_count} vs {large_count} queries\n" + "\n".join(large_sql))
    assert not failures, "\n\n".join(failures)
