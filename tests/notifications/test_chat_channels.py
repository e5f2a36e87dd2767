"""Slack and Teams channels get the events they asked for, of their organization and group only,
never a private objective's; failed deliveries are retried with back-off, then shown to the admins
as failed with a "Retry now" button. The receiving end is a recording HTTP server on 127.0.0.1."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lodestar.conversations import services as conversations
from lodestar.notifications import services as notifications
from lodestar.notifications import tasks
from lodestar.notifications.models import ChatChannel, ChatPost
from lodestar.okrs import services as okrs
from lodestar.worker import outbox
from tests import factories
from tests.conftest import reload, signed_in
from tests.receivers import check_in

# --- helpers -------------------------------------------------------------------------------------


def deliver() -> int:
    """One run of the worker's task, here and now."""
    return tasks.deliver_chat_posts.call()


def make_due(post) -> None:
    """As if the back-off had passed."""
    ChatPost.objects.filter(pk=post.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))


def channel(actor, url, *, events=("check_in",), service="slack", group=None, name="#okrs", is_active=True):
    return notifications.create_chat_channel(
        actor=actor, name=name, service=service, url=url, events=list(events), group=group, is_active=is_active
    )


def key_result_link(key_result) -> str:
    path = reverse("okrs:key_result", kwargs={"org_slug": "acme", "key_result_id": key_result.pk})
    return "http://testserver" + path


def page_url(name="chat_channels", **kwargs) -> str:
    return reverse(f"notifications:{name}", kwargs={"org_slug": "acme", **kwargs})


def failing_post(cast, goal, receiver):
    """A check-in's post that failed MAX_ATTEMPTS times (the receiver answered 500 each time)."""
    channel(cast.admin, receiver.url("/slack"))
    check_in(cast, goal[1])
    [post] = ChatPost.objects.all()
    receiver.fail_next = outbox.MAX_ATTEMPTS
    for _ in range(outbox.MAX_ATTEMPTS):
        make_due(post)
        assert deliver() == 1
    return reload(post)


# --- who gets what -------------------------------------------------------------------------------


def test_a_check_in_goes_to_the_organizations_and_the_groups_channels_in_their_formats(cast, goal, receiver):
    _, key_result = goal
    channel(cast.admin, receiver.url("/slack"), name="#company")
    channel(cast.admin, receiver.url("/teams"), service="teams", group=cast.engineering, name="Engineering")
    channel(cast.admin, receiver.url("/sales"), service="teams", group=cast.sales_group, name="Sales")
    channel(cast.admin, receiver.url("/comments"), events=["comment", "objective_created"], name="#talk")

    check_in(cast, key_result, value=5)
    assert deliver() == 2

    assert sorted(receiver.paths()) == ["/slack", "/teams"]
    link = key_result_link(key_result)
    [slack] = receiver.bodies("/slack")
    assert set(slack) == {"text", "unfurl_links"}
    assert "Max Member" in slack["text"]
    assert "“Deploys per week”" in slack["text"]
    assert f"<{link}|Open in Lodestar>" in slack["text"]

    [teams] = receiver.bodies("/teams")
    assert teams["type"] == "message"
    [attachment] = teams["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.4")
    [block] = card["body"]
    assert block["type"] == "TextBlock"
    assert "“Deploys per week”" in block["text"]
    assert "Max Member" in block["text"]
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Open in Lodestar", "url": link}]

    for request in receiver.requests:
        assert request["headers"]["Content-Type"] == "application/json"
    posts = ChatPost.objects.select_related("channel")
    assert sorted((post.channel.name, post.state, post.response_status, post.attempts) for post in posts) == [
        ("#company", "sent", 200, 1),
        ("Engineering", "sent", 200, 1),
    ]


def test_a_status_changed_channel_hears_only_check_ins_that_change_the_status(cast, goal, receiver):
    _, key_result = goal
    channel(cast.admin, receiver.url("/status"), events=["status_changed"])

    check_in(cast, key_result, value=5, status="on_track")  # none → on track
    check_in(cast, key_result, value=6, status="on_track")  # no change
    check_in(cast, key_result, value=7, status="off_track")  # on track → off track
    deliver()

    texts = [body["text"] for body in receiver.bodies("/status")]
    assert len(texts) == 2
    assert texts[0].endswith(
        "· On track <http://testserver/acme/key-results/" + str(key_result.pk) + "/|Open in Lodestar>"
    )
    assert "· Off track <" in texts[1]


