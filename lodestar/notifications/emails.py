"""Composing and sending one outbox e-mail, in the recipient's language and time zone, with an
HTML and a text part and a one-click unsubscribe link for its kind (RFC 8058 headers too)."""

import datetime
import email.policy
import zoneinfo
from dataclasses import dataclass
from email.utils import formataddr

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lodestar.activity.text import target_url
from lodestar.core.scoping import organization_scope
from lodestar.notifications import digests
from lodestar.notifications.models import Email, EmailMode
from lodestar.notifications.schedule import SEND_HOUR
from lodestar.notifications.services import inbox, preferences_of
from lodestar.notifications.text import notification_path, notification_sentence
from lodestar.worker import outbox

_UNSUBSCRIBE_SALT = "lodestar.unsubscribe"


def unsubscribe_token(email: Email) -> str:
    return signing.dumps({"m": email.recipient_id, "k": email.kind}, salt=_UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(membership id, kind) of a genuine link, else None. Links do not expire."""
    try:
        value = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
        membership_id, kind = int(value["m"]), value["k"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return (membership_id, kind) if kind in Email.Kind.values else None


class LodestarEmail(EmailMultiAlternatives):
    """Headers may run to RFC 5322's 998 characters: folded at 78, the unsubscribe URL (no spaces to
    fold at) would be written as an encoded word, which mail programs do not read as a link."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


@dataclass
class Message:
    subject: str
    template: str
    context: dict


def deliver(email: Email) -> None:
    person = email.recipient
    with (
        organization_scope(person.organization),
        translation.override(person.language),
        timezone.override(zoneinfo.ZoneInfo(person.time_zone)),
    ):
        outbox.attempt(email, lambda: _compose_and_send(email))


def _compose_and_send(email: Email) -> bool:
    message = compose(email) if email.recipient.is_active else None
    if message is None:
        return False
    _send(email, message)
    return True


def _send(email: Email, message: Message) -> None:
    person = email.recipient
    unsubscribe = settings.LODESTAR_BASE_URL + reverse("unsubscribe", kwargs={"token": unsubscribe_token(email)})
    context = {
        **message.context,
        "person": person,
        "organization": person.organization,
        "unsubscribe_url": unsubscribe,
        "preferences_url": settings.LODESTAR_BASE_URL
        + reverse("notifications:preferences", kwargs={"org_slug": person.organization.slug}),
        "kind_label": Email.Kind(email.kind).label,
        "subject": message.subject,
        "language": person.language,
    }
    mail = LodestarEmail(
        subject=message.subject,
        body=render_to_string(f"notifications/email/{message.template}.txt", context),
        to=[formataddr((person.full_name, person.user.email))],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Lodestar-Key": f"{email.kind}:{email.key}",
            "Auto-Submitted": "auto-generated",
            "Content-Language": person.language,  # what the person chose, else their organization's (RFC 3282)
        },
    )
    mail.attach_alternative(render_to_string(f"notifications/email/{message.template}.html", context), "text/html")
    mail.send()


def compose(email: Email) -> Message | None:
    """What to say, or None when there is nothing to say any more (read, checked in, opted out)."""
    person, wants = email.recipient, preferences_of(email.recipient)
    if email.kind == Email.Kind.NOTIFICATION:
        if wants.notification_emails != EmailMode.IMMEDIATELY:
            return None
        return _notification(email)
    if email.kind == Email.Kind.DAILY_DIGEST:
        return _daily_digest(email) if wants.notification_emails == EmailMode.DAILY else None
    today = timezone.localdate()
    if email.kind == Email.Kind.CHECK_IN_REMINDER:
        key_results = digests.key_results_due(person, today) if wants.check_in_reminders else []
        if not key_results:
            return None
        subject = ngettext(
            "Time for your weekly check-in: %(count)s key result",
            "Time for your weekly check-in: %(count)s key results",
            len(key_results),
        ) % {"count": len(key_results)}
        rows = [(kr, target_url(person.organization, key_result_id=kr.pk, check_in=True)) for kr in key_results]
        return Message(subject, "check_in_reminder", {"rows": rows})
    weeks = digests.lead_week(person, today) if wants.lead_digest else []
    if not weeks:
        return None
    subject = _("Your groups this week: %(groups)s") % {"groups": ", ".join(week.group.name for week in weeks)}
    return Message(subject, "lead_digest", {"weeks": weeks, "base_url": settings.LODESTAR_BASE_URL})


def _notification(email: Email) -> Message | None:
    notification = (
        inbox(email.recipient).filter(pk=email.notification_id).select_related("actor__user", "comment").first()
    )
    if notification is None or notification.read_at is not None:
        return None  # no longer visible, or seen in the app already
    notification.recipient = email.recipient
    sentence = notification_sentence(notification)
    context = {"notification": notification, "sentence": sentence, "url": target_url_of(notification)}
    return Message(sentence, "notification", context)


def _daily_digest(email: Email) -> Message | None:
    person = email.recipient
    day = datetime.date.fromisoformat(email.key)
    until = datetime.datetime.combine(day, datetime.time(SEND_HOUR), tzinfo=zoneinfo.ZoneInfo(person.time_zone))
    notifications = list(
        inbox(person)
        .filter(created_at__gte=until - datetime.timedelta(days=1), created_at__lt=until, read_at__isnull=True)
        .select_related("actor__user", "comment")
    )
    if not notifications:
        return None
    for notification in notifications:
        notification.recipient = person
    rows = [(notification_sentence(n), target_url_of(n)) for n in notifications]
    subject = ngettext("Lodestar: %(count)s new notification", "Lodestar: %(count)s new notifications", len(rows)) % {
        "count": len(rows)
    }
    return Message(subject, "daily_digest", {"rows": rows})


def target_url_of(notification) -> str:
    return settings.LODESTAR_BASE_URL + notification_path(notification)
