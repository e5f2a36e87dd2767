"""Outbound webhooks: an admin registers a URL for chosen events; each event is POSTed there as
signed JSON (checked here the way a receiver would, with hmac over ``<timestamp>.<body>``),
retried with back-off under the same delivery id, never sent for a private objective or to a
paused webhook, and logged on the admins' page. The receiver is a recording server on 127.0.0.1."""

import datetime
import hashlib
import hmac
import json
import socket
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lodestar.core import outbound
from lodestar.feeds import services as feeds
from lodestar.kpis import services as kpis
from lodestar.okrs import services as okrs
from lodestar.okrs.models import Objective
from lodestar.webhooks import services as webhooks
from lodestar.webhooks import signing
from lodestar.webhooks.models import Delivery, Webhook
from lodestar.webhooks.tasks import deliver_webhooks
from tests import factories
from tests.conftest import reload, signed_in
from tests.receivers import check_in

# --- the receiving end ---------------------------------------------------------------------------


def signed_by(secret: str, request: dict) -> bool:
    """What a receiver does, written out here rather than borrowed from lodestar.webhooks.signing."""
    timestamp = request["headers"]["X-Lodestar-Timestamp"]
    if abs(time.time() - int(timestamp)) > 300:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + request["raw"], hashlib.sha256).hexdigest()
    return hmac.compare_digest("v1=" + expected, request["headers"]["X-Lodestar-Signature"])


# --- helpers -------------------------------------------------------------------------------------


def deliver() -> int:
    """One run of the worker's task, here and now (on_commit does not run in these tests)."""
    return deliver_webhooks.call()


def make_due(**filters) -> None:
    """As if the back-off had passed."""
    Delivery.objects.filter(**filters).update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))


def hook(actor, url, *, events=("check_in.created",), name="Warehouse", is_active=True) -> Webhook:
    return webhooks.create_webhook(actor=actor, name=name, url=url, events=list(events), is_active=is_active)


def events_of(webhook) -> list[str]:
    return sorted(Delivery.objects.filter(webhook=webhook).values_list("event", flat=True))


def page_url(name="webhooks", org="acme", **kwargs) -> str:
    return reverse(f"webhooks:{name}", kwargs={"org_slug": org, **kwargs})


# --- delivery and signature ----------------------------------------------------------------------


def test_a_check_in_is_posted_once_as_signed_json_with_its_value_and_key_result(cast, goal, receiver):
    webhook = hook(cast.admin, receiver.url("/hook"))
    recorded = check_in(cast, goal[1], value=7)

    assert deliver() == 1
    [request] = receiver.requests
    assert request["path"] == "/hook"
    body = json.loads(request["raw"])
    assert body["event"] == "check_in.created"
    assert body["organization"] == "acme"
    assert body["data"]["check_in"]["id"] == recorded.pk
    assert body["data"]["check_in"]["value"] == 7
    assert body["data"]["key_result"]["id"] == goal[1].pk
    assert request["headers"]["X-Lodestar-Event"] == "check_in.created"
    assert request["headers"]["X-Lodestar-Delivery"] == body["id"]
    assert signed_by(webhook.secret, request)
    assert not signed_by("another secret", request)

    [delivery] = Delivery.objects.filter(webhook=webhook)
    assert (delivery.state, delivery.response_status, str(delivery.event_id)) == ("sent", 200, body["id"])
    assert deliver() == 0
    assert len(receiver.requests) == 1


def test_verify_accepts_a_fresh_signature_and_refuses_tampering_a_wrong_secret_and_replays():
    body = b'{"event":"check_in.created","data":{"value":7}}'
    now = time.time()
    headers = signing.headers("s3cret", body, event="check_in.created", event_id="e1", now=now)
    timestamp, signed = headers["X-Lodestar-Timestamp"], headers["X-Lodestar-Signature"]

    assert signing.verify("s3cret", body, timestamp=timestamp, signed=signed, now=now + 5)
    assert not signing.verify("s3cret", body.replace(b"7", b"8"), timestamp=timestamp, signed=signed, now=now)
    assert not signing.verify("wrong", body, timestamp=timestamp, signed=signed, now=now)
    assert not signing.verify("s3cret", body, timestamp=timestamp, signed=signed, now=now + 301)
    assert not signing.verify("s3cret", body, timestamp="yesterday", signed=signed, now=now)


