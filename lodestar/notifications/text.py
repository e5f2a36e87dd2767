"""Notifications in words and their links (in the active language)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lodestar.activity.text import target_path
from lodestar.notifications.models import Notification

ROLES = {
    "lead": gettext_lazy("lead"),
    "owner": gettext_lazy("owner"),
    "contributor": gettext_lazy("a contributor"),
}


def notification_sentence(notification: Notification) -> str:
    data = notification.data
    actor = notification.actor.full_name if notification.actor_id else _("Someone")
    target = data.get("target", "")
    if notification.kind == Notification.Kind.MENTIONED:
        return _("%(actor)s mentioned you on “%(target)s”") % {"actor": actor, "target": target}
    if notification.kind == Notification.Kind.COMMENTED:
        return _("%(actor)s commented on “%(target)s”") % {"actor": actor, "target": target}
    if notification.kind == Notification.Kind.OFF_TRACK:
        return _("Your key result “%(target)s” is off track") % {"target": target}
    if notification.kind == Notification.Kind.NUDGED:
        return nudge_sentence(data.get("next_stage", ""), data.get("group", ""))
    if notification.kind == Notification.Kind.CLOSE_DUE:
        return _("%(actor)s asks you to close “%(target)s”: score it and look back") % {
            "actor": actor,
            "target": target,
        }
    return _("%(actor)s made you %(role)s of “%(target)s”") % {
        "actor": actor,
        "role": ROLES.get(data.get("role"), ROLES["contributor"]),
        "target": target,
    }


NUDGES = {
    "trained": gettext_lazy("%(group)s: your next step is the OKR introduction. It takes ten minutes."),
    "drafted": gettext_lazy("%(group)s: your next step is to draft your first objective."),
    "aligned": gettext_lazy("%(group)s: your next step is to align your objective to a company objective."),
    "checked_in": gettext_lazy("%(group)s: your next step is your first check-in on a key result."),
    "steady": gettext_lazy("%(group)s: check in every week. Four weeks in a row and it is a habit."),
}
NUDGE_PATHS = {
    "trained": "rollout:deck",
    "drafted": "okrs:objective_create",
    "aligned": "okrs:home",
    "checked_in": "okrs:home",
    "steady": "okrs:home",
}


def nudge_sentence(next_stage: str, group: str) -> str:
    template = NUDGES.get(next_stage, NUDGES["checked_in"])
    return template % {"group": group}


def notification_path(notification: Notification) -> str:
    """Where a notification leads: the comment it is about, or its goal."""
    if notification.kind == Notification.Kind.NUDGED:
        view = NUDGE_PATHS.get(notification.data.get("next_stage"), "okrs:home")
        return reverse(view, kwargs={"org_slug": notification.recipient.organization.slug})
    if notification.kind == Notification.Kind.CLOSE_DUE and notification.objective_id:
        kwargs = {"org_slug": notification.recipient.organization.slug, "objective_id": notification.objective_id}
        return reverse("okrs:objective_close", kwargs=kwargs)
    comment = notification.comment if notification.comment_id else None
    path = target_path(
        notification.recipient.organization,
        objective_id=notification.objective_id,
        key_result_id=notification.key_result_id,
        kpi_id=notification.kpi_id,
        conversation_of=comment.check_in_id if comment else None,
    )
    return path + (f"#comment-{comment.pk}" if comment else "")
