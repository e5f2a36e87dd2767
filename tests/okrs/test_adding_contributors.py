"""Contributors of objectives and key results, several at once: typed into one box, or everyone of
whole groups (without their read-only people, and without the goal's own lead or owner); the
message names who was added and who of the groups already contributed; an unknown, foreign,
deactivated or read-only entry saves nothing; those who may not edit the goal are refused."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.okrs.models import KeyResult, Objective
from lodestar.orgs import services as orgs
from lodestar.orgs.models import Membership
from tests import factories
from tests.conftest import add_person, signed_in
from tests.okrs.test_editing_views import edit_post, key_result_post, objective_post, url


def shown(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def emails(people) -> set[str]:
    return {person.user.email for person in people.all()}


@pytest.fixture
def platform(cast):
    """Platform, a sub-group of Engineering, with Pia (a member) and Vic the viewer in it."""
    group = orgs.create_group(actor=cast.owner, name="Platform", parent=cast.engineering)
    pia = add_person(cast.owner, "pia@acme.test", "Pia Platform")
    orgs.add_group_members(actor=cast.owner, group=group, people=[pia, cast.viewer])
    return group


@pytest.fixture
def team_goal(cast):
    """Engineering's objective led by the member, with the sales person contributing, and a key result the lead owns."""
    objective = factories.objective(
        cast.owner,
        timeframe=cast.quarter,
        title="Alerts people act on",
        level="group",
        groups=[cast.engineering],
        lead=cast.member,
        contributors=[cast.sales],
    )
    factories.metric(cast.owner, objective, owner=cast.lead, title="Alerts acknowledged")
    return objective


# --- objectives ----------------------------------------------------------------------------------


def test_a_new_objective_takes_several_contributors_typed_into_one_box(client, cast):
    data = objective_post(cast, contributors="sales@acme.test, Lea Lead\nAda Admin <admin@acme.test>")
    response = signed_in(client, cast.member).post(url("objective_create"), data)
    assert response.status_code == 302
    objective = Objective.objects.get()
    assert emails(objective.contributors) == {"sales@acme.test", "lead@acme.test", "admin@acme.test"}
    assert shown(response) == [
        "Created the objective “Fleet managers trust our alerts”. Added 3 contributors: Ada Admin, Lea Lead, Sam Sales."
    ]


def test_a_whole_group_contributes_without_its_viewers_or_the_lead(client, cast, team_goal, platform):
    response = signed_in(client, cast.member).post(
        url("objective_edit", objective_id=team_goal.pk),
        edit_post(team_goal, contributors_groups="engineering", contributors_subgroups="on"),
    )
    assert response.status_code == 302
    # Engineering: the lead and the member (who leads the objective); Platform: Pia and Vic (a viewer).
    assert emails(team_goal.contributors) == {"sales@acme.test", "lead@acme.test", "pia@acme.test"}
    assert shown(response) == [
        "Saved the objective “Alerts people act on”. Added 2 contributors: Lea Lead, Pia Platform. "
        "Left out, read-only: Vic Viewer."
    ]


def test_those_of_a_whole_group_already_contributing_are_named(client, cast, team_goal):
    response = signed_in(client, cast.member).post(
        url("objective_edit", objective_id=team_goal.pk), edit_post(team_goal, contributors_groups="sales")
    )
    assert response.status_code == 302
    assert emails(team_goal.contributors) == {"sales@acme.test"}
    assert shown(response) == ["Saved the objective “Alerts people act on”. Already contributing: Sam Sales."]


def test_the_lead_typed_as_a_contributor_stays_one(client, cast, team_goal):
    signed_in(client, cast.member).post(
        url("objective_edit", objective_id=team_goal.pk),
        edit_post(team_goal, contributors=["sales@acme.test", "member@acme.test"], contributors_groups="engineering"),
    )
    assert emails(team_goal.contributors) == {"sales@acme.test", "member@acme.test", "lead@acme.test"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"contributors": "lead@acme.test, ghost@acme.test"},
            "No active person with the e-mail address “ghost@acme.test”",
        ),
        (
            {"contributors": "lead@acme.test, member@beta.test"},
            "No active person with the e-mail address “member@beta.test”",
        ),
        ({"contributors": "lead@acme.test\nBea Beta"}, "No one called “Bea Beta” in the organization"),
        ({"contributors_groups": "beta-ops"}, "No group called “beta-ops” in the organization."),
        (
            {"contributors": "lead@acme.test, viewer@acme.test"},
            "Read-only people (viewers) cannot be chosen here: Vic Viewer.",
        ),
        ({"contributors_groups": "nobody-here"}, "No group called “nobody-here” in the organization."),
    ],
)
def test_an_unknown_foreign_or_read_only_contributor_saves_nothing(client, cast, team_goal, changes, message):
    orgs.create_group(actor=cast.beta_owner, name="Beta Ops")
    response = signed_in(client, cast.member).post(
        url("objective_edit", objective_id=team_goal.pk), edit_post(team_goal, title="Renamed", **changes)
    )
    assert response.status_code == 422
    assert message in response.text
    team_goal.refresh_from_db()
    assert (team_goal.title, emails(team_goal.contributors)) == ("Alerts people act on", {"sales@acme.test"})


def test_a_deactivated_contributor_is_refused_by_name(client, cast, team_goal):
    Membership.objects.filter(pk=cast.lead.pk).update(is_active=False)
    response = signed_in(client, cast.member).post(
        url("objective_edit", objective_id=team_goal.pk), edit_post(team_goal, contributors="sales@acme.test, Lea Lead")
    )
    assert response.status_code == 422
    assert "Deactivated people cannot be chosen: Lea Lead." in response.text
    assert emails(team_goal.contributors) == {"sales@acme.test"}


