"""The group and people pages everyone reads."""

import html

from lodestar.okrs import services as okrs
from lodestar.okrs.models import Objective
from lodestar.orgs import services as orgs
from tests import factories
from tests.conftest import add_person, signed_in


def page(client, membership, path):
    response = signed_in(client, membership).get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_groups_page_shows_nesting_leads_and_sizes(client, cast):
    platform = orgs.create_group(actor=cast.owner, name="Platform", parent=cast.engineering)
    body = page(client, cast.viewer, "/acme/groups/")
    assert body.index("Engineering") < body.index("Platform")
    assert 'class="depth-1"' in body
    assert "Lea Lead" in body and "Sam Sales" in body
    assert f"/acme/groups/{platform.pk}/" in body


def test_a_group_page_shows_its_objectives_subgroups_and_members(client, cast, world):
    orgs.create_group(actor=cast.owner, name="Platform", parent=cast.engineering)
    body = page(client, cast.sales, f"/acme/groups/{cast.engineering.pk}/")
    assert "Acme&#x27;s secret plan" in body
    assert "Platform" in body
    assert "Lea Lead" in body and "Max Member" in body
    assert "2 members" in body


def test_a_group_without_objectives_invites_its_members_to_draft_one(client, cast):
    body = page(client, cast.sales, f"/acme/groups/{cast.sales_group.pk}/")
    assert "Sales has no objectives in this timeframe" in body
    assert "Draft a team objective" in body
    assert "Draft a team objective" not in page(client, cast.viewer, f"/acme/groups/{cast.sales_group.pk}/")


def test_a_private_objective_of_a_group_is_not_shown_to_outsiders(client, cast, world):
    okrs.update_objective(actor=cast.member, objective=world.objective, visibility=Objective.Visibility.PRIVATE)
    assert "secret plan" not in page(client, cast.sales, f"/acme/groups/{cast.engineering.pk}/")
    assert "secret plan" in page(client, cast.lead, f"/acme/groups/{cast.engineering.pk}/")


def test_group_progress_counts_only_what_the_viewer_may_see(client, cast, world):
    okrs.update_objective(actor=cast.member, objective=world.objective, visibility=Objective.Visibility.PRIVATE)
    assert "Mean of 1 active objective" in page(client, cast.lead, f"/acme/groups/{cast.engineering.pk}/")
    assert "Mean of 1 active objective" not in page(client, cast.sales, f"/acme/groups/{cast.engineering.pk}/")


def test_the_people_page_lists_active_people_and_finds_them(client, cast):
    body = page(client, cast.sales, "/acme/people/")
    assert "Max Member" in body and "Vic Viewer" in body
    found = page(client, cast.sales, "/acme/people/?q=vic")
    assert "Vic Viewer" in found and "Max Member" not in found


def test_the_people_page_is_paginated(client, cast):
    for number in range(55):
        add_person(cast.owner, f"person{number}@acme.test", f"Person {number:02d}")
    first = page(client, cast.member, "/acme/people/")
    assert "Page 1 of 2" in first
    second = page(client, cast.member, "/acme/people/?page=2")
    assert "Page 2 of 2" in second
    assert page(client, cast.member, "/acme/people/?page=banana")  # a bad page number shows the first page


def test_hostile_people_searches_are_answered_calmly(client, cast):
    for query in ("%", "_", "\\", "<script>alert(1)</script>", "\x00", "x" * 10_000):
        body = page(client, cast.member, f"/acme/people/?q={query}")
        assert "<script>alert(1)</script>" not in body


def test_a_person_page_shows_what_they_lead_own_and_contribute_to(client, cast, world):
    company = factories.objective(cast.owner, timeframe=cast.quarter, title="Grow revenue", contributors=[cast.member])
    body = page(client, cast.sales, f"/acme/people/{cast.member.pk}/")
    assert "Acme's secret plan" in html.unescape(body) and "Grow revenue" in body  # either engine's entity
    assert "Owns key results" in body and "Contributor" in body
    assert "Engineering" in body
    assert company.title in body


def test_a_person_page_hides_their_private_goals_from_others(client, cast, world):
    okrs.update_objective(actor=cast.member, objective=world.objective, visibility=Objective.Visibility.PRIVATE)
    assert "secret plan" not in page(client, cast.sales, f"/acme/people/{cast.member.pk}/")
    assert "secret plan" in page(client, cast.admin, f"/acme/people/{cast.member.pk}/")
    assert "secret plan" in page(client, cast.member, f"/acme/people/{cast.member.pk}/")


def test_another_organizations_group_and_person_are_not_found(client, cast):
    signed_in(client, cast.member)
    assert client.get(f"/acme/groups/{cast.beta_group.pk}/").status_code == 404
    assert client.get(f"/acme/people/{cast.beta_member.pk}/").status_code == 404