def test_a_replayed_delivery_cannot_be_given_a_fresh_timestamp():
    body = b'{"event":"ping"}'
    old = time.time() - 3600
    headers = signing.headers("s3cret", body, event="ping", event_id="e1", now=old)
    assert not signing.verify("s3cret", body, timestamp=str(int(time.time())), signed=headers["X-Lodestar-Signature"])


def test_a_failed_delivery_is_retried_later_with_the_same_id_and_a_fresh_valid_signature(cast, goal, receiver):
    webhook = hook(cast.admin, receiver.url())
    check_in(cast, goal[1])
    receiver.fail_next = 1

    assert deliver() == 1
    [delivery] = Delivery.objects.filter(webhook=webhook)
    assert (delivery.state, delivery.attempts, delivery.response_status) == ("queued", 1, 500)
    assert "HTTP 500" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()
    assert deliver() == 0  # not yet due
    assert len(receiver.requests) == 1

    make_due(pk=delivery.pk)
    assert deliver() == 1
    delivery = reload(delivery)
    assert (delivery.state, delivery.attempts, delivery.response_status, delivery.last_error) == ("sent", 2, 200, "")
    first, second = receiver.requests
    assert first["headers"]["X-Lodestar-Delivery"] == second["headers"]["X-Lodestar-Delivery"] == str(delivery.event_id)
    assert first["raw"] == second["raw"]
    assert signed_by(webhook.secret, first)
    assert signed_by(webhook.secret, second)


def test_a_check_in_from_an_automatic_feed_is_sent_with_its_source_and_no_author(cast, goal, receiver):
    hook(cast.admin, receiver.url())
    feed, _token = feeds.create_push_feed(actor=cast.member, target=goal[1], name="Nightly script")
    feeds.record_pushed(feed, value=9)

    deliver()
    [request] = receiver.requests
    sent = json.loads(request["raw"])["data"]["check_in"]
    assert (sent["value"], sent["author_id"], sent["source"]) == (9, None, "Nightly script")


# --- which events go where -----------------------------------------------------------------------


def test_a_check_in_that_moves_an_active_objectives_status_queues_objective_status_changed(cast, goal, receiver):
    webhook = hook(cast.admin, receiver.url(), events=["objective.status_changed"])
    objective, key_result = goal
    assert reload(objective).status == "none"

    check_in(cast, key_result, value=5, status="off_track")

    assert events_of(webhook) == ["objective.status_changed"]
    deliver()
    [request] = receiver.requests
    body = json.loads(request["raw"])
    assert body["event"] == "objective.status_changed"
    assert body["data"]["objective"]["id"] == objective.pk
    assert (body["data"]["status_from"], body["data"]["status_to"]) == ("none", "off_track")
    assert signed_by(webhook.secret, request)


def test_a_check_in_that_leaves_the_objectives_status_as_it_was_queues_no_status_change(cast, goal, receiver):
    webhook = hook(cast.admin, receiver.url(), events=["objective.status_changed"])
    check_in(cast, goal[1], value=5, status="on_track")
    Delivery.objects.all().delete()

    check_in(cast, goal[1], value=6, status="on_track")

    assert events_of(webhook) == []


def test_a_kpi_value_that_breaks_its_rule_queues_kpi_unhealthy(cast, receiver):
    webhook = hook(cast.admin, receiver.url(), events=["kpi.unhealthy"])
    kpi = kpis.create_kpi(actor=cast.owner, name="Deals closed", owner=cast.member, rule="at_least", rule_min=10)

    kpis.record_kpi_value(actor=cast.member, kpi=kpi, value=3)

    assert events_of(webhook) == ["kpi.unhealthy"]
    deliver()
    body = json.loads(receiver.requests[0]["raw"])
    assert body["data"]["kpi"]["id"] == kpi.pk
    assert body["data"]["kpi"]["current_value"] == 3
    assert body["data"]["kpi"]["rule_min"] == 10