def test_a_paused_channel_gets_nothing(cast, goal, receiver):
    channel(cast.admin, receiver.url("/paused"), is_active=False)
    check_in(cast, goal[1])
    deliver()
    assert receiver.requests == []
    assert not ChatPost.objects.exists()


def test_a_private_objectives_events_are_never_posted(cast, receiver):
    channel(cast.admin, receiver.url("/all"), events=ChatChannel.Event.values)
    private = factories.objective(
        cast.owner,
        timeframe=cast.quarter,
        title="Acquire Beta quietly",
        level="group",
        groups=[cast.engineering],
        lead=cast.member,
        visibility="private",
    )
    key_result = factories.metric(cast.owner, private, owner=cast.member, title="Secret shares bought")
    check_in(cast, key_result, value=5, status="off_track")
    conversations.post_comment(actor=cast.member, target=private, body="Nobody may know.")
    conversations.post_comment(actor=cast.member, target=key_result, body="Still secret.")
    deliver()
    assert receiver.requests == []
    assert not ChatPost.objects.exists()

    # The same channel does hear about a public objective (so the silence above is the privacy rule).
    public = factories.objective(cast.owner, timeframe=cast.quarter, title="Open plan")
    conversations.post_comment(actor=cast.owner, target=public, body="Everyone may know.")
    deliver()
    texts = " ".join(body["text"] for body in receiver.bodies("/all"))
    assert "Open plan" in texts
    assert "Everyone may know." in texts
    assert "Acquire Beta" not in texts
    assert "Secret" not in texts


def test_one_organizations_channels_never_get_anothers_events(cast, receiver):
    channel(cast.admin, receiver.url("/acme"), events=ChatChannel.Event.values)
    channel(cast.beta_owner, receiver.url("/beta"), events=ChatChannel.Event.values)
    objective = factories.objective(cast.beta_owner, timeframe=cast.beta_quarter, title="Beta's plan")
    key_result = factories.metric(cast.beta_owner, objective, owner=cast.beta_member, title="Beta signups")
    okrs.record_check_in(actor=cast.beta_member, key_result=key_result, value=5, status="on_track")
    conversations.post_comment(actor=cast.beta_member, target=objective, body="Beta only.")
    deliver()

    assert receiver.bodies("/acme") == []
    assert len(receiver.bodies("/beta")) == 3  # created, checked in, commented
    assert not ChatPost.objects.filter(organization=cast.acme).exists()


def test_slack_control_sequences_typed_by_a_member_are_posted_as_plain_text(cast, goal, receiver):
    objective, _ = goal
    channel(cast.admin, receiver.url("/slack"), events=["comment"])
    conversations.post_comment(
        actor=cast.member, target=objective, body="<!channel> see <https://phish.example|Open in Lodestar> & more"
    )
    deliver()
    [body] = receiver.bodies("/slack")
    assert "<!channel>" not in body["text"]
    assert "<https://phish.example|" not in body["text"]
    assert "&lt;!channel&gt;" in body["text"]
    assert " &amp; more" in body["text"]


def test_markdown_links_typed_by_a_member_reach_teams_as_plain_text(cast, goal, receiver):
    objective, _ = goal
    channel(cast.admin, receiver.url("/teams"), service="teams", events=["comment"])
    conversations.post_comment(
        actor=cast.member, target=objective, body=r"Please \[reset your password\](https://phish.example)"
    )
    deliver()
    [body] = receiver.bodies("/teams")
    text = body["attachments"][0]["content"]["body"][0]["text"]
    assert "[reset your password](https://phish.example)" not in text
    assert r"\[reset your password\](https://phish.example)" in text


# --- retries -------------------------------------------------------------------------------------


