"""Posting events to Slack and Microsoft Teams incoming webhooks.

``queue_posts`` runs in the transaction of the change (notifications.listeners, for each activity
recorded): it writes one ChatPost per channel that
asked for the event, with the message already rendered in the organization's language; the
worker delivers them (notifications.tasks), retrying failures with back-off. Events about
private objectives are never posted: a channel's audience is not known to Lodestar.
"""

import json
import re

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lodestar.activity.text import sentence, target_url
from lodestar.notifications import tasks
from lodestar.notifications.models import ChatChannel, ChatPost
from lodestar.worker import outbox, targets


def events_of(activity) -> set[str]:
    events = {activity.kind}
    if activity.status_changed:
        events.add(ChatChannel.Event.STATUS_CHANGED)
    return events


def _group_ids(activity) -> set[int]:
    if activity.objective_id:
        return {link.group_id for link in activity.objective.objective_groups.all()}
    if activity.kpi_id:
        return {link.group_id for link in activity.kpi.kpi_groups.all()}
    return set()


def matching_channels(activity) -> list[ChatChannel]:
    channels = [
        channel
        for channel in ChatChannel.objects.filter(organization_id=activity.organization_id, is_active=True)
        if events_of(activity) & set(channel.events)
    ]
    if not channels:
        return []
    group_ids = _group_ids(activity) if any(channel.group_id for channel in channels) else set()
    return [channel for channel in channels if channel.group_id is None or channel.group_id in group_ids]


def queue_posts(activity) -> None:
    if activity.objective_id and activity.objective.is_private:
        return
    channels = matching_channels(activity)
    if not channels:
        return
    with translation.override(activity.organization.language):
        text, link = describe(activity)
    ChatPost.objects.bulk_create(
        ChatPost(
            organization_id=activity.organization_id,
            channel=channel,
            activity=activity,
            payload=payload(channel.service, text, link),
            next_attempt_at=timezone.now(),
        )
        for channel in channels
    )
    tasks.enqueue_chat_delivery()


def retell_unsent(activity) -> None:
    """The posts of an event that are not out yet say what it says now (after its comment was edited)."""
    waiting = ChatPost.objects.filter(
        organization_id=activity.organization_id, activity=activity, state=ChatPost.State.QUEUED
    ).select_related("channel")
    for post in waiting:
        with translation.override(activity.organization.language):
            post.payload = payload(post.channel.service, *describe(activity))
        post.save(update_fields=["payload"])


def absolute_url(organization, name: str, **kwargs) -> str:
    return settings.LODESTAR_BASE_URL + reverse(name, kwargs={"org_slug": organization.slug, **kwargs})


def describe(activity) -> tuple[str, str]:
    """(one line of text, link) for an event."""
    return sentence(activity), activity_link(activity)


def activity_link(activity) -> str:
    return target_url(
        activity.organization,
        objective_id=activity.objective_id,
        key_result_id=activity.key_result_id,
        kpi_id=activity.kpi_id,
        conversation_of=activity.check_in_id if activity.comment_id else None,
    )


def payload(service: str, text: str, link: str) -> dict:
    if service == ChatChannel.Service.TEAMS:
        # An Adaptive Card, what Teams' workflow webhooks ("Post to a channel when a webhook request is
        # received") accept.
        return {
            "type": "message",
            "attachments": [
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "content": {
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "type": "AdaptiveCard",
                        "version": "1.4",
                        "body": [{"type": "TextBlock", "text": _teams_escape(text), "wrap": True}],
                        "actions": [{"type": "Action.OpenUrl", "title": _("Open in Lodestar"), "url": link}],
                    },
                }
            ],
        }
    # Slack reads <…> as commands (<!channel> pings everyone) and links: what people typed is escaped.
    return {"text": f"{_slack_escape(text)} <{link}|{_slack_escape(_('Open in Lodestar'))}>", "unfurl_links": False}


def _teams_escape(text: str) -> str:
    """Teams renders a TextBlock's Markdown: what people typed may not become disguised links or
    formatting (a bare URL stays visible as what it is)."""
    return _TEAMS_MARKUP.sub(lambda match: "\\" + match.group(0), text)


_TEAMS_MARKUP = re.compile(r"[\\`*_\[\]]")  # links need [..], emphasis * or _: escaping those is enough


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def deliver(post: ChatPost) -> None:
    """One attempt; the result (and the receiver's status code) is kept for the admins' log."""
    channel = post.channel
    objective = post.activity.objective if post.activity_id else None
    if not channel.is_active or (objective is not None and objective.is_private):
        outbox.finish(post, skipped=True)  # paused, or the objective turned private while the post waited
        return
    targets.post(post, channel.url, json.dumps(post.payload).encode())
