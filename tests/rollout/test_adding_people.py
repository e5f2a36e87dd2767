"""Adding several people to a rollout group, and several reviewers to a challenge round, at once:
typed into one box or everyone of whole groups; the message names who was added and who already
was there; an unknown, foreign, deactivated or (for reviewers) read-only entry adds no one; only
those who run the rollout may."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.orgs import services as orgs
from lodestar.orgs.models import Membership
from lodestar.rollout import services
from lodestar.rollout.models import ChallengeRound, Reviewer, RolloutGroup, RolloutGroupMember
from tests import factories
from tests.conftest import add_person, signed_in


def shown(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def url(name, **kwargs):
    return reverse(f"rollout:{name}", kwargs={"org_slug": "acme", **kwargs})


@pytest.fixture
def rollout_group(cast):
    return services.create_rollout_group(actor=cast.admin, name="First rollout group", members=[cast.member])


def members_of(rollout_group) -> set[str]:
    return set(
        RolloutGroupMember.objects.filter(rollout_group=rollout_group).values_list("membership__user__email", flat=True)
    )


def reviewers_of(opened) -> set[str]:
    return set(Reviewer.objects.filter(round=opened).values_list("membership__user__email", flat=True))


def add_members(client, rollout_group, **data):
    return client.post(url("group_members_add", rollout_group_id=rollout_group.pk), data)


def add_reviewers(client, opened, **data):
    return client.post(url("round_reviewers_add", round_id=opened.pk), data)


@pytest.fixture
def platform(cast):
    """Platform, a sub-group of Engineering, with Pia (a member) and Vic the viewer in it."""
    group = orgs.create_group(actor=cast.owner, name="Platform", parent=cast.engineering)
    pia = add_person(cast.owner, "pia@acme.test", "Pia Platform")
    orgs.add_group_members(actor=cast.owner, group=group, people=[pia, cast.viewer])
    return group


# --- (b) rollout group members -------------------------------------------------------------------


def test_several_people_join_a_rollout_group_in_one_step(client, cast, rollout_group):
    response = add_members(
        signed_in(client, cast.admin), rollout_group, people="sales@acme.test\nLea Lead, member@acme.test"
    )
    assert response.status_code == 302
    assert members_of(rollout_group) == {"member@acme.test", "sales@acme.test", "lead@acme.test"}
    assert shown(response) == ["Added 2 people to First rollout group: Lea Lead, Sam Sales. Already in it: Max Member."]


def test_a_whole_group_with_its_sub_groups_joins_a_rollout_group(client, cast, rollout_group, platform):
    signed_in(client, cast.admin)
    add_members(client, rollout_group, people_groups="engineering")
    assert members_of(rollout_group) == {"member@acme.test", "lead@acme.test"}
    response = add_members(client, rollout_group, people_groups="engineering", people_subgroups="on")
    assert members_of(rollout_group) == {"member@acme.test", "lead@acme.test", "pia@acme.test", "viewer@acme.test"}
    assert shown(response)[-1] == (
        "Added 2 people to First rollout group: Pia Platform, Vic Viewer. Already in it: Lea Lead, Max Member."
    )


def test_a_new_rollout_group_takes_people_and_whole_groups(client, cast):
    response = signed_in(client, cast.admin).post(
        url("group_create"),
        {"name": "Sales pilots", "target_stage": "aligned", "members": "lead@acme.test", "members_groups": "sales"},
    )
    assert response.status_code == 302
    assert members_of(RolloutGroup.objects.get(name="Sales pilots")) == {"lead@acme.test", "sales@acme.test"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"people": "sales@acme.test, ghost@acme.test"}, "No active person with the e-mail address “ghost@acme.test”"),
        (
            {"people": "sales@acme.test, member@beta.test"},
            "No active person with the e-mail address “member@beta.test”",
        ),
        ({"people": "sales@acme.test", "people_groups": "beta-ops"}, "No group called “beta-ops” in the organization."),
        ({"people": "   "}, "Type at least one person, or choose a group."),
    ],
)
def test_an_unknown_or_foreign_entry_adds_no_one_to_a_rollout_group(client, cast, rollout_group, data, message):
    orgs.create_group(actor=cast.beta_owner, name="Beta Ops")
    response = add_members(signed_in(client, cast.admin), rollout_group, **data)
    assert response.status_code == 422
    assert message in response.text
    assert members_of(rollout_group) == {"member@acme.test"}


def test_deactivated_people_are_refused_by_name(client, cast, rollout_group):
    Membership.objects.filter(pk__in=[cast.sales.pk, cast.lead.pk]).update(is_active=False)
    response = add_members(signed_in(client, cast.admin), rollout_group, people="sales@acme.test, lead@acme.test")
    assert response.status_code == 422
    assert "Deactivated people cannot be chosen: Lea Lead, Sam Sales." in response.text
    assert members_of(rollout_group) == {"member@acme.test"}


@pytest.mark.parametrize("role", ["lead", "member", "viewer"])
def test_only_those_who_run_the_rollout_add_people(client, cast, rollout_group, role):
    response = add_members(signed_in(client, getattr(cast, role)), rollout_group, people="sales@acme.test")
    assert response.status_code == 403
    assert members_of(rollout_group) == {"member@acme.test"}


def test_another_organizations_people_cannot_reach_the_rollout_group(client, cast, rollout_group):
    response = add_members(signed_in(client, cast.beta_owner), rollout_group, people="member@beta.test")
    assert response.status_code == 404
    assert members_of(rollout_group) == {"member@acme.test"}


# --- (c) challenge-round reviewers ---------------------------------------------------------------


def test_several_reviewers_join_an_open_round(client, cast, challenge_round):
    opened = challenge_round.round
    response = add_reviewers(
        signed_in(client, cast.admin), opened, reviewers="member@acme.test; Oli Outsider\nlead@acme.test"
    )
    assert response.status_code == 302
    assert reviewers_of(opened) == {"lead@acme.test", "sales@acme.test", "member@acme.test", "outsider@acme.test"}
    assert shown(response) == ["Added 2 reviewers: Max Member, Oli Outsider. Already reviewing: Lea Lead."]


def test_a_whole_group_reviews_and_its_read_only_people_are_left_out_by_name(client, cast, challenge_round, platform):
    opened = challenge_round.round
    response = add_reviewers(
        signed_in(client, cast.admin), opened, reviewers_groups="Engineering", reviewers_subgroups="on"
    )
    assert response.status_code == 302
    assert reviewers_of(opened) == {"lead@acme.test", "sales@acme.test", "member@acme.test", "pia@acme.test"}
    assert shown(response) == [
        "Added 2 reviewers: Max Member, Pia Platform. Already reviewing: Lea Lead. Left out, read-only: Vic Viewer."
    ]


def test_a_typed_viewer_cannot_review_and_no_one_is_added(client, cast, challenge_round):
    opened = challenge_round.round
    response = add_reviewers(signed_in(client, cast.admin), opened, reviewers="member@acme.test, Vic Viewer")
    assert response.status_code == 422
    assert "Read-only people (viewers) cannot be chosen here: Vic Viewer." in response.text
    assert reviewers_of(opened) == {"lead@acme.test", "sales@acme.test"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"reviewers": "member@acme.test, nobody@acme.test"},
            "No active person with the e-mail address “nobody@acme.test”",
        ),
        ({"reviewers": "member@acme.test, Bea Beta"}, "No one called “Bea Beta” in the organization"),
        ({"reviewers_groups": "beta-ops"}, "No group called “beta-ops” in the organization."),
        ({"reviewers": ""}, "Type at least one person, or choose a group."),
    ],
)
def test_an_unknown_or_foreign_reviewer_adds_no_one(client, cast, challenge_round, data, message):
    orgs.create_group(actor=cast.beta_owner, name="Beta Ops")
    opened = challenge_round.round
    response = add_reviewers(signed_in(client, cast.admin), opened, **data)
    assert response.status_code == 422
    assert message in response.text
    assert reviewers_of(opened) == {"lead@acme.test", "sales@acme.test"}


@pytest.mark.parametrize("role", ["lead", "member", "viewer", "sales"])
def test_only_those_who_run_the_rollout_add_reviewers(client, cast, challenge_round, role):
    opened = challenge_round.round
    response = add_reviewers(signed_in(client, getattr(cast, role)), opened, reviewers="member@acme.test")
    assert response.status_code in (403, 404)  # 404 for those who do not see the round
    assert reviewers_of(opened) == {"lead@acme.test", "sales@acme.test"}


def test_reviewers_are_not_added_to_a_closed_round(client, cast, challenge_round):
    opened = challenge_round.round
    ChallengeRound.objects.filter(pk=opened.pk).update(state=ChallengeRound.State.CLOSED)
    response = add_reviewers(signed_in(client, cast.admin), opened, reviewers="member@acme.test")
    assert response.status_code == 403
    assert reviewers_of(opened) == {"lead@acme.test", "sales@acme.test"}


def test_the_round_page_offers_the_add_form_only_to_those_who_run_the_rollout(client, cast, challenge_round):
    page = signed_in(client, cast.admin).get(url("round", round_id=challenge_round.round.pk)).text
    assert '<textarea name="reviewers"' in page and 'name="reviewers_groups"' in page
    page = signed_in(client, cast.lead).get(url("round", round_id=challenge_round.round.pk)).text
    assert 'name="reviewers"' not in page


def test_a_round_opens_with_typed_reviewers_and_a_whole_group(client, cast, platform):
    draft = factories.objective(cast.owner, timeframe=cast.quarter, title="Open a second office", state="draft")
    response = signed_in(client, cast.admin).post(
        url("round_create"),
        {
            "title": "Second look",
            "deadline": (cast.today + datetime.timedelta(days=3)).isoformat(),
            "objectives": [draft.pk],
            "reviewers": "sales@acme.test",
            "reviewers_groups": "platform",
        },
    )
    assert response.status_code == 302
    assert reviewers_of(ChallengeRound.objects.get()) == {"sales@acme.test", "pia@acme.test"}
    assert shown(response) == [
        "The challenge round is open. Its reviewers find it under Rollout. Left out, read-only: Vic Viewer."
    ]


# --- the cost ------------------------------------------------------------------------------------


def test_adding_twenty_takes_as_many_queries_as_adding_one(client, cast, challenge_round):
    people = [add_person(cast.owner, f"p{number}@acme.test", f"Person {number:02}") for number in range(21)]
    team = orgs.create_group(actor=cast.owner, name="Team")
    orgs.add_group_members(actor=cast.owner, group=team, people=people[1:])
    solo = orgs.create_group(actor=cast.owner, name="Solo")
    orgs.add_group_members(actor=cast.owner, group=solo, people=people[:1])
    groups = [services.create_rollout_group(actor=cast.admin, name=f"Rollout {n}") for n in range(4)]
    rounds = [
        services.open_round(
            actor=cast.admin,
            title=f"Round {n}",
            deadline=cast.today,
            objectives=[challenge_round.company_draft],
            reviewers=[cast.owner],
        )
        for n in range(4)
    ]
    one, twenty = "p0@acme.test", "\n".join(f"p{n}@acme.test" for n in range(1, 21))
    signed_in(client, cast.admin)
    counts = {}
    for label, post in (
        ("members: one", lambda: add_members(client, groups[0], people=one)),
        ("members: twenty", lambda: add_members(client, groups[1], people=twenty)),
        ("members: a group of one", lambda: add_members(client, groups[2], people_groups="solo")),
        ("members: a group of twenty", lambda: add_members(client, groups[3], people_groups="team")),
        ("reviewers: one", lambda: add_reviewers(client, rounds[0], reviewers=one)),
        ("reviewers: twenty", lambda: add_reviewers(client, rounds[1], reviewers=twenty)),
        ("reviewers: a group of one", lambda: add_reviewers(client, rounds[2], reviewers_groups="solo")),
        ("reviewers: a group of twenty", lambda: add_reviewers(client, rounds[3], reviewers_groups="team")),
    ):
        with CaptureQueriesContext(connection) as queries:
            response = post()
        assert response.status_code == 302, (label, response.text)
        counts[label] = len(queries)
    assert len(members_of(groups[1])) == len(reviewers_of(rounds[3])) - 1 == 20
    for kind in ("members", "reviewers"):
        assert counts[f"{kind}: one"] == counts[f"{kind}: twenty"], counts
        assert counts[f"{kind}: a group of one"] == counts[f"{kind}: a group of twenty"], counts
