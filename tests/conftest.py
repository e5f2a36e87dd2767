"""The fixed cast every test uses: two organizations and the people in them.

Acme (the organization under test):
  owner, admin, lead (leads Engineering), member (in Engineering), sales (in Sales),
  viewer; a current quarter and a closed previous quarter.
Beta (another organization): beta_owner, beta_member.

Set-up runs with tenant scoping switched off (``all_organizations``); every request
the tests make enters its own organization scope in the middleware, so views are
still tested fail-closed.
"""

import datetime
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache

from lodestar.api import services as api_tokens
from lodestar.conversations import services as conversations
from lodestar.core.clock import today_in
from lodestar.core.scoping import all_organizations
from lodestar.feeds import services as feeds
from lodestar.kpis import services as kpis
from lodestar.notifications import services as notifications
from lodestar.notifications.models import Notification
from lodestar.okrs import services as okrs
from lodestar.okrs.models import Timeframe
from lodestar.orgs import services as orgs
from lodestar.orgs.models import Membership, Role
from lodestar.strategy import services as strategy
from lodestar.webhooks import services as webhooks
from tests import factories

PASSWORD = "correct-horse-battery"

# The outgoing-post tests' fixtures: ``receiver`` (on 127.0.0.1) and ``goal``.
pytest_plugins = ["tests.receivers"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _local_outbound_only(settings):
    """Chat channels in tests point at servers the tests start on 127.0.0.1 (nothing else is reachable)."""
    settings.LODESTAR_OUTBOUND_ALLOWED = ["127.0.0.1"]
    settings.LODESTAR_BASE_URL = "http://testserver"
    settings.LODESTAR_API_RATE = "100000/min"  # the rate-limit test sets its own


@pytest.fixture(autouse=True)
def _rate_limits_start_at_zero(request, django_db_blocker):
    """Rate-limit counters live in the database cache table, which the flush after a live-server test
    leaves alone: a test that signs in must not inherit the attempts of the browser tests before it."""
    uses_database = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if uses_database:
        request.getfixturevalue("django_db_setup")
        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture(autouse=True)
def _scopes_off_for_set_up():
    with all_organizations():
        yield


def make_user(email: str, full_name: str):
    """An account whose address is confirmed, as after an accepted invitation."""
    user = get_user_model().objects.create_user(email=email, password=PASSWORD, full_name=full_name)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def make_organization(name: str, slug: str, owner_email: str):
    owner_user = make_user(owner_email, f"{name} Owner")
    organization = orgs.create_organization(name=name, slug=slug, owner=owner_user)
    return organization, Membership.objects.get(organization=organization, user=owner_user)


def add_person(actor, email: str, name: str, role=Role.MEMBER, **fields) -> Membership:
    """A person who has accepted their invitation: an account with a confirmed address and the test
    password (the one an address already has is reused), and a membership in the actor's organization."""
    user = get_user_model().objects.filter(email=email.lower()).first() or make_user(email.lower(), name)
    return Membership.objects.create(organization_id=actor.organization_id, user=user, role=role, **fields)


@pytest.fixture
def today():
    return today_in("Europe/Berlin")


@pytest.fixture
def cast(db, today):
    acme, owner = make_organization("Acme", "acme", "owner@acme.test")
    admin = add_person(owner, "admin@acme.test", "Ada Admin", Role.ADMIN)
    lead = add_person(owner, "lead@acme.test", "Lea Lead")
    member = add_person(owner, "member@acme.test", "Max Member")
    sales = add_person(owner, "sales@acme.test", "Sam Sales")
    viewer = add_person(owner, "viewer@acme.test", "Vic Viewer", Role.VIEWER)
    engineering = orgs.create_group(actor=owner, name="Engineering")
    sales_group = orgs.create_group(actor=owner, name="Sales")
    orgs.set_group_member(actor=owner, group=engineering, membership=lead, is_lead=True)
    orgs.set_group_member(actor=owner, group=engineering, membership=member)
    orgs.set_group_member(actor=owner, group=sales_group, membership=sales, is_lead=True)

    # Relative to today, so that tests behave the same on any day: the current
    # timeframe is exactly half-way (expected progress 0.5).
    start, end = today - datetime.timedelta(days=45), today + datetime.timedelta(days=45)
    quarter = okrs.create_timeframe(
        actor=owner, name="Current", starts_on=start, ends_on=end, state=Timeframe.State.ACTIVE
    )
    closed = okrs.create_timeframe(
        actor=owner,
        name="Previous",
        starts_on=start - datetime.timedelta(days=91),
        ends_on=start - datetime.timedelta(days=1),
        state=Timeframe.State.CLOSED,
    )

    beta, beta_owner = make_organization("Beta", "beta", "owner@beta.test")
    beta_member = add_person(beta_owner, "member@beta.test", "Bea Beta")
    beta_group = orgs.create_group(actor=beta_owner, name="Engineering")
    beta_quarter = okrs.create_timeframe(
        actor=beta_owner, name="Current", starts_on=start, ends_on=end, state=Timeframe.State.ACTIVE
    )
    return SimpleNamespace(
        acme=acme,
        owner=owner,
        admin=admin,
        lead=lead,
        member=member,
        sales=sales,
        viewer=viewer,
        engineering=engineering,
        sales_group=sales_group,
        quarter=quarter,
        closed=closed,
        beta=beta,
        beta_owner=beta_owner,
        beta_member=beta_member,
        beta_group=beta_group,
        beta_quarter=beta_quarter,
        today=today,
    )


@pytest.fixture
def next_quarter(cast):
    return okrs.create_timeframe(
        actor=cast.owner,
        name="Next quarter",
        starts_on=cast.quarter.ends_on + datetime.timedelta(days=1),
        ends_on=cast.quarter.ends_on + datetime.timedelta(days=91),
    )


@pytest.fixture
def world(cast):
    """An Engineering objective led by the member, with a key result the member owns and a check-in;
    this year's pillars Growth and Quality (``pillar``, the second); the member's Engineering KPI with
    a value; the member's initiative on the key result; the owner's comment on the objective that
    mentions the lead and the member's reply (``notification``: the owner's); a Slack channel with a
    queued test post; the owner's read-only API token; the owner's webhook with a queued ping
    (``delivery``); the member's polled data source on the key result (``feed``)."""
    objective = factories.objective(
        cast.owner,
        timeframe=cast.quarter,
        title="Acme's secret plan",
        level="group",
        groups=[cast.engineering],
        lead=cast.member,
    )
    key_result = factories.metric(cast.owner, objective, owner=cast.member)
    check_in = okrs.record_check_in(actor=cast.member, key_result=key_result, value=5, status="on_track")
    strategy.create_pillar(actor=cast.owner, year=cast.today.year, name="Growth")
    pillar = strategy.create_pillar(actor=cast.owner, year=cast.today.year, name="Quality")
    kpi = kpis.create_kpi(
        actor=cast.owner, name="Open tickets", owner=cast.member, rule="at_most", rule_max=60, groups=[cast.engineering]
    )
    kpi_value = kpis.record_kpi_value(actor=cast.member, kpi=kpi, value=50)
    initiative = okrs.create_initiative(
        actor=cast.member, title="Rewrite the alert router", key_results=[key_result], owner=cast.member
    )
    comment = conversations.post_comment(actor=cast.owner, target=objective, body="Could you help here, @[Lea Lead]?")
    reply = conversations.post_comment(actor=cast.member, target=objective, body="On it: the router is next.")
    notification = Notification.objects.get(recipient=cast.owner, comment=reply)
    chat_channel = notifications.create_chat_channel(
        actor=cast.owner,
        name="#engineering",
        service="slack",
        url="http://127.0.0.1:9/hooks/engineering",
        events=["check_in", "comment"],
        group=None,
        is_active=True,
    )
    chat_post = notifications.send_test_post(actor=cast.owner, channel=chat_channel)
    api_token, _ = api_tokens.create_token(actor=cast.owner, name="Reporting", scope="read")
    webhook = webhooks.create_webhook(
        actor=cast.owner,
        name="Warehouse",
        url="http://127.0.0.1:9/hooks/warehouse",
        events=["check_in.created"],
        is_active=True,
    )
    delivery = webhooks.send_ping(actor=cast.owner, webhook=webhook)
    feed = feeds.create_poll_feed(
        actor=cast.member,
        target=key_result,
        name="Finance export",
        url="http://127.0.0.1:9/finance.csv",
        format="csv",
        field_path="alerts",
        every_minutes=60,
    )
    return SimpleNamespace(
        cast=cast,
        objective=objective,
        key_result=key_result,
        check_in=check_in,
        pillar=pillar,
        kpi=kpi,
        kpi_value=kpi_value,
        initiative=initiative,
        comment=comment,
        notification=notification,
        chat_channel=chat_channel,
        chat_post=chat_post,
        api_token=api_token,
        webhook=webhook,
        delivery=delivery,
        feed=feed,
    )


def signed_in(client, membership: Membership):
    client.force_login(membership.user)
    return client


@pytest.fixture
def as_member(client, cast):
    return signed_in(client, cast.member)


def reload(instance):
    """A fresh copy from the database (cached progress and status included)."""
    return type(instance).objects.get(pk=instance.pk)


def days_ago(today, days: int) -> datetime.date:
    return today - datetime.timedelta(days=days)
