"""The floors above audit log their own security-relevant changes: API tokens, webhooks, chat
channels and automatic feeds — never a secret (a URL's path and query hold them)."""

from lodestar.feeds import services as feeds
from lodestar.notifications import services as notifications
from lodestar.webhooks import services as webhooks
from tests.audit.conftest import last, logged
from tests.conftest import signed_in

ADDRESS = {"REMOTE_ADDR": "198.51.100.50"}


def test_api_tokens_made_and_revoked_on_their_page_are_logged(client, cast):
    signed_in(client, cast.member)
    response = client.post(
        "/acme/settings/api-tokens/", {"name": "Reporting", "scope": "read", "expires_on": ""}, **ADDRESS
    )
    assert response.status_code == 302, response.status_code
    created = last(cast.acme, "api_token.created")
    assert (created.actor, created.target_label, created.details, created.ip_address) == (
        cast.member.user,
        "Reporting",
        {"scope": "read", "expires_on": None},
        "198.51.100.50",
    )
    token_id = int(created.target_id)
    assert client.post(f"/acme/settings/api-tokens/{token_id}/revoke/", **ADDRESS).status_code == 302
    revoked = last(cast.acme, "api_token.revoked")
    assert (revoked.actor, revoked.target_id) == (cast.member.user, str(token_id))
    client.post(f"/acme/settings/api-tokens/{token_id}/revoke/", **ADDRESS)  # already revoked: nothing new
    assert len(logged(cast.acme, "api_token.revoked")) == 1


def test_webhooks_are_logged_with_their_host_but_never_their_path_or_secret(client, cast):
    webhook = webhooks.create_webhook(
        actor=cast.admin,
        name="Warehouse",
        url="http://127.0.0.1:9/hooks/s3cr3t-path?key=s3cr3t",
        events=["check_in.created"],
        is_active=True,
    )
    created = last(cast.acme, "webhook.created")
    assert (created.actor, created.target_label, created.details) == (
        cast.admin.user,
        "Warehouse",
        {"url": "127.0.0.1", "events": ["check_in.created"]},
    )
    webhooks.update_webhook(
        actor=cast.admin,
        webhook=webhook,
        name="Warehouse",
        url="http://127.0.0.1:9/hooks/other",
        events=["check_in.created", "objective.closed"],
        is_active=False,
    )
    assert last(cast.acme, "webhook.changed").details == {
        "events": [["check_in.created"], ["check_in.created", "objective.closed"]],
        "active": [True, False],
    }
    webhooks.new_secret(actor=cast.admin, webhook=webhook)
    assert last(cast.acme, "webhook.changed").details == {"secret": "renewed"}
    webhooks.delete_webhook(actor=cast.admin, webhook=webhook)
    assert last(cast.acme, "webhook.deleted").target_label == "Warehouse"
    assert not any("s3cr3t" in str(row.details) for row in logged(cast.acme))


def test_chat_channels_are_logged_without_their_secret_url(cast):
    channel = notifications.create_chat_channel(
        actor=cast.owner,
        name="#general",
        service="slack",
        url="http://127.0.0.1:9/services/T000/B000/XXXXSECRET",
        events=["check_in"],
        group=None,
        is_active=True,
    )
    created = last(cast.acme, "chat_channel.created")
    assert (created.target_label, created.details) == (
        "#general",
        {"service": "slack", "url": "127.0.0.1", "events": ["check_in"], "group": None},
    )
    notifications.update_chat_channel(
        actor=cast.owner,
        channel=channel,
        name="#general",
        service="slack",
        url="http://127.0.0.1:9/services/T000/B000/XXXXSECRET",
        events=["check_in"],
        group=cast.engineering,
        is_active=True,
    )
    assert last(cast.acme, "chat_channel.changed").details == {"group": [None, "Engineering"]}
    notifications.delete_chat_channel(actor=cast.owner, channel=channel)
    assert last(cast.acme, "chat_channel.deleted").target_label == "#general"
    assert not any("SECRET" in str(row.details) for row in logged(cast.acme))


def test_feeds_created_and_revoked_are_logged_without_the_goal_they_update(world):
    cast = world.cast
    created = last(cast.acme, "feed.created")  # the world's polled data source
    assert (created.actor, created.target_label, created.details) == (
        cast.member.user,
        "Finance export",
        {"kind": "poll", "updates": "key_result", "url": "127.0.0.1"},
    )
    feed, url = feeds.create_push_feed(actor=cast.member, target=world.key_result, name="Zapier")
    assert last(cast.acme, "feed.created").details == {"kind": "push", "updates": "key_result"}
    feeds.delete_feed(actor=cast.member, feed=feed)
    revoked = last(cast.acme, "feed.revoked")
    assert (revoked.actor, revoked.target_label, revoked.details) == (cast.member.user, "Zapier", {"kind": "push"})
    assert not any(world.objective.title in str(row.details) + row.target_label for row in logged(cast.acme))
    secret = url.split("_", 2)[2]  # lsf_<prefix>_<secret>
    assert not any(secret in str(row.details) + row.target_label for row in logged(cast.acme))
