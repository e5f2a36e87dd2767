"""The activity feeds: what happened, in words, newest first, paged, and never a private goal's
event for someone who may not see it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.activity.models import Activity
from lodestar.activity.selectors import PAGE_SIZE
from lodestar.conversations import services as conversations
from lodestar.okrs import services as okrs
from lodestar.okrs.models import Objective
from tests import factories
from tests.conftest import signed_in


@pytest.fixture
def secret(cast):
    objective = factories.objective(
        cast.lead,
        timeframe=cast.quarter,
        title="Reorganize the platform team",
        level=Objective.Level.GROUP,
        groups=[cast.engineering],
        lead=cast.lead,
        visibility=Objective.Visibility.PRIVATE,
    )
    key_result = factories.metric(cast.lead, objective, owner=cast.lead, title="Teams with a clear owner")
    okrs.record_check_in(actor=cast.lead, key_result=key_result, value=40, status="off_track")
    conversations.post_comment(actor=cast.lead, target=objective, body="Draft org chart attached")
    return objective


def test_a_check_in_reads_as_a_sentence_with_progress_and_the_new_status(client, cast, world):
    okrs.record_check_in(actor=cast.member, key_result=world.key_result, value=35, status="off_track")
    page = signed_in(client, cast.sales).get("/acme/activity/").content.decode()
    assert "Max Member checked in on “Weekly active users”: 5 % → 35 % · Off track" in page
    assert "Acme Owner commented on “Acme&#x27;s secret plan”: Could you help here, @Lea Lead?" in page


def test_private_goals_stay_out_of_the_feeds_of_people_who_cannot_see_them(client, cast, world, secret):
    for url in [
        "/acme/activity/",
        f"/acme/groups/{cast.engineering.pk}/activity/",
        f"/acme/people/{cast.lead.pk}/activity/",
    ]:
        outsider = signed_in(client, cast.sales).get(url).content.decode()
        insider = signed_in(client, cast.member).get(url).content.decode()
        assert "Reorganize the platform team" not in outsider and "Teams with a clear owner" not in outsider, url
        assert "Teams with a clear owner" in insider, url


def test_a_group_feed_shows_the_groups_goals_and_a_person_feed_what_they_did(client, cast, world):
    sales_objective = factories.objective(
        cast.sales, timeframe=cast.quarter, title="Win the northern region", level="group", groups=[cast.sales_group]
    )
    signed_in(client, cast.member)
    engineering = client.get(f"/acme/groups/{cast.engineering.pk}/activity/").content.decode()
    assert "Weekly active users" in engineering and "Win the northern region" not in engineering
    sam = client.get(f"/acme/people/{cast.sales.pk}/activity/").content.decode()
    assert "Sam Sales created the objective “Win the northern region”" in sam and "Max Member checked in" not in sam
    assert Activity.objects.filter(objective=sales_objective, kind="objective_created").count() == 1


def test_the_feed_pages_back_thirty_at_a_time_at_the_same_cost(client, cast, world):
    signed_in(client, cast.member)
    for value in range(PAGE_SIZE + 5):
        okrs.record_check_in(actor=cast.member, key_result=world.key_result, value=value, status="on_track")
    with CaptureQueriesContext(connection) as first_page:
        response = client.get("/acme/activity/")
    body = response.content.decode()
    assert body.count('class="feed-row') == PAGE_SIZE and "Show older" in body
    older = response.context["page"].older_than
    with CaptureQueriesContext(connection) as second_page:
        rest = client.get("/acme/activity/", {"before": older}, headers={"HX-Request": "true"}).content.decode()
    total = Activity.objects.filter(organization=cast.acme).count()
    assert rest.count('class="feed-row') == total - PAGE_SIZE and "Show older" not in rest
    assert len(second_page) <= len(first_page)


def test_another_organizations_group_or_person_feed_is_not_found(client, cast, world):
    signed_in(client, cast.beta_member)
    assert client.get("/beta/activity/").status_code == 200
    assert client.get(f"/beta/groups/{cast.engineering.pk}/activity/").status_code == 404
    assert client.get(f"/beta/people/{cast.member.pk}/activity/").status_code == 404
    assert "secret plan" not in client.get("/beta/activity/").content.decode()
