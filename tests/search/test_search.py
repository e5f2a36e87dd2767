"""Global search: what it finds, what it never shows, and that it answers calmly to anything."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.kpis import services as kpis
from lodestar.orgs import services as orgs
from lodestar.search import selectors
from tests import factories
from tests.conftest import add_person, signed_in

SECRET = "Zephyr acquisition of Beta Corp"


def search(client, membership, query, **headers):
    return signed_in(client, membership).get(f"/{membership.organization.slug}/search/", {"q": query}, **headers)


def page(client, membership, query) -> str:
    response = search(client, membership, query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def secret(cast):
    """A private objective the lead contributes to; Sam from Sales is outside it."""
    objective = factories.objective(
        cast.owner, timeframe=cast.quarter, title=SECRET, visibility="private", contributors=[cast.lead]
    )
    key_result = factories.metric(cast.owner, objective, owner=cast.lead, title="Zephyr due diligence done")
    return objective, key_result


def test_finds_an_objective_by_part_of_its_title_in_any_case(client, world):
    body = page(client, world.cast.sales, "SECRET pl")
    assert "Acme&#x27;s secret plan" in body
    assert f"/acme/objectives/{world.objective.pk}/" in body


def test_finds_an_objective_by_its_description(client, cast):
    objective = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Grow abroad", description="Open the Lisbon office"
    )
    assert f"/acme/objectives/{objective.pk}/" in page(client, cast.member, "lisbon")


def test_finds_a_key_result_with_its_objective(client, world):
    body = page(client, world.cast.sales, "weekly ACTIVE")
    assert f"/acme/key-results/{world.key_result.pk}/" in body
    assert "Acme&#x27;s secret plan" in body  # the objective it belongs to


def test_shows_status_and_progress_of_goals(client, world):
    body = page(client, world.cast.sales, "secret plan")
    assert 'class="pill status-' in body
    assert 'class="progress"' in body


def test_finds_people_by_name_e_mail_and_job_title(client, cast):
    orgs.update_membership(actor=cast.owner, membership=cast.sales, job_title="Head of Channel Sales")
    for query in ("sam sal", "SALES@ACME", "channel"):
        assert f"/acme/people/{cast.sales.pk}/" in page(client, cast.member, query), query


def test_deactivated_people_are_not_found(client, cast):
    orgs.update_membership(actor=cast.owner, membership=cast.sales, is_active=False)
    body = page(client, cast.member, "Sam Sales")
    assert f"/acme/people/{cast.sales.pk}/" not in body


def test_finds_a_group_by_part_of_its_name(client, cast):
    body = page(client, cast.member, "ENGINEER")
    assert f"/acme/groups/{cast.engineering.pk}/" in body


def test_finds_a_kpi_by_part_of_its_name_with_its_value_and_health(client, cast):
    kpi = kpis.create_kpi(actor=cast.owner, name="Net Promoter Score", owner=cast.owner, rule="at_least", rule_min=40)
    kpis.record_kpi_value(actor=cast.owner, kpi=kpi, value=35, recorded_on=cast.today)
    body = page(client, cast.viewer, "promoter")
    assert "Net Promoter Score" in body
    assert "35" in body
    assert "Unhealthy" in body


def test_a_private_objective_and_its_key_results_are_not_found_by_someone_outside_it(client, cast, secret):
    factories.objective(cast.owner, timeframe=cast.quarter, title="Zephyr public launch", lead=cast.sales)
    body = page(client, cast.sales, "zephyr")
    assert SECRET not in body
    assert "Zephyr due diligence done" not in body
    assert "1 result for" in body  # counts include only what Sam may see


@pytest.mark.parametrize("who", ["lead", "admin", "owner"])
def test_a_private_objective_is_found_by_those_who_may_see_it(client, cast, secret, who):
    objective, key_result = secret
    body = page(client, getattr(cast, who), "zephyr")
    assert f"/acme/objectives/{objective.pk}/" in body
    assert f"/acme/key-results/{key_result.pk}/" in body


def test_another_organizations_objects_are_never_found(client, cast):
    acme_objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Twin title")
    beta_objective = factories.objective(cast.beta_owner, timeframe=cast.beta_quarter, title="Twin title")
    beta_kr = factories.metric(cast.beta_owner, beta_objective, title="Twin title KR")
    beta_kpi = kpis.create_kpi(actor=cast.beta_owner, name="Twin title KPI", owner=cast.beta_owner)
    body = page(client, cast.owner, "twin")
    assert f"/acme/objectives/{acme_objective.pk}/" in body
    assert f"/objectives/{beta_objective.pk}/" not in body
    assert f"/key-results/{beta_kr.pk}/" not in body
    assert beta_kpi.name not in body
    assert "1 result for" in body
    body = page(client, cast.owner, "engineering")
    assert f"/groups/{cast.beta_group.pk}/" not in body
    assert "Bea Beta" not in page(client, cast.owner, "bea")


def test_goals_of_the_current_timeframe_come_first(client, cast):
    factories.objective(cast.owner, timeframe=cast.closed, title="Aardvark plan")
    factories.objective(cast.owner, timeframe=cast.quarter, title="Zebra plan")
    body = page(client, cast.member, "plan")
    assert body.index("Zebra plan") < body.index("Aardvark plan")


def test_results_are_capped_per_kind_and_say_how_many_there_are(client, cast):
    for number in range(12):
        kpis.create_kpi(actor=cast.owner, name=f"Uptime {number:02}", owner=cast.owner)
    body = page(client, cast.member, "uptime")
    assert "Uptime 09" in body
    assert "Uptime 10" not in body
    assert "Showing the first 10 of 12." in body


def test_an_empty_query_explains_what_can_be_searched(client, cast):
    for query in ("", "   ", "\x00"):
        body = page(client, cast.member, query)
        assert "Find anything in your organization" in body


def test_no_matches_say_so(client, cast):
    body = page(client, cast.member, "qwxzv")
    assert "Nothing matches “qwxzv”" in body
    assert "Check the spelling" in body


def test_the_top_bar_keeps_the_trimmed_query(client, cast):
    body = page(client, cast.member, "  Engineering  ")
    assert 'name="q" value="Engineering"' in body


@pytest.mark.parametrize(
    "query",
    [
        "%",
        "_",
        "\\",
        "%_\\%",
        "<script>alert(1)</script>",
        "a\x00b",
        "\x00",
        "x" * 10_000,
        "🧭 emoji",
        "'; --",
        "\u202e",
    ],
)
def test_hostile_queries_are_answered_calmly(client, world, query):
    body = page(client, world.cast.member, query)
    assert "<script>alert(1)</script>" not in body


def test_wildcards_are_taken_literally(client, cast):
    factories.objective(cast.owner, timeframe=cast.quarter, title="Reach 100% uptime")
    assert "Reach 100% uptime" in page(client, cast.member, "0%")
    assert "Nothing matches" in page(client, cast.member, "_%")


def test_control_characters_are_dropped_and_the_query_is_capped_at_100_characters(client, cast):
    body = page(client, cast.member, "Engi\x00neering")
    assert f"/acme/groups/{cast.engineering.pk}/" in body
    body = page(client, cast.member, "y" * 150)
    assert 'value="' + "y" * 100 + '"' in body
    assert "y" * 101 not in body


def test_an_htmx_request_gets_only_the_results(client, world):
    response = search(client, world.cast.member, "secret", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Acme&#x27;s secret plan" in body
    assert "HX-Request" in response["Vary"]


def test_another_organizations_timeframe_is_refused(client, cast):
    response = signed_in(client, cast.beta_member).get("/beta/search/", {"q": "a", "timeframe": cast.quarter.pk})
    assert response.status_code == 404


def _count_queries(client, membership, query) -> tuple[int, list[str]]:
    signed_in(client, membership)
    client.get(f"/acme/search/?q={query}")  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/acme/search/?q={query}")
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def _add_matches(cast, count: int, first: int = 0) -> None:
    for number in range(first, first + count):
        objective = factories.objective(cast.owner, timeframe=cast.quarter, title=f"Match objective {number}")
        factories.metric(cast.owner, objective, title=f"Match key result {number}")
        kpis.create_kpi(actor=cast.owner, name=f"Match KPI {number}", owner=cast.owner)
        orgs.create_group(actor=cast.owner, name=f"Match group {number}")
        add_person(cast.owner, f"match{number}@acme.test", f"Match Person {number}")


@pytest.mark.parametrize("who", ["member", "admin"])
def test_query_count_does_not_grow_with_the_number_of_matches(client, cast, who):
    _add_matches(cast, 3)
    few, _ = _count_queries(client, getattr(cast, who), "match")
    _add_matches(cast, 27, first=3)
    many, sql = _count_queries(client, getattr(cast, who), "match")
    assert few == many, "\n".join(sql)


# --- many matches: capped counts, the newest shown ----------------------------------------------


@pytest.fixture
def small_cap(monkeypatch):
    """Counts stop at 3 and two hits show per kind, so that "many" needs only a few rows."""
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    monkeypatch.setattr(selectors, "RESULTS_PER_KIND", 2)


def test_beyond_the_cap_counts_say_more_than_and_the_newest_are_shown(client, cast, small_cap):
    for number in range(5):
        kpis.create_kpi(actor=cast.owner, name=f"Uptime {number:02}", owner=cast.owner)
    body = page(client, cast.member, "uptime")
    assert "More than 3 results for “uptime”" in body
    assert '<span class="muted">3+</span>' in body
    assert "Showing the 2 most recently added of more than 3." in body
    assert body.index("Uptime 04") < body.index("Uptime 03")  # newest first
    assert "Uptime 02" not in body


def test_up_to_the_cap_counts_are_exact_and_the_first_are_shown(client, cast, small_cap):
    for number in range(3):
        kpis.create_kpi(actor=cast.owner, name=f"Uptime {number:02}", owner=cast.owner)
    body = page(client, cast.member, "uptime")
    assert "3 results for “uptime”" in body
    assert "More than" not in body
    assert "Showing the first 2 of 3." in body
    assert "Uptime 00" in body
    assert "Uptime 02" not in body


def test_capped_counts_include_only_what_the_person_may_see(client, cast, small_cap):
    for number in range(3):
        factories.objective(cast.owner, timeframe=cast.quarter, title=f"Zephyr public {number}")
    for number in range(2):
        factories.objective(
            cast.owner, timeframe=cast.quarter, title=f"Zephyr secret {number}", visibility="private",
            contributors=[cast.lead],
        )  # fmt: skip
    outside = page(client, cast.sales, "zephyr")
    assert "3 results for “zephyr”" in outside
    assert "More than" not in outside
    assert "secret" not in outside
    inside = page(client, cast.lead, "zephyr")
    assert "More than 3 results for “zephyr”" in inside
    assert "Zephyr secret 1" in inside  # the newest


def test_a_person_found_by_name_and_by_job_title_counts_once(client, cast):
    person = add_person(cast.owner, "mia@acme.test", "Match Person", job_title="Match maker")
    body = page(client, cast.member, "match")
    assert "1 result for “match”" in body
    assert f"/acme/people/{person.pk}/" in body


def test_beyond_the_cap_the_newest_people_are_shown_whether_found_by_name_or_job_title(client, cast, small_cap):
    orgs.update_membership(actor=cast.owner, membership=cast.sales, job_title="Match maker")
    newest = [add_person(cast.owner, f"match{number}@acme.test", f"Person {number}") for number in range(3)]
    orgs.update_membership(actor=cast.owner, membership=newest[-1], job_title="Match maker")
    body = page(client, cast.member, "match")
    assert '<span class="muted">3+</span>' in body
    assert f"/acme/people/{newest[2].pk}/" in body
    assert f"/acme/people/{newest[1].pk}/" in body
    assert f"/acme/people/{cast.sales.pk}/" not in body


def test_query_count_is_the_same_below_and_beyond_the_cap(client, cast, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    _add_matches(cast, 3)
    few, _ = _count_queries(client, cast.member, "match")
    _add_matches(cast, 5, first=3)
    many, sql = _count_queries(client, cast.member, "match")
    assert few == many, "\n".join(sql)


# --- short queries ------------------------------------------------------------------------------


def test_a_short_query_finds_names_by_the_start_of_a_word(client, cast):
    web_qa = orgs.create_group(actor=cast.owner, name="Web QA")
    iqaluit = orgs.create_group(actor=cast.owner, name="Iqaluit office")
    anna = add_person(cast.owner, "anna.wu@acme.test", "Anna Wu")
    body = page(client, cast.member, "qa")
    assert f"/acme/groups/{web_qa.pk}/" in body
    assert f"/acme/groups/{iqaluit.pk}/" not in body
    assert f"/acme/people/{anna.pk}/" in page(client, cast.member, "Wu")


def test_a_short_query_finds_objective_titles_of_the_chosen_timeframe_only(client, cast):
    current = factories.objective(cast.owner, timeframe=cast.quarter, title="Halve the QA cycle")
    earlier = factories.objective(cast.owner, timeframe=cast.closed, title="Start a QA guild")
    factories.metric(cast.owner, current, title="QA sign-off in a day")
    body = page(client, cast.member, "qa")
    assert f"/acme/objectives/{current.pk}/" in body
    assert f"/acme/objectives/{earlier.pk}/" not in body
    assert "QA sign-off in a day" not in body  # key results need three letters
    assert "is short, so only the titles of this timeframe’s objectives" in body
    signed_in(client, cast.member)
    body = client.get("/acme/search/", {"q": "qa", "timeframe": cast.closed.pk}).content.decode()
    assert f"/acme/objectives/{earlier.pk}/" in body


def test_a_short_query_without_matches_explains_what_was_searched(client, cast):
    body = page(client, cast.member, "qx")
    assert "Nothing matches “qx”" in body
    assert "Type at least three letters to search everything." in body


def test_a_query_without_letters_or_digits_matches_nothing(client, cast):
    factories.objective(cast.owner, timeframe=cast.quarter, title="Reach 100% uptime")
    assert "Nothing matches" in page(client, cast.member, "%")


# --- more of one kind, a page at a time ---------------------------------------------------------


def kind_page(client, membership, query, kind, number=None, **headers) -> str:
    params = {"q": query, "kind": kind, **({"page": number} if number else {})}
    response = signed_in(client, membership).get(f"/{membership.organization.slug}/search/", params, **headers)
    assert response.status_code == 200
    return response.content.decode()


def _uptime_kpis(cast, count: int) -> None:
    for number in range(count):
        kpis.create_kpi(actor=cast.owner, name=f"Uptime {number:02}", owner=cast.owner)


def test_the_overview_links_to_all_matches_of_a_kind(client, cast):
    _uptime_kpis(cast, 12)
    assert 'href="?q=uptime&amp;kind=kpis"' in page(client, cast.member, "uptime")


def test_all_matches_of_a_kind_are_shown_twenty_at_a_time_with_a_link_to_the_next(client, cast):
    _uptime_kpis(cast, 25)
    first = kind_page(client, cast.member, "uptime", "kpis")
    assert "Uptime 00" in first
    assert "Uptime 19" in first
    assert "Uptime 20" not in first
    assert 'href="?q=uptime&amp;kind=kpis&amp;page=2"' in first
    assert "All results for “uptime”" in first
    second = kind_page(client, cast.member, "uptime", "kpis", 2)
    assert "Uptime 19" not in second
    assert "Uptime 24" in second
    assert "Matches 21 to 25." in second
    assert "page=3" not in second


def test_show_more_for_htmx_is_only_the_next_rows_and_the_next_button(client, cast):
    _uptime_kpis(cast, 45)
    body = kind_page(client, cast.member, "uptime", "kpis", 2, headers={"HX-Request": "true"})
    assert "<html" not in body
    assert "<section" not in body
    assert body.count('<li class="search-hit">') == 20
    assert 'hx-get="?q=uptime&amp;kind=kpis&amp;page=3"' in body
    assert 'hx-target="#search-more-kpis-3"' in body


def test_links_to_more_keep_the_chosen_timeframe(client, cast):
    for number in range(12):
        factories.objective(cast.owner, timeframe=cast.closed, title=f"Plan {number:02}")
    signed_in(client, cast.member)
    body = client.get("/acme/search/", {"q": "plan", "timeframe": cast.closed.pk}).content.decode()
    assert f'href="?q=plan&amp;timeframe={cast.closed.pk}&amp;kind=objectives"' in body


def test_a_page_past_the_last_match_says_so(client, cast):
    _uptime_kpis(cast, 3)
    assert "No more matches." in kind_page(client, cast.member, "uptime", "kpis", 7)
    assert "Nothing matches “qwxzv”" in kind_page(client, cast.member, "qwxzv", "kpis")


@pytest.mark.parametrize(
    ("kind", "number"),
    [("<script>alert(1)</script>", "2"), ("objective", "1"), ("kpis", "-1"), ("kpis", "0"), ("kpis", "9" * 400),
     ("kpis", "１２３"), ("kpis", "2\x00"), ("\x00", "1"), ("kpis", "1.5"), ("kpis", "99999999")],
)  # fmt: skip
def test_hostile_kinds_and_page_numbers_are_answered_calmly(client, world, kind, number):
    body = kind_page(client, world.cast.member, "secret", kind, number)
    assert "<script>alert(1)</script>" not in body


def test_pages_of_goals_include_only_what_the_person_may_see(client, cast, secret, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    for number in range(3):
        factories.objective(cast.owner, timeframe=cast.quarter, title=f"Zephyr public {number}")
    pages = [kind_page(client, cast.sales, "zephyr", "objectives", number) for number in (1, 2, 3)]
    assert "Zephyr public 2" in pages[1]
    assert all(SECRET not in body for body in pages)
    assert all('<span class="muted">3</span>' in body for body in pages)  # the count of what Sam may see
    assert "No more matches." in pages[2]
    key_results = kind_page(client, cast.sales, "zephyr due", "key_results")
    assert "Zephyr due diligence done" not in key_results
    assert "Nothing matches" in key_results
    assert "Zephyr due diligence done" in kind_page(client, cast.lead, "zephyr due", "key_results")


def test_pages_never_show_another_organizations_goals(client, cast):
    beta_objective = factories.objective(cast.beta_owner, timeframe=cast.beta_quarter, title="Twin title")
    factories.metric(cast.beta_owner, beta_objective, title="Twin title KR")
    for kind in ("objectives", "key_results"):
        body = kind_page(client, cast.owner, "twin", kind)
        assert "Twin title" not in body
        assert "Nothing matches" in body


def test_beyond_the_cap_pages_go_from_the_newest_to_the_oldest(client, cast, small_cap, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    _uptime_kpis(cast, 5)
    pages = [kind_page(client, cast.member, "uptime", "kpis", number) for number in (1, 2, 3)]
    assert pages[0].index("Uptime 04") < pages[0].index("Uptime 03")
    assert "Uptime 02" in pages[1] and "Uptime 01" in pages[1]
    assert "Uptime 00" in pages[2]
    assert "page=4" not in pages[2]
    assert "The most recently added first." in pages[0]


def test_beyond_the_cap_pages_of_people_take_both_name_and_job_title_matches_in_turn(
    client, cast, small_cap, monkeypatch
):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    orgs.update_membership(actor=cast.owner, membership=cast.sales, job_title="Match maker")
    people = [add_person(cast.owner, f"match{number}@acme.test", f"Person {number}") for number in range(3)]
    newest_first = [*reversed(people), cast.sales]
    found = [kind_page(client, cast.member, "match", "people", number) for number in (1, 2)]
    for index, person in enumerate(newest_first):
        assert f"/acme/people/{person.pk}/" in found[index // 2], person


@pytest.mark.parametrize("who", ["member", "admin"])
@pytest.mark.parametrize("kind", ["objectives", "key_results", "people"])
def test_query_count_of_a_page_does_not_grow_with_the_matches_or_the_page(client, cast, who, kind):
    _add_matches(cast, 3)
    few, _ = _count_queries(client, getattr(cast, who), f"match&kind={kind}")
    _add_matches(cast, 45, first=3)
    many, sql = _count_queries(client, getattr(cast, who), f"match&kind={kind}&page=2")
    assert few == many, "\n".join(sql)


# --- letters beyond A to Z ----------------------------------------------------------------------


def test_umlauts_and_sharp_s_match_whatever_the_case(client, cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Änderungen schneller ausrollen")
    group = orgs.create_group(actor=cast.owner, name="Straßenbau Süd")
    person = add_person(cast.owner, "jurgen@acme.test", "JÜRGEN Weiß")
    assert f"/acme/objectives/{objective.pk}/" in page(client, cast.member, "ÄNDERUNG")
    assert f"/acme/groups/{group.pk}/" in page(client, cast.member, "straßenbau süd")
    assert f"/acme/people/{person.pk}/" in page(client, cast.member, "jürgen weiß")
    assert "Nothing matches" in page(client, cast.member, "strasse")  # ß is its own letter, not "ss"


def test_a_two_letter_query_with_an_umlaut_finds_word_starts_and_titles(client, cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Ölwechsel digital planen")
    group = orgs.create_group(actor=cast.owner, name="Über uns")
    body = page(client, cast.member, "öl")
    assert f"/acme/objectives/{objective.pk}/" in body
    assert f"/acme/groups/{group.pk}/" in page(client, cast.member, "ÜB")