def test_a_failed_delivery_is_retried_with_back_off_until_the_receiver_recovers(cast, goal, receiver):
    channel(cast.admin, receiver.url("/slack"))
    check_in(cast, goal[1])
    [post] = ChatPost.objects.all()
    receiver.fail_next = 2

    before = timezone.now()
    assert deliver() == 1
    post = reload(post)
    assert (post.state, post.attempts, post.response_status) == ("queued", 1, 500)
    assert "HTTP 500" in post.last_error
    assert "receiver is down" in post.last_error
    assert before + datetime.timedelta(minutes=1) <= post.next_attempt_at
    assert post.next_attempt_at <= timezone.now() + datetime.timedelta(minutes=1)

    assert deliver() == 0  # not due yet: nobody is called
    assert len(receiver.requests) == 1

    make_due(post)
    before = timezone.now()
    assert deliver() == 1
    post = reload(post)
    assert (post.state, post.attempts) == ("queued", 2)
    assert before + datetime.timedelta(minutes=4) <= post.next_attempt_at
    assert post.next_attempt_at <= timezone.now() + datetime.timedelta(minutes=4)

    make_due(post)
    assert deliver() == 1
    post = reload(post)
    assert (post.state, post.attempts, post.response_status, post.last_error) == ("sent", 3, 200, "")
    assert post.sent_at is not None
    assert len(receiver.requests) == 3
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"] == receiver.requests[2]["body"]

    make_due(post)
    assert deliver() == 0  # a sent post is never sent again
    assert len(receiver.requests) == 3


def test_after_max_attempts_the_post_has_failed_and_is_not_tried_again(cast, goal, receiver):
    channel(cast.admin, receiver.url("/slack"))
    check_in(cast, goal[1])
    [post] = ChatPost.objects.all()
    receiver.fail_next = 100

    waits = []
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        make_due(post)
        started = timezone.now()
        assert deliver() == 1
        post = reload(post)
        assert post.attempts == attempt
        if attempt < outbox.MAX_ATTEMPTS:
            assert post.state == "queued"
            waits.append(round((post.next_attempt_at - started).total_seconds() / 60))
    assert waits == [1, 4, 16, 64, 256]
    assert post.state == "failed"
    assert "HTTP 500" in post.last_error
    assert len(receiver.requests) == outbox.MAX_ATTEMPTS

    make_due(post)
    assert deliver() == 0
    assert len(receiver.requests) == outbox.MAX_ATTEMPTS


def test_a_url_refused_at_delivery_fails_at_once_without_calling(cast, goal, receiver, settings):
    channel(cast.admin, receiver.url("/slack"))
    check_in(cast, goal[1])
    settings.LODESTAR_OUTBOUND_ALLOWED = []  # e.g. the allow-list was shortened since
    assert deliver() == 1
    [post] = ChatPost.objects.all()
    assert post.state == "failed"
    assert "internal address" in post.last_error
    assert receiver.requests == []


def test_an_unreachable_receiver_is_retried_with_the_network_error_recorded(world):
    # world.chat_post is a test post to http://127.0.0.1:9/, where nothing listens.
    assert deliver() >= 1
    post = reload(world.chat_post)
    assert (post.state, post.attempts, post.response_status) == ("queued", 1, None)
    assert post.last_error
    assert post.next_attempt_at > timezone.now()


def test_retry_now_does_not_hand_a_post_being_sent_to_a_second_worker(cast, goal, receiver):
    channel(cast.admin, receiver.url("/slack"))
    check_in(cast, goal[1])
    claimed = outbox.claim_next(ChatPost)  # a first worker is talking to the receiver right now
    assert claimed.state == "sending"
    notifications.retry_post(actor=cast.admin, post=claimed)  # the admin clicks "Retry now" meanwhile
    assert deliver() == 0  # a second worker must leave it alone
    assert receiver.requests == []


# --- the admins' page ----------------------------------------------------------------------------


