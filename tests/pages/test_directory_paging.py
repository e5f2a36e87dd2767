"""The people and group lists a page at a time: the search kept in the page links, a group's
sub-groups continuing on the next page, flat query counts, page numbers nobody should type, and
other organizations kept out."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.orgs import services as orgs
from lodestar.pages import directory
from tests.conftest import add_person, signed_in

HOSTILE_PAGES = ("0", "-1", "abc", str(10**20), "99", "1.5", "", "\x00", "2" * 5000, "<script>alert(1)</script>")
PAST_THE_END = (str(10**20), "99")


@pytest.fixture
def three_per_page(monkeypatch):
    monkeypatch.setattr(directory, "PEOPLE_PER_PAGE", 3)
    monkeypatch.setattr(directory, "GROUPS_PER_PAGE", 3)


def page(client, membership, path, **params):
    response = signed_in(client, membership).get(path, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def group_names(body):
    return re.findall(r'<td class="depth-\d"><a href="/acme/groups/\d+/[^"]*">([^<]+)</a>', body)


def person_names(body):
    return re.findall(r'<td class="person-cell">.*?<a href="/acme/people/\d+/">([^<]+)</a>', body)


def add_people(cast, count, *, prefix="Person"):
    for number in range(count):
        add_person(cast.owner, f"{prefix.lower()}{number}@acme.test", f"{prefix} {number:02d}")


def test_a_search_stays_in_the_page_links(client, cast, three_per_page):
    add_people(cast, 5, prefix="Zed")
    first = page(client, cast.member, "/acme/people/", q="zed")
    assert "Page 1 of 2" in first and 'href="?q=zed&amp;page=2"' in first
    second = page(client, cast.member, "/acme/people/", q="zed", page="2")
    assert person_names(second) == ["Zed 03", "Zed 04"]
    assert 'href="?q=zed&amp;page=1"' in second and "Next" not in second


def test_the_groups_list_pages_through_the_tree_and_names_a_continued_parent(client, cast, three_per_page):
    for name in ("Backend", "Frontend", "Platform"):
        orgs.create_group(actor=cast.owner, name=name, parent=cast.engineering)
    first = page(client, cast.viewer, "/acme/groups/")
    assert group_names(first) == ["Engineering", "Backend", "Frontend"]
    assert "Page 1 of 2" in first and "continued from the previous page" not in first
    second = page(client, cast.viewer, "/acme/groups/", page="2")
    assert group_names(second) == ["Platform", "Sales"]
    assert f'href="/acme/groups/{cast.engineering.pk}/">Engineering</a> <span class="muted small">continued' in second


def test_the_groups_list_keeps_the_timeframe_in_its_page_links(client, cast, three_per_page):
    for name in ("Backend", "Frontend", "Platform"):
        orgs.create_group(actor=cast.owner, name=name, parent=cast.engineering)
    body = page(client, cast.viewer, "/acme/groups/", timeframe=cast.closed.pk)
    assert f'href="?timeframe={cast.closed.pk}&amp;page=2"' in body


@pytest.mark.parametrize(("path", "pages"), [("/acme/people/", 4), ("/acme/groups/", 2)])
@pytest.mark.parametrize("number", HOSTILE_PAGES)
def test_a_page_number_nobody_should_type_shows_the_first_or_the_last_page(
    client, cast, three_per_page, path, pages, number
):
    add_people(cast, 4)  # ten people in all
    orgs.create_group(actor=cast.owner, name="Support")
    orgs.create_group(actor=cast.owner, name="Platform", parent=cast.engineering)  # four groups in all
    body = page(client, cast.member, path, page=number)
    assert f"Page {pages if number in PAST_THE_END else 1} of {pages}" in body
    assert "<script>alert(1)</script>" not in body


def test_the_lists_issue_the_same_queries_for_a_small_and_a_larger_organization(client, cast, three_per_page):
    def counts():
        signed_in(client, cast.member)
        result = []
        for path in ("/acme/people/", "/acme/people/?page=2", "/acme/groups/", "/acme/groups/?page=2"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            result.append(len(queries))
        return result

    add_people(cast, 2)
    for name in ("Backend", "Frontend"):
        orgs.create_group(actor=cast.owner, name=name, parent=cast.engineering)
    few = counts()
    add_people(cast, 20, prefix="More")
    for number in range(10):
        group = orgs.create_group(actor=cast.owner, name=f"Team {number}")
        orgs.set_group_member(actor=cast.owner, group=group, membership=cast.lead, is_lead=True)
        orgs.create_group(actor=cast.owner, name=f"Squad {number}", parent=group)
    assert counts() == few
    assert max(few) <= 20


def test_other_organizations_people_and_groups_stay_out(client, cast, three_per_page):
    add_people(cast, 4)
    for number in (1, 2):
        people = page(client, cast.member, "/acme/people/", page=str(number))
        groups = page(client, cast.member, "/acme/groups/", page=str(number))
        assert "Bea Beta" not in people and f"/acme/groups/{cast.beta_group.pk}/" not in groups
    signed_in(client, cast.member)
    assert client.get("/beta/people/?page=2").status_code == 404
    assert client.get("/beta/groups/?page=2").status_code == 404