def test_a_healthy_kpi_value_queues_nothing(cast, receiver):
    webhook = hook(cast.admin, receiver.url(), events=["kpi.unhealthy"])
    kpi = kpis.create_kpi(actor=cast.owner, name="Deals closed", owner=cast.member, rule="at_least", rule_min=10)
    kpis.record_kpi_value(actor=cast.member, kpi=kpi, value=12)
    assert events_of(webhook) == []


def test_closing_an_active_objective_queues_objective_closed(cast, goal, receiver):
    webhook = hook(cast.admin, receiver.url(), events=["objective.closed"])
    objective = goal[0]

    okrs.close_objective(actor=cast.owner, objective=objective)

    assert events_of(webhook) == ["objective.closed"]
    deliver()
    body = json.loads(receiver.requests[0]["raw"])
    assert (body["event"], body["data"]["objective"]["id"]) == ("objective.closed", objective.pk)


def test_each_webhook_gets_only_the_events_it_chose(cast, goal, receiver):
    checks = hook(cast.admin, receiver.url("/checks"), name="Checks", events=["check_in.created"])
    closes = hook(cast.admin, receiver.url("/closes"), name="Closes", events=["objective.closed"])

    check_in(cast, goal[1])
    okrs.close_objective(actor=cast.owner, objective=goal[0])

    assert events_of(checks) == ["check_in.created"]
    assert events_of(closes) == ["objective.closed"]
    assert deliver() == 2
    received = sorted((r["path"], json.loads(r["raw"])["event"]) for r in receiver.requests)
    assert received == [("/checks", "check_in.created"), ("/closes", "objective.closed")]


def test_a_paused_webhook_gets_nothing(cast, goal, receiver):
    paused = hook(cast.admin, receiver.url(), is_active=False)
    check_in(cast, goal[1])
    assert events_of(paused) == []
    assert deliver() == 0
    assert receiver.requests == []


def test_a_webhook_paused_while_its_delivery_waited_does_not_send_it(cast, goal, receiver):
    webhook = hook(cast.admin, receiver.url())
    check_in(cast, goal[1])
    webhooks.update_webhook(
        actor=cast.admin, webhook=webhook, name=webhook.name, url=webhook.url, events=webhook.events, is_active=False
    )
    deliver()
    assert receiver.requests == []
    assert Delivery.objects.get(webhook=webhook).state == "skipped"


def test_a_private_objectives_check_in_is_not_sent(cast, receiver):
    webhook = hook(cast.admin, receiver.url(), events=["check_in.created", "objective.status_changed"])
    secret = factories.objective(cast.owner, timeframe=cast.quarter, title="Secret merger", visibility="private")
    key_result = factories.metric(cast.owner, secret, title="Term sheets signed")

    okrs.record_check_in(actor=cast.owner, key_result=key_result, value=1, status="on_track")

    assert events_of(webhook) == []
    assert deliver() == 0
    assert receiver.requests == []


def test_another_organizations_check_in_does_not_reach_acmes_webhook(cast, receiver):
    webhook = hook(cast.admin, receiver.url())
    theirs = factories.objective(cast.beta_owner, timeframe=cast.beta_quarter, title="Beta's plan")
    key_result = factories.metric(cast.beta_owner, theirs)
    okrs.record_check_in(actor=cast.beta_owner, key_result=key_result, value=3, status="on_track")
    assert events_of(webhook) == []


# --- the admins' pages ---------------------------------------------------------------------------


