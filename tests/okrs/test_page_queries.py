"""The objective, edit objective and key result pages issue as many queries for a bare objective as
for one with everything a page shows: a deep alignment chain with a private parent, children (one
private and hidden), many key results with owners and contributors, check-ins, initiatives,
comments with reactions, a history of changes (of lead and owner too), KPIs and carry-overs.

Each page is asked by people who read it through different rules (the lead, a group lead, an
admin, a read-only viewer); the counts must be equal, and the SQL is printed when they are not.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.conversations import services as conversations
from lodestar.kpis import services as kpis
from lodestar.okrs import services as okrs
from tests import factories

# At most, for any reader: sign-in, navigation and comments included, and the bell's second query for
# a reader with unread notifications about private objectives (one fewer for the others).
MAX_QUERIES = {"objective": 25, "objective_edit": 23, "key_result": 19}


def bare_objective(cast):
    """An Engineering objective the member leads, aligned to a company objective, with one key result
    and one check-in: nothing else. (Unaligned, its edit page reads no current parent: one query fewer.)"""
    company = factories.objective(cast.owner, timeframe=cast.quarter, title="Customers stay with us")
    objective = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Alerts reach the right person", level="group",
        groups=[cast.engineering], lead=cast.member, parent=company,
    )  # fmt: skip
    key_result = factories.metric(cast.owner, objective, owner=cast.member)
    okrs.record_check_in(actor=cast.member, key_result=key_result, value=5, status="on_track")
    return objective, key_result


def full_objective(cast, next_quarter):
    """The member's Engineering objective with everything its pages show."""
    chain = factories.objective(cast.owner, timeframe=cast.quarter, title="Customers come back")
    for depth in range(4):  # a deep chain of group objectives above it
        chain = factories.objective(
            cast.owner, timeframe=cast.quarter, title=f"Level {depth}", level="group", groups=[cast.engineering],
            lead=cast.lead, parent=chain,
        )  # fmt: skip
    hidden_parent = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Sales' secret", level="group", groups=[cast.sales_group],
        lead=cast.sales, parent=chain, visibility="private",
    )  # fmt: skip
    earlier = factories.objective(
        cast.owner, timeframe=cast.closed, title="Alerts, first attempt", level="group", groups=[cast.engineering],
        lead=cast.member,
    )  # fmt: skip
    factories.metric(cast.owner, earlier, owner=cast.member, title="Pages answered within 5 minutes")
    objective = okrs.carry_over_objective(actor=cast.owner, objective=earlier, timeframe=cast.quarter)
    kpi = kpis.create_kpi(actor=cast.owner, name="Open tickets", owner=cast.member, rule="at_most", rule_max=60)
    objective = okrs.update_objective(
        actor=cast.owner, objective=objective, state="active", parent=hidden_parent, lead=cast.lead,
        contributors=[cast.sales, cast.admin], kpis=[kpi],
    )  # fmt: skip
    objective = okrs.update_objective(actor=cast.owner, objective=objective, lead=cast.member, title="Alerts, again")
    key_results = [factories.metric(cast.owner, objective, owner=cast.member, title=f"Result {n}") for n in range(5)]
    key_results[1] = okrs.update_key_result(
        actor=cast.owner, key_result=key_results[1], owner=cast.lead, contributors=[cast.member, cast.sales]
    )
    for key_result in key_results:
        okrs.record_check_in(actor=cast.owner, key_result=key_result, value=10, status="on_track")
        okrs.record_check_in(actor=cast.owner, key_result=key_result, value=20, status="needs_attention")
    okrs.create_initiative(
        actor=cast.member, title="Rewrite the router", key_results=key_results[:2], owner=cast.member
    )
    okrs.create_initiative(actor=cast.owner, title="On-call rota", key_results=key_results[2:], owner=cast.lead)
    for title, lead, group, visibility in (
        ("A public child", cast.lead, cast.engineering, "public"),
        ("An Engineering secret", cast.lead, cast.engineering, "private"),
        ("Sales' child secret", cast.sales, cast.sales_group, "private"),
    ):
        factories.objective(
            cast.owner, timeframe=cast.quarter, title=title, level="group", groups=[group], lead=lead,
            parent=objective, visibility=visibility,
        )  # fmt: skip
    for target in (objective, key_results[0]):
        comment = conversations.post_comment(actor=cast.owner, target=target, body="How is it going, @[Max Member]?")
        conversations.toggle_reaction(actor=cast.lead, comment=comment, emoji="eyes")
        conversations.post_comment(actor=cast.member, target=target, body="Better every week.")
    okrs.carry_over_objective(actor=cast.owner, objective=objective, timeframe=next_quarter)
    return objective, key_results[0]


def count_queries(client, person, url) -> tuple[int, str]:
    client.force_login(person.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), "\n".join(query["sql"] for query in queries.captured_queries)


def urls(cast, objective, key_result) -> dict[str, str]:
    slug = cast.acme.slug
    return {
        "objective": reverse("okrs:objective", kwargs={"org_slug": slug, "objective_id": objective.pk}),
        "objective_edit": reverse("okrs:objective_edit", kwargs={"org_slug": slug, "objective_id": objective.pk}),
        "key_result": reverse("okrs:key_result", kwargs={"org_slug": slug, "key_result_id": key_result.pk}),
    }


@pytest.mark.parametrize("reader", ["member", "lead", "admin", "viewer"])
def test_goal_pages_issue_as_many_queries_for_a_bare_objective_as_for_a_full_one(client, cast, next_quarter, reader):
    bare, full = urls(cast, *bare_objective(cast)), urls(cast, *full_objective(cast, next_quarter))
    person = getattr(cast, reader)
    failures = []
    for page, limit in MAX_QUERIES.items():
        if page == "objective_edit" and reader == "viewer":
            continue  # read-only: refused before any page is drawn
        bare_count, _ = count_queries(client, person, bare[page])
        full_count, full_sql = count_queries(client, person, full[page])
        if bare_count != full_count or full_count > limit:
            failures.append(f"{page}: {bare_count} vs {full_count} queries (at most {limit})\n{full_sql}")
    assert not failures, "\n\n".join(failures)