def test_a_group_of_viewers_only_adds_no_one(client, cast, team_goal):
    readers = orgs.create_group(actor=cast.owner, name="Readers")
    orgs.add_group_members(actor=cast.owner, group=readers, people=[cast.viewer])
    response = signed_in(client, cast.member).post(
        url("objective_edit", objective_id=team_goal.pk), edit_post(team_goal, contributors_groups="readers")
    )
    assert response.status_code == 422
    assert "No one in Readers can be added here." in response.text


@pytest.mark.parametrize(("role", "status"), [("sales", 403), ("viewer", 403), ("beta_member", 404)])
def test_those_who_may_not_edit_the_objective_add_no_contributors(client, cast, team_goal, role, status):
    response = signed_in(client, getattr(cast, role)).post(
        url("objective_edit", objective_id=team_goal.pk), edit_post(team_goal, contributors_groups="engineering")
    )
    assert response.status_code == status
    assert emails(team_goal.contributors) == {"sales@acme.test"}


# --- key results ---------------------------------------------------------------------------------


def test_a_key_result_takes_several_contributors_and_a_whole_group_without_its_owner(client, cast, team_goal):
    key_result = team_goal.key_results.get()
    data = key_result_post(
        cast,
        title=key_result.title,
        owner="lead@acme.test",
        contributors="admin@acme.test",
        contributors_groups="engineering",
    )
    response = signed_in(client, cast.member).post(url("key_result_edit", key_result_id=key_result.pk), data)
    assert response.status_code == 302
    assert emails(key_result.contributors) == {"admin@acme.test", "member@acme.test"}
    assert shown(response) == [
        "Saved the key result “Alerts acknowledged”. Added 2 contributors: Ada Admin, Max Member."
    ]

    response = client.post(
        url("key_result_edit", key_result_id=key_result.pk),
        {**data, "contributors": ["admin@acme.test", "member@acme.test"], "contributors_groups": "engineering"},
    )
    assert shown(response)[-1] == "Saved the key result “Alerts acknowledged”. Already contributing: Max Member."


def test_a_new_key_result_with_contributors_from_a_group(client, cast, team_goal, platform):
    response = signed_in(client, cast.member).post(
        url("key_result_create", objective_id=team_goal.pk), key_result_post(cast, contributors_groups="platform")
    )
    assert response.status_code == 302
    key_result = KeyResult.objects.get(title="Alerts acknowledged within an hour")
    assert emails(key_result.contributors) == {"pia@acme.test"}
    assert shown(response) == [
        "Added the key result “Alerts acknowledged within an hour”. Added 1 contributor: Pia Platform. "
        "Left out, read-only: Vic Viewer."
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"contributors": "sales@acme.test, ghost@acme.test"},
        {"contributors": "sales@acme.test, member@beta.test"},
        {"contributors_groups": "beta-ops"},
        {"contributors": "viewer@acme.test"},
    ],
)
def test_an_unknown_foreign_or_read_only_key_result_contributor_saves_nothing(client, cast, team_goal, changes):
    orgs.create_group(actor=cast.beta_owner, name="Beta Ops")
    response = signed_in(client, cast.member).post(
        url("key_result_create", objective_id=team_goal.pk), key_result_post(cast, **changes)
    )
    assert response.status_code == 422
    assert 'class="field-error"' in response.text
    assert KeyResult.objects.count() == 1


@pytest.mark.parametrize(("role", "status"), [("sales", 403), ("viewer", 403), ("beta_member", 404)])
def test_those_who_may_not_edit_the_key_result_add_no_contributors(client, cast, team_goal, role, status):
    key_result = team_goal.key_results.get()
    data = key_result_post(cast, title=key_result.title, owner="lead@acme.test", contributors_groups="engineering")
    response = signed_in(client, getattr(cast, role)).post(url("key_result_edit", key_result_id=key_result.pk), data)
    assert response.status_code == status
    assert not key_result.contributors.exists()


# --- the cost ------------------------------------------------------------------------------------


def test_twenty_contributors_take_as_many_queries_as_one(client, cast):
    people = [add_person(cast.owner, f"p{number}@acme.test", f"Person {number:02}") for number in range(21)]
    team = orgs.create_group(actor=cast.owner, name="Team")
    orgs.add_group_members(actor=cast.owner, group=team, people=people[1:])
    solo = orgs.create_group(actor=cast.owner, name="Solo")
    orgs.add_group_members(actor=cast.owner, group=solo, people=people[:1])
    goals = [
        factories.objective(cast.owner, timeframe=cast.quarter, title=f"Goal {n}", lead=cast.member) for n in range(4)
    ]
    one, twenty = "p0@acme.test", "\n".join(f"p{n}@acme.test" for n in range(1, 21))
    signed_in(client, cast.owner)
    counts = {}
    for label, goal, changes in (
        ("one", goals[0], {"contributors": one}),
        ("twenty", goals[1], {"contributors": twenty}),
        ("a group of one", goals[2], {"contributors_groups": "solo"}),
        ("a group of twenty", goals[3], {"contributors_groups": "team"}),
    ):
        data = edit_post(goal, **changes)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url("objective_edit", objective_id=goal.pk), data)
        assert response.status_code == 302, (label, response.text)
        counts[label] = len(queries)
    assert goals[1].contributors.count() == goals[3].contributors.count() == 20
    assert counts["one"] == counts["twenty"], counts
    assert counts["a group of one"] == counts["a group of twenty"], counts
