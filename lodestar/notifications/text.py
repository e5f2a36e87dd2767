"""Notifications in words and their links (in the active language)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    return _("%(actor)s made you %(role)s of “%(target)s”") % {
        "actor": actor,
        "role": ROLES.get(data.get("role"), ROLES["contributor"]),
        "target": target,
    }


def target_path(organization, *, objective_id=None, key_result_id=None, kpi_id=None, check_in: bool = False) -> str:
    slug = {"org_slug": organization.slug}
    if key_result_id:
        name = "okrs:check_in" if check_in else "okrs:key_result"
        return reverse(name, kwargs={**slug, "key_result_id": key_result_id})
    if objective_id:
        return reverse("okrs:objective", kwargs={**slug, "objective_id": objective_id})
    if kpi_id:
        return reverse("kpis:kpi", kwargs={**slug, "kpi_id": kpi_id})
    return reverse("notifications:inbox", kwargs=slug)


def target_url(organization, **target) -> str:
    return settings.LODESTAR_BASE_URL + target_path(organization, **target)
