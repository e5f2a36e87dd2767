"""Creating notifications, reading them, and each person's e-mail preferences.

``notify`` is called by the goal, KPI and comment services inside their transactions. It keeps
to the privacy rule: nobody is told about an objective they may not see, nobody about their own
doing, and an immediate e-mail is queued in the same transaction (it goes out once it commits).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lodestar.audit.services import changes_between, host_of, plain, record
from lodestar.core.errors import NotAllowed, NotFound, as_id
from lodestar.core.guards import require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.notifications import tasks
from lodestar.notifications.models import ChatChannel, ChatPost, Email, EmailMode, Notification, Preferences
from lodestar.okrs.models import Objective, Timeframe
from lodestar.okrs.permissions import can_view_objective
from lodestar.okrs.selectors import visible_through
from lodestar.orgs.models import Membership
from lodestar.worker import outbox, targets


def preferences_of(person: Membership) -> Preferences:
    """The person's preferences, or the defaults (not saved) when they never changed them."""
    found = Preferences.objects.filter(organization_id=person.organization_id, membership=person).first()
    return found or Preferences(organization_id=person.organization_id, membership=person)


def notify(
    recipients, kind: str, *, actor: Membership | None, data: dict, objective=None, **targets
) -> list[Notification]:
    """Tell each recipient (Memberships; duplicates, the actor and inactive people are dropped)."""
    people = {}
    for person in recipients:
        if person is None or not person.is_active or (actor is not None and person.pk == actor.pk):
            continue
        if objective is not None and not can_view_objective(person, objective):
            continue
        people.setdefault(person.pk, person)
    if not people:
        return []
    organization_id = next(iter(people.values())).organization_id
    notifications = Notification.objects.bulk_create(
        Notification(
            organization_id=organization_id,
            recipient=person,
            kind=kind,
            actor=actor,
            objective=objective,
            data=data,
            **targets,
        )
        for person in people.values()
    )
    _queue_immediate_emails(organization_id, notifications)
    return notifications


def _queue_immediate_emails(organization_id: int, notifications: list[Notification]) -> None:
    opted_out = set(
        Preferences.objects.filter(
            organization_id=organization_id, membership__in=[n.recipient_id for n in notifications]
        )
        .exclude(notification_emails=EmailMode.IMMEDIATELY)
        .values_list("membership_id", flat=True)
    )
    emails = [
        Email(
            organization_id=organization_id,
            recipient_id=notification.recipient_id,
            kind=Email.Kind.NOTIFICATION,
            key=f"notification-{notification.pk}",
            notification=notification,
            next_attempt_at=timezone.now(),
        )
        for notification in notifications
        if notification.recipient_id not in opted_out
    ]
    if emails:
        Email.objects.bulk_create(emails)
        tasks.enqueue_email_delivery()


def inbox(person: Membership):
    """The person's notifications, newest first, without those about objectives they can no longer see."""
    return Notification.objects.filter(organization_id=person.organization_id, recipient=person).filter(
        visible_through(person)
    )


def unread_count(person: Membership) -> int:
    """The bell's count, drawn on every page: one plain count, and the visibility rules (costly to
    build) only for the few unread notifications about private objectives."""
    unread = Notification.objects.filter(organization_id=person.organization_id, recipient=person, read_at__isnull=True)
    private = Q(objective__visibility=Objective.Visibility.PRIVATE)
    counts = unread.aggregate(total=Count("pk"), private=Count("pk", filter=private))
    if not counts["private"]:
        return counts["total"]
    return counts["total"] - counts["private"] + unread.filter(private).filter(visible_through(person)).count()


def access_notification(person: Membership, notification_id) -> Notification:
    notification = inbox(person).filter(pk=as_id(notification_id)).select_related("comment").first()
    if notification is None:
        raise NotFound
    return notification


@atomic_service
def mark_read(*, actor: Membership, notification: Notification) -> None:
    Notification.objects.filter(
        organization_id=actor.organization_id, recipient=actor, pk=notification.pk, read_at__isnull=True
    ).update(read_at=timezone.now())


@atomic_service
def mark_all_read(*, actor: Membership) -> int:
    return Notification.objects.filter(
        organization_id=actor.organization_id, recipient=actor, read_at__isnull=True
    ).update(read_at=timezone.now())


@atomic_service
def update_preferences(*, actor: Membership, **fields) -> Preferences:
    """A person changes their own preferences (nobody else's)."""
    preferences, _ = Preferences.objects.update_or_create(
        organization_id=actor.organization_id, membership=actor, defaults=fields
    )
    return preferences


UNSUBSCRIBE_FIELDS = {
    Email.Kind.NOTIFICATION: ("notification_emails", EmailMode.OFF),
    Email.Kind.DAILY_DIGEST: ("notification_emails", EmailMode.OFF),
    Email.Kind.CHECK_IN_REMINDER: ("check_in_reminders", False),
    Email.Kind.LEAD_DIGEST: ("lead_digest", False),
}


