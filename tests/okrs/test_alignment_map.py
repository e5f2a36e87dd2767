"""The alignment map: the tree of a timeframe's objectives, filters, the highlighted path, lazy branches."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.okrs import alignment_map, services
from lodestar.okrs.models import Objective
from lodestar.orgs import services as orgs
from tests import factories
from tests.conftest import signed_in

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def tree(cast):
    """Year goal (another, longer timeframe) ← company ← Engineering ← Platform (a sub-group) ← personal;
    an unaligned Sales objective; a private Engineering objective with a public personal one below."""
    year = services.create_timeframe(
        actor=cast.owner,
        name="This year",
        kind="year",
        starts_on=cast.quarter.starts_on - datetime.timedelta(days=30),
        ends_on=cast.quarter.ends_on + datetime.timedelta(days=30),
        state="active",
    )
    platform = orgs.create_group(actor=cast.owner, name="Platform", parent=cast.engineering)
    orgs.set_group_member(actor=cast.owner, group=platform, membership=cast.member)
    goal = factories.objective(cast.owner, timeframe=year, title="Become the telematics leader")
    company = factories.objective(cast.owner, timeframe=cast.quarter, title="Customers love our product", parent=goal)
    team = group_objective(cast, "Ship the new onboarding", cast.engineering, lead=cast.lead, parent=company)
    platform_goal = group_objective(cast, "APIs never go down", platform, lead=cast.member, parent=team)
    personal = factories.objective(
        cast.member,
        timeframe=cast.quarter,
        title="Learn Rust",
        level="personal",
        lead=cast.member,
        parent=platform_goal,
    )
    unaligned = group_objective(cast, "Close ten deals", cast.sales_group, lead=cast.sales)
    secret = group_objective(cast, "Acquire a startup", cast.engineering, lead=cast.lead, parent=company)
    services.update_objective(actor=cast.owner, objective=secret, visibility=Objective.Visibility.PRIVATE)
    below_secret = factories.objective(
        cast.lead, timeframe=cast.quarter, title="Due diligence done", level="personal", lead=cast.lead, parent=secret
    )
    factories.metric(cast.owner, team, owner=cast.lead)
    return locals()


def group_objective(cast, title, group, *, lead, parent=None):
    return factories.objective(
        cast.owner, timeframe=cast.quarter, title=title, level="group", groups=[group], lead=lead, parent=parent
    )


def page(client, membership, query=""):
    response = signed_in(client, membership).get(f"/acme/map/{query}")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def titles(nodes):
    return [node.card.title for node in nodes]


def nested(nodes):
    """The drawn tree as (title, [children]) pairs."""
    return [(node.card.title, nested(node.children)) for node in nodes]


def test_the_map_draws_the_tree_from_the_longer_timeframes_goal_down_to_personal_objectives(cast, tree):
    the_map = alignment_map.alignment_map(cast.lead, cast.quarter, today=cast.today)
    assert nested(the_map.company.nodes) == [
        ("Become the telematics leader", [
            ("Customers love our product", [
                ("Acquire a startup", [("Due diligence done", [])]),
                ("Ship the new onboarding", [("APIs never go down", [("Learn Rust", [])])]),
            ])
        ])
    ]  # fmt: skip
    assert the_map.company.nodes[0].timeframe_name == "This year"
    assert titles(the_map.unaligned.nodes) == ["Close ten deals"] and the_map.beyond_sight.total == 0


def test_the_page_shows_each_objectives_progress_status_lead_and_groups(client, cast, tree):
    body = page(client, cast.viewer)
    row = body[body.index(f'id="node-{tree["team"].pk}"') :][:3000]
    for text in ("Ship the new onboarding", "Engineering", "Lea Lead", "progress-track", "status-none", "Path"):
        assert text in row


def test_a_private_objective_stays_hidden_and_what_aligns_to_it_is_set_apart(client, cast, tree):
    the_map = alignment_map.alignment_map(cast.sales, cast.quarter, today=cast.today)
    assert titles(the_map.beyond_sight.nodes) == ["Due diligence done"]
    assert "Acquire a startup" not in str(nested(the_map.company.nodes))
    assert the_map.objective_count == 7
    body = page(client, cast.sales)
    assert "Acquire a startup" not in body and "Aligned to a private objective" in body
    assert "Acquire a startup" in page(client, cast.member)  # a member of its owning group


def test_a_status_filter_keeps_the_matches_and_what_they_align_to(cast, tree):
    factories.metric(cast.owner, tree["platform_goal"], owner=cast.member, title="Uptime")
    key_result = tree["platform_goal"].key_results.get()
    services.record_check_in(actor=cast.member, key_result=key_result, value=1, status="off_track")
    filters = alignment_map.MapFilters(status="off_track")
    the_map = alignment_map.alignment_map(cast.viewer, cast.quarter, today=cast.today, filters=filters)
    assert nested(the_map.company.nodes) == [
        ("Become the telematics leader", [
            ("Customers love our product", [("Ship the new onboarding", [("APIs never go down", [])])])
        ])
    ]  # fmt: skip
    assert the_map.matching == 1 and the_map.unaligned.total == 0
    context = [node.matches for node in (the_map.company.nodes[0], the_map.company.nodes[0].children[0])]
    assert context == [False, False]


def test_a_group_filter_takes_in_sub_groups_and_their_members_personal_objectives(cast, tree):
    filters = alignment_map.MapFilters(group=cast.engineering)
    the_map = alignment_map.alignment_map(cast.lead, cast.quarter, today=cast.today, filters=filters)
    matching = {node.card.title for node in walk(the_map.company.nodes) if node.matches}
    assert matching == {
        "Ship the new onboarding",
        "APIs never go down",
        "Learn Rust",
        "Acquire a startup",
        "Due diligence done",
    }


def test_a_person_filter_keeps_what_they_lead_own_or_contribute_to(cast, tree):
    filters = alignment_map.MapFilters(person=cast.member)
    the_map = alignment_map.alignment_map(cast.viewer, cast.quarter, today=cast.today, filters=filters)
    assert {node.card.title for node in walk(the_map.company.nodes) if node.matches} == {
        "APIs never go down",
        "Learn Rust",
    }


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node.children)


def test_filters_come_from_the_query_string_and_an_unknown_group_is_a_message(client, cast, tree):
    body = page(client, cast.viewer, "?group=engineering&status=none")
    assert "Close ten deals" not in body and "Learn Rust" in body
    body = page(client, cast.viewer, "?group=Marketing")
    assert 'class="field-error"' in body and "No group of this name" in body
    assert "Close ten deals" in body  # nothing narrowed
    body = page(client, cast.viewer, "?person=nobody@acme.test&status=sideways")
    assert body.count('class="field-error"') == 2


def test_focus_highlights_the_path_up_to_the_top_and_opens_it(client, cast, tree, monkeypatch):
    monkeypatch.setattr(alignment_map, "MAP_NODES_SHOWN", 2)
    body = page(client, cast.viewer, f"?focus={tree['personal'].pk}")
    on_path = re.findall(r'class="map-node[^"]*on-path[^"]*" id="node-(\d+)"', body)
    expected = ["goal", "company", "team", "platform_goal", "personal"]
    assert on_path == [str(tree[name].pk) for name in expected]
    assert f'class="map-node on-path focused" id="node-{tree["personal"].pk}" aria-current="location"' in body


def test_focus_on_another_timeframe_opens_that_timeframes_map(client, cast):
    old = factories.objective(cast.owner, timeframe=cast.closed, title="Last quarter's goal")
    body = page(client, cast.viewer, f"?focus={old.pk}")
    assert "Last quarter&#x27;s goal" in body and "Previous" in body


def test_levels_beyond_the_budget_load_when_their_branch_is_opened(client, cast, tree, monkeypatch):
    monkeypatch.setattr(alignment_map, "MAP_NODES_SHOWN", 2)  # the year's goal and the company objective
    body = page(client, cast.viewer)
    company = tree["company"].pk
    assert f'hx-get="/acme/map/{company}/aligned/?timeframe={cast.quarter.pk}"' in body
    assert "Ship the new onboarding" not in body
    signed_in(client, cast.viewer)
    branch = client.get(f"/acme/map/{company}/aligned/", {"timeframe": cast.quarter.pk}, **HTMX)
    assert branch.status_code == 200
    assert "Ship the new onboarding" in branch.content.decode()
    without_htmx = client.get(f"/acme/map/{company}/aligned/", {"timeframe": cast.quarter.pk, "status": "none"})
    assert without_htmx["Location"] == (
        f"/acme/map/?timeframe={cast.quarter.pk}&status=none&focus={company}#node-{company}"
    )


def test_a_branch_of_a_private_objective_is_not_found_for_outsiders(client, cast, tree):
    response = signed_in(client, cast.sales).get(f"/acme/map/{tree['secret'].pk}/aligned/", **HTMX)
    assert response.status_code == 404


def test_the_maps_queries_do_not_grow_with_the_number_of_objectives(client, cast, tree):
    def queries(query=""):
        signed_in(client, cast.member)
        client.get(f"/acme/map/{query}")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/acme/map/{query}").status_code == 200
        return len(captured)

    few = queries(), queries("?group=engineering&person=lead@acme.test&status=none")
    for index in range(12):
        team = group_objective(cast, f"More work {index}", cast.engineering, lead=cast.lead, parent=tree["company"])
        factories.objective(
            cast.member, timeframe=cast.quarter, title=f"Mine {index}", level="personal", lead=cast.member, parent=team
        )
    assert (queries(), queries("?group=engineering&person=lead@acme.test&status=none")) == few


def test_an_empty_timeframe_says_what_the_map_is_for(client, cast):
    body = page(client, cast.member)
    assert "Nothing to map in this timeframe yet" in body


def test_another_organizations_objective_cannot_be_focused(client, cast, tree):
    assert signed_in(client, cast.beta_member).get(f"/beta/map/?focus={tree['team'].pk}").status_code == 404


def test_the_map_and_the_presentation_speak_german_to_a_german_speaker(client, cast, tree):
    cast.member.user.language = "de"
    cast.member.user.save()
    body = page(client, cast.member, f"?focus={tree['personal'].pk}")
    assert "Ausrichtungskarte" in body and "Unternehmens-Objectives und was darauf ausgerichtet ist" in body
    assert "Pfad" in body and "Alignment map" not in body
    deck = signed_in(client, cast.member).get("/acme/present/").content.decode()
    assert "Darauf ausgerichtete Team-Objectives" in deck and "Jetzt ihr" in deck


def test_sections_that_do_not_fit_the_page_are_drawn_when_asked_for(client, cast, tree, monkeypatch):
    monkeypatch.setattr(alignment_map, "MAP_NODES_SHOWN", 3)
    for index in range(3):
        group_objective(cast, f"Unaligned work {index}", cast.sales_group, lead=cast.sales)
    the_map = alignment_map.alignment_map(cast.viewer, cast.quarter, today=cast.today)
    assert the_map.unaligned.total == 4 and not the_map.unaligned.drawn
    body = page(client, cast.viewer)
    assert "Unaligned work 0" not in body and "Show all 4" in body
    body = page(client, cast.viewer, f"?timeframe={cast.quarter.pk}&section=unaligned")
    assert "Unaligned work 0" in body and "Close ten deals" in body
    asked = alignment_map.alignment_map(cast.viewer, cast.quarter, today=cast.today, sections=frozenset({"unaligned"}))
    assert titles(asked.unaligned.nodes) == [
        "Close ten deals",
        "Unaligned work 0",
        "Unaligned work 1",
        "Unaligned work 2",
    ]


def test_focusing_an_objective_draws_its_section(cast, tree, monkeypatch):
    monkeypatch.setattr(alignment_map, "MAP_NODES_SHOWN", 0)
    the_map = alignment_map.alignment_map(cast.sales, cast.quarter, today=cast.today, focus_id=tree["below_secret"].pk)
    assert the_map.beyond_sight.drawn and the_map.beyond_sight.nodes[0].focused