def test_the_admin_page_shows_a_failed_delivery_and_retry_now_sends_it_again(client, cast, goal, receiver):
    post = failing_post(cast, goal, receiver)
    assert post.state == "failed"
    retry_url = page_url("chat_post_retry", post_id=post.pk)

    page = signed_in(client, cast.admin).get(page_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "#okrs" in html
    assert "Failed" in html
    assert "HTTP 500 receiver is down" in html
    assert f'<td class="figure">{outbox.MAX_ATTEMPTS}</td>' in html
    assert f'action="{retry_url}"' in html
    assert "Retry now" in html

    receiver.fail_next = 0  # the receiver is back
    response = client.post(retry_url)
    assert response.status_code == 302
    assert response["Location"] == page_url()
    post = reload(post)
    assert (post.state, post.attempts) == ("queued", 0)
    assert post.next_attempt_at <= timezone.now()

    assert deliver() == 1
    post = reload(post)
    assert (post.state, post.response_status, post.last_error) == ("sent", 200, "")
    assert len(receiver.requests) == outbox.MAX_ATTEMPTS + 1

    html = client.get(page_url()).content.decode()
    assert "Sent" in html
    assert "HTTP 200" in html
    assert f'action="{retry_url}"' not in html


def test_people_who_are_not_admins_may_not_see_the_page_nor_retry(client, cast, goal, receiver):
    post = failing_post(cast, goal, receiver)
    signed_in(client, cast.member)
    assert client.get(page_url()).status_code == 403
    assert client.post(page_url("chat_post_retry", post_id=post.pk)).status_code == 403
    assert reload(post).state == "failed"
    deliver()
    assert len(receiver.requests) == outbox.MAX_ATTEMPTS


def test_another_organizations_admin_cannot_retry_acmes_post(client, cast, goal, receiver):
    post = failing_post(cast, goal, receiver)
    signed_in(client, cast.beta_owner)
    url = reverse("notifications:chat_post_retry", kwargs={"org_slug": "beta", "post_id": post.pk})
    assert client.post(url).status_code == 404
    assert reload(post).state == "failed"


def form(url) -> dict:
    return {"name": "#hooks", "service": "slack", "url": url, "events": ["check_in"], "group": "", "is_active": "on"}


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://10.0.0.5/hook", ["127.0.0.1"]),
        ("http://192.168.0.10/hook", ["127.0.0.1"]),
        ("http://169.254.169.254/latest", ["127.0.0.1"]),
        ("http://[::1]:1/hook", ["127.0.0.1"]),
        ("http://127.0.0.1:1/hook", []),
        ("http://localhost:1/", []),
    ],
)
def test_a_channel_on_an_internal_address_is_refused_with_a_field_error(client, cast, settings, url, allowed):
    settings.LODESTAR_OUTBOUND_ALLOWED = allowed
    response = signed_in(client, cast.admin).post(page_url(), form(url))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == ["url"]
    assert "internal address" in errors["url"][0]
    assert 'class="field-error"' in response.content.decode()
    assert not ChatChannel.objects.exists()


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/hook", "http://user:secret@127.0.0.1/hook"])
def test_a_channel_url_of_another_scheme_or_with_credentials_is_refused(client, cast, url):
    response = signed_in(client, cast.admin).post(page_url(), form(url))
    assert response.status_code == 422
    assert "url" in response.context["form"].errors
    assert not ChatChannel.objects.exists()


def test_an_admin_adds_a_channel_on_an_allowed_address_and_its_test_post_arrives(client, cast, receiver):
    response = signed_in(client, cast.admin).post(page_url(), form(receiver.url("/hook")))
    assert response.status_code == 302
    [added] = ChatChannel.objects.all()
    assert (added.organization, added.url, added.events, added.group) == (
        cast.acme,
        receiver.url("/hook"),
        ["check_in"],
        None,
    )

    assert client.post(page_url("chat_channel_test", channel_id=added.pk)).status_code == 302
    deliver()
    [body] = receiver.bodies("/hook")
    assert "Lodestar is connected" in body["text"]


def test_changing_a_channel_to_an_internal_address_is_refused(client, cast, receiver):
    existing = channel(cast.admin, receiver.url("/hook"))
    url = page_url("chat_channel_edit", channel_id=existing.pk)
    response = signed_in(client, cast.admin).post(url, form("http://169.254.169.254/latest"))
    assert response.status_code == 422
    assert "url" in response.context["form"].errors
    assert reload(existing).url == receiver.url("/hook")