@atomic_service
def unsubscribe(*, person: Membership, kind: str) -> None:
    """Stop one kind of e-mail, from the link in that e-mail (the signed link is the permission)."""
    field, value = UNSUBSCRIBE_FIELDS[kind]
    Preferences.objects.update_or_create(
        organization_id=person.organization_id, membership=person, defaults={field: value}
    )


# --- reminders ------------------------------------------------------------------------------------


@atomic_service
def remind_to_close(*, actor: Membership, timeframe: Timeframe) -> int:
    """Ask the leads of a timeframe's objectives that are still open to close them, once a day per
    objective; returns how many reminders went out (leads who left, or the admin's own, are not)."""
    require_same_organization(actor, timeframe)
    if not actor.is_admin:
        raise NotAllowed(_("Only admins can remind people to close their objectives."))
    if timeframe.state == Timeframe.State.PLANNING:
        raise ValidationError({"timeframe": [_("A timeframe still being planned has nothing to close.")]})
    since = timezone.now() - datetime.timedelta(days=1)
    reminded_today = Notification.objects.filter(
        organization_id=actor.organization_id, kind=Notification.Kind.CLOSE_DUE, created_at__gte=since
    ).values("objective_id")
    still_open = (
        Objective.objects.filter(
            organization_id=actor.organization_id, timeframe=timeframe, state=Objective.State.ACTIVE
        )
        .exclude(pk__in=reminded_today)
        .select_related("lead__user")
    )
    asked = 0
    for objective in still_open:
        data = {"target": objective.title}
        asked += len(notify([objective.lead], Notification.Kind.CLOSE_DUE, actor=actor, objective=objective, data=data))
    return asked


# --- chat channels (admins) --------------------------------------------------------------------


def _require_admin(actor: Membership) -> None:
    if not actor.is_admin:
        raise NotAllowed(_("Only admins can manage chat channels."))


def _clean_channel(actor: Membership, *, name, service, url, events, group, is_active) -> dict:
    if group is not None:
        require_same_organization(actor, group)
    if service not in ChatChannel.Service.values:
        raise ValidationError({"service": [_("Choose Slack or Microsoft Teams.")]})
    target = targets.clean_target(
        name=name, url=url, events=events, offered=ChatChannel.Event.values, is_active=is_active
    )
    return {**target, "service": service, "group": group}


def _as_logged(channel: ChatChannel) -> dict:
    """What the audit log tells of a chat channel: its URL's host only (the URL is the secret)."""
    return {
        "name": channel.name,
        "service": channel.service,
        "url": host_of(channel.url),
        "events": list(channel.events),
        "group": channel.group,
        "active": channel.is_active,
    }


@atomic_service
def create_chat_channel(*, actor: Membership, **fields) -> ChatChannel:
    _require_admin(actor)
    channel = ChatChannel.objects.create(organization_id=actor.organization_id, **_clean_channel(actor, **fields))
    details = {field: plain(value) for field, value in _as_logged(channel).items() if field not in ("name", "active")}
    record(
        actor.organization_id,
        "chat_channel.created",
        actor=actor,
        target=channel,
        target_label=channel.name,
        details=details,
    )
    return channel


@atomic_service
def update_chat_channel(*, actor: Membership, channel: ChatChannel, **fields) -> ChatChannel:
    _require_admin(actor)
    require_same_organization(actor, channel)
    before = _as_logged(channel)
    for name, value in _clean_channel(actor, **fields).items():
        setattr(channel, name, value)
    channel.save()
    changed = changes_between(before, _as_logged(channel))
    if changed:
        record(
            actor.organization_id,
            "chat_channel.changed",
            actor=actor,
            target=channel,
            target_label=channel.name,
            details=changed,
        )
    return channel


@atomic_service
def delete_chat_channel(*, actor: Membership, channel: ChatChannel) -> None:
    _require_admin(actor)
    require_same_organization(actor, channel)
    record(actor.organization_id, "chat_channel.deleted", actor=actor, target=channel, target_label=channel.name)
    channel.delete()


@atomic_service
def send_test_post(*, actor: Membership, channel: ChatChannel) -> ChatPost:
    """Queue a test message to the channel; the worker sends it like any other post."""
    from lodestar.notifications import chat

    _require_admin(actor)
    require_same_organization(actor, channel)
    text = _("Lodestar is connected. This channel gets: %(events)s.") % {"events": ", ".join(channel.event_labels)}
    post = ChatPost.objects.create(
        organization_id=actor.organization_id,
        channel=channel,
        payload=chat.payload(channel.service, text, chat.absolute_url(actor.organization, "activity:organization")),
        next_attempt_at=timezone.now(),
    )
    tasks.enqueue_chat_delivery()
    return post


@atomic_service
def retry_post(*, actor: Membership, post: ChatPost) -> None:
    """Try a failed (or waiting) post again now."""
    _require_admin(actor)
    require_same_organization(actor, post)
    outbox.retry_now(ChatPost.objects.filter(organization_id=actor.organization_id, pk=post.pk))
    tasks.enqueue_chat_delivery()
