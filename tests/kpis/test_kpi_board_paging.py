"""The KPI board a page at a time: sections across pages, filters kept in the page links, flat
query counts, page numbers nobody should type, and the health counts (due ones counted in SQL)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.kpis import selectors, services
from lodestar.kpis.health import due_if_recorded_by, is_update_due
from lodestar.kpis.models import KPI
from tests.conftest import signed_in

HOSTILE_PAGES = ("0", "-1", "abc", str(10**20), "99", "1.5", "", "\x00", "2" * 5000, "<script>alert(1)</script>")


@pytest.fixture
def three_per_page(monkeypatch):
    monkeypatch.setattr(selectors, "KPIS_PER_PAGE", 3)


def page(client, membership, path):
    response = signed_in(client, membership).get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def add_kpis(cast, count, *, prefix="KPI", unhealthy=False, **options):
    for index in range(count):
        kpi = services.create_kpi(
            actor=cast.owner, name=f"{prefix} {index:02d}", owner=cast.member, rule="at_least", rule_min=10, **options
        )
        services.record_kpi_value(actor=cast.member, kpi=kpi, value=5 if unhealthy else 50, recorded_on=cast.today)


def names(body):
    return re.findall(r'/kpis/\d+/">([^<]+)</a>', body)


def test_the_board_pages_through_its_sections_with_their_whole_size(client, cast, three_per_page):
    add_kpis(cast, 4, prefix="Eng", groups=[cast.engineering])
    add_kpis(cast, 2, prefix="Loose")
    first = page(client, cast.viewer, "/acme/kpis/")
    assert names(first) == ["Eng 00", "Eng 01", "Eng 02"]
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    assert re.search(r"Engineering <span class=\"muted small\">4</span>", first)  # all four, not the three shown
    second = page(client, cast.viewer, "/acme/kpis/?page=2")
    assert names(second) == ["Eng 03", "Loose 00", "Loose 01"]
    assert "Engineering" in second and "No group" in second and "Page 2 of 2" in second
    assert "6 healthy" in second  # the counts are of all KPIs, on every page


def test_a_kpi_of_two_groups_counts_once_per_group_across_pages(client, cast, three_per_page):
    add_kpis(cast, 3, prefix="Both", groups=[cast.engineering, cast.sales_group])
    bodies = [page(client, cast.viewer, f"/acme/kpis/?page={number}") for number in (1, 2)]
    assert names(bodies[0]) + names(bodies[1]) == ["Both 00", "Both 01", "Both 02"] * 2


def test_filters_and_arrangement_stay_in_the_page_links(client, cast, three_per_page):
    add_kpis(cast, 4, prefix="Bad", unhealthy=True)
    add_kpis(cast, 3, prefix="Good")
    first = page(client, cast.viewer, "/acme/kpis/?by=owner&health=unhealthy")
    assert 'href="?by=owner&amp;health=unhealthy&amp;page=2"' in first
    second = page(client, cast.viewer, "/acme/kpis/?by=owner&health=unhealthy&page=2")
    assert names(second) == ["Bad 03"]
    assert 'href="?by=owner&amp;health=unhealthy&amp;page=1"' in second
    assert "Max Member" in second and "Good" not in second
    assert "3 healthy" in second and "4 unhealthy" in second


def test_owners_of_one_name_get_a_section_each(client, cast, three_per_page):
    cast.sales.user.full_name = cast.member.user.full_name
    cast.sales.user.save()
    services.create_kpi(actor=cast.owner, name="Theirs", owner=cast.sales)
    services.create_kpi(actor=cast.owner, name="Mine", owner=cast.member)
    body = page(client, cast.viewer, "/acme/kpis/?by=owner")
    assert body.count("Max Member <span") == 2


@pytest.mark.parametrize("number", HOSTILE_PAGES)
def test_a_page_number_nobody_should_type_shows_the_first_or_the_last_page(client, cast, three_per_page, number):
    add_kpis(cast, 7)
    response = signed_in(client, cast.viewer).get("/acme/kpis/", {"by": "owner", "page": number})
    assert response.status_code == 200
    body = response.content.decode()
    past_the_end = number in (str(10**20), "99")
    assert ("Page 3 of 3" if past_the_end else "Page 1 of 3") in body
    assert "<script>alert(1)</script>" not in body


def test_the_board_issues_the_same_queries_for_few_and_many_kpis(client, cast, three_per_page):
    def counts():
        signed_in(client, cast.member)
        result = []
        for path in ("/acme/kpis/", "/acme/kpis/?page=2", "/acme/kpis/?by=owner&page=2"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            result.append(len(queries))
        return result

    add_kpis(cast, 4, groups=[cast.engineering])
    add_kpis(cast, 3, prefix="Loose")
    few = counts()
    add_kpis(cast, 20, prefix="More", groups=[cast.engineering, cast.sales_group])
    assert counts() == few
    assert max(few) <= 20


def test_another_organizations_kpis_are_neither_listed_nor_reachable(client, cast, three_per_page):
    services.create_kpi(actor=cast.beta_owner, name="Beta secret", owner=cast.beta_member, groups=[cast.beta_group])
    add_kpis(cast, 4)
    for number in (1, 2):
        assert "Beta secret" not in page(client, cast.viewer, f"/acme/kpis/?page={number}")
    assert signed_in(client, cast.member).get("/beta/kpis/?page=1").status_code == 404


def test_a_kpi_is_counted_due_in_sql_on_the_same_days_as_on_its_row():
    """due_if_recorded_by is the last day a latest value may have to be due, for every cadence and
    every day of two years (month ends, leap day)."""
    start = datetime.date(2027, 1, 1)
    for offset in range(730):
        today = start + datetime.timedelta(days=offset)
        for cadence in KPI.Cadence.values:
            last = due_if_recorded_by(cadence, today)
            assert is_update_due(last, cadence, today)
            assert not is_update_due(last + datetime.timedelta(days=1), cadence, today)


def test_the_update_due_count_covers_every_page(client, cast, three_per_page):
    long_ago = cast.today - datetime.timedelta(days=400)
    for index in range(5):
        kpi = services.create_kpi(actor=cast.owner, name=f"Stale {index}", owner=cast.member)
        services.record_kpi_value(actor=cast.member, kpi=kpi, value=1, recorded_on=long_ago)
    services.create_kpi(actor=cast.owner, name="Never measured", owner=cast.member)
    add_kpis(cast, 2, cadence=KPI.Cadence.QUARTERLY)
    assert "6 updates due" in page(client, cast.viewer, "/acme/kpis/?page=3")
