"""A feed records on its creator's authority: once that person is deactivated in the organization,
their account disabled, or gone, neither its secret URL nor its data source records anything, and the
goal's page says why. Reactivated, the feed works again."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from lodestar.feeds import services as feeds
from lodestar.feeds.models import Feed
from lodestar.feeds.tasks import poll_feeds
from lodestar.okrs.models import CheckIn
from lodestar.orgs import services as orgs
from tests.conftest import reload
from tests.feeds.test_feeds import alerts_json, goal, key_result_page, poll_feed, push, source  # noqa: F401

REFUSAL = "The person who set up this feed is no longer active here"


def test_a_deactivated_creators_secret_url_records_nothing(client, world):
    cast, key_result = world.cast, world.key_result
    feed, token = feeds.create_push_feed(actor=cast.member, target=key_result, name="Nightly script")
    orgs.update_membership(actor=cast.owner, membership=cast.member, is_active=False)

    response = push(client, token, 42)

    assert response.status_code == 403
    assert REFUSAL in response.json()["detail"]
    assert not CheckIn.objects.filter(source="Nightly script").exists()
    assert reload(key_result).current_value == Decimal(5)
    assert REFUSAL in reload(feed).last_error
    # Back again, the same URL records.
    orgs.update_membership(actor=cast.owner, membership=cast.member, is_active=True)
    assert push(client, token, 42).status_code == 201


def test_a_disabled_creators_secret_url_records_nothing(client, world):
    cast, kpi = world.cast, world.kpi
    _feed, token = feeds.create_push_feed(actor=cast.member, target=kpi, name="Helpdesk export")
    get_user_model().objects.filter(pk=cast.member.user_id).update(is_active=False)
    assert push(client, token, 44).status_code == 403
    assert reload(kpi).current_value != Decimal(44)


def test_a_secret_url_whose_creator_is_gone_records_nothing(client, world):
    feed, token = feeds.create_push_feed(actor=world.cast.member, target=world.key_result, name="Nightly script")
    Feed.objects.filter(pk=feed.pk).update(created_by=None)
    assert push(client, token, 42).status_code == 403


def test_a_deactivated_creators_data_source_is_not_fetched_and_the_page_says_why(client, cast, goal, source):  # noqa: F811
    source.documents["/metrics.json"] = alerts_json(12)
    feed = poll_feed(cast, goal, source.url("/metrics.json"))
    orgs.update_membership(actor=cast.owner, membership=cast.member, is_active=False)

    poll_feeds.call()

    assert source.gets == []
    assert not CheckIn.objects.filter(key_result=goal).exists()
    assert REFUSAL in reload(feed).last_error
    orgs.update_membership(actor=cast.owner, membership=cast.member, is_active=True)
    assert REFUSAL in key_result_page(client, cast, goal)
    # Reactivated, the next poll records again.
    Feed.objects.filter(pk=feed.pk).update(next_poll_at=timezone.now() - datetime.timedelta(minutes=1))
    poll_feeds.call()
    assert CheckIn.objects.filter(key_result=goal).count() == 1