def test_the_owner_sees_the_webhook_and_its_deliveries_with_their_state(client, cast, goal, receiver):
    hook(cast.admin, receiver.url(), name="Data warehouse")
    check_in(cast, goal[1])
    receiver.fail_next = 1
    deliver()

    page = signed_in(client, cast.owner).get(page_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Data warehouse" in html
    assert receiver.url() in html
    assert "A check-in is recorded" in html
    assert "<code>check_in.created</code>" in html
    assert "Waiting" in html
    assert "HTTP 500 receiver is down" in html
    assert "Retry now" in html


def test_the_webhook_page_shows_its_secret_to_an_admin(client, cast, receiver):
    webhook = hook(cast.admin, receiver.url())
    page = signed_in(client, cast.owner).get(page_url("webhook", webhook_id=webhook.pk))
    assert page.status_code == 200
    assert webhook.secret in page.content.decode()


def test_a_member_may_not_see_the_webhooks_pages(client, cast, receiver):
    webhook = hook(cast.admin, receiver.url())
    signed_in(client, cast.member)
    assert client.get(page_url()).status_code == 403
    response = client.get(page_url("webhook", webhook_id=webhook.pk))
    assert response.status_code == 403
    assert webhook.secret not in response.content.decode()


def test_a_beta_admin_cannot_see_acmes_webhooks(client, cast, receiver):
    webhook = hook(cast.admin, receiver.url())
    signed_in(client, cast.beta_owner)
    assert client.get(page_url()).status_code == 404
    assert client.get(page_url("webhook", webhook_id=webhook.pk)).status_code == 404
    assert client.get(page_url("webhook", org="beta", webhook_id=webhook.pk)).status_code == 404
    beta_page = client.get(page_url(org="beta"))
    assert beta_page.status_code == 200
    assert webhook.secret not in beta_page.content.decode()
    assert receiver.url() not in beta_page.content.decode()


def test_a_webhook_to_an_internal_address_is_refused_in_the_form(client, cast):
    form = {"name": "Intranet", "url": "http://10.0.0.1/hook", "events": ["check_in.created"], "is_active": "on"}
    response = signed_in(client, cast.admin).post(page_url(), form)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == ["url"]
    assert "internal address" in errors["url"][0]
    assert "internal address" in response.content.decode()
    assert not Webhook.objects.exists()


def test_an_admin_adds_a_webhook_through_the_form(client, cast, receiver):
    form = {"name": "Zapier", "url": receiver.url(), "events": ["check_in.created", "kpi.unhealthy"], "is_active": "on"}
    response = signed_in(client, cast.admin).post(page_url(), form)
    assert response.status_code == 302
    [added] = Webhook.objects.all()
    assert response["Location"] == page_url("webhook", webhook_id=added.pk)
    assert (added.organization, added.url, added.events, added.is_active) == (
        cast.acme,
        receiver.url(),
        ["check_in.created", "kpi.unhealthy"],
        True,
    )


def count_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url())
    assert response.status_code == 200
    return len(queries)


def test_the_webhooks_page_queries_do_not_grow_with_the_deliveries(client, cast, receiver):
    webhook = hook(cast.admin, receiver.url())
    signed_in(client, cast.owner)
    webhooks.send_ping(actor=cast.admin, webhook=webhook)
    one = count_page_queries(client)
    for _ in range(19):
        webhooks.send_ping(actor=cast.admin, webhook=webhook)
    assert Delivery.objects.count() == 20
    twenty = count_page_queries(client)
    assert one == twenty


def test_an_objective_made_private_while_its_delivery_waited_is_not_sent(cast, goal, receiver):
    webhook = hook(cast.admin, receiver.url())
    check_in(cast, goal[1])
    Objective.objects.filter(pk=goal[0].pk).update(visibility="private")
    deliver()
    assert receiver.requests == []
    assert Delivery.objects.get(webhook=webhook).state == "skipped"


def test_a_host_that_does_not_resolve_is_retried_later(cast, goal, monkeypatch):
    webhook = hook(cast.admin, "http://127.0.0.1:9/hooks")
    check_in(cast, goal[1])

    def no_name_service(*args, **kwargs):
        raise socket.gaierror("Temporary failure in name resolution")

    monkeypatch.setattr(outbound.socket, "getaddrinfo", no_name_service)
    deliver()
    delivery = Delivery.objects.get(webhook=webhook)
    assert delivery.state == "queued" and delivery.attempts == 1 and "could not be found" in delivery.last_error
