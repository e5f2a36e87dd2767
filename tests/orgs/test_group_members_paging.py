"""The people of a large group a page at a time on the admins' members page: leads first across
pages, the row buttons bring the admin back to the page they were on, flat query counts, page
numbers nobody should type, other organizations kept out."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.orgs import services
from lodestar.orgs.views import manage
from tests.conftest import add_person, signed_in

HOSTILE_PAGES = ("0", "-1", "abc", str(10**20), "99", "1.5", "", "\x00", "2" * 5000, "<script>alert(1)</script>")


@pytest.fixture
def three_per_page(monkeypatch):
    monkeypatch.setattr(manage, "MEMBERS_PER_PAGE", 3)


def members_url(group, **params):
    url = reverse("orgs:group_members", kwargs={"org_slug": "acme", "group_id": group.pk})
    return f"{url}?page={params['page']}" if "page" in params else url


def names(body):
    return re.findall(
        r'<td><span[^>]*class="avatar[^"]*"[^>]*>.*?</span> <a href="/acme/people/\d+/">([^<]+)</a>', body
    )


def add_members(cast, count):
    people = [add_person(cast.owner, f"crew{number}@acme.test", f"Crew {number:02d}") for number in range(count)]
    services.add_group_members(actor=cast.admin, group=cast.engineering, people=people, is_lead=False)


def test_leads_come_first_and_the_rest_follow_on_the_next_pages(client, cast, three_per_page):
    add_members(cast, 4)  # with the lead and the member: six people, two pages
    signed_in(client, cast.admin)
    first = client.get(members_url(cast.engineering)).content.decode()
    second = client.get(members_url(cast.engineering, page=2)).content.decode()
    assert names(first) == ["Lea Lead", "Crew 00", "Crew 01"]
    assert names(second) == ["Crew 02", "Crew 03", "Max Member"]
    assert "Page 1 of 2" in first and "Page 2 of 2" in second


def test_a_row_button_on_the_second_page_comes_back_to_it(client, cast, three_per_page):
    add_members(cast, 4)
    signed_in(client, cast.admin)
    body = client.get(members_url(cast.engineering, page=2)).content.decode()
    role_url = reverse(
        "orgs:group_member_role",
        kwargs={"org_slug": "acme", "group_id": cast.engineering.pk, "membership_id": cast.member.pk},
    )
    assert f'action="{role_url}?page=2"' in body
    response = client.post(f"{role_url}?page=2", {"role": "lead"})
    assert response.status_code == 302 and response["Location"] == members_url(cast.engineering, page=2)


@pytest.mark.parametrize("number", HOSTILE_PAGES)
def test_a_page_number_nobody_should_type_shows_the_first_or_the_last_page(client, cast, three_per_page, number):
    add_members(cast, 4)
    response = signed_in(client, cast.admin).get(members_url(cast.engineering), {"page": number})
    assert response.status_code == 200
    body = response.content.decode()
    assert ("Page 2 of 2" if number in (str(10**20), "99") else "Page 1 of 2") in body
    assert "<script>alert(1)</script>" not in body


def test_the_members_page_issues_the_same_queries_for_a_small_and_a_large_group(client, cast, three_per_page):
    def counts():
        signed_in(client, cast.admin)
        result = []
        for page in (1, 2):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(members_url(cast.engineering, page=page)).status_code == 200
            result.append(len(queries))
        return result

    add_members(cast, 4)
    few = counts()
    more = [add_person(cast.owner, f"more{number}@acme.test", f"More {number:02d}") for number in range(20)]
    services.add_group_members(actor=cast.admin, group=cast.engineering, people=more, is_lead=False)
    assert counts() == few
    assert max(few) <= 20


def test_another_organizations_group_members_are_not_found(client, cast, three_per_page):
    url = reverse("orgs:group_members", kwargs={"org_slug": "acme", "group_id": cast.beta_group.pk})
    assert signed_in(client, cast.admin).get(f"{url}?page=2").status_code == 404
