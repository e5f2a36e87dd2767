"""Events in words: one sentence per event, for feeds, chat posts and e-mails (in the active
language), and the page each event is about."""

from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lodestar.activity.models import Activity
from lodestar.okrs.models import Objective, Status


def percent(value) -> str:
    return f"{round((value or 0) * 100)} %"


def actor_name(activity) -> str:
    if activity.actor_id:
        return activity.actor.full_name
    return _("An automatic update") if activity.data.get("source") else _("Someone")


def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else ""


def outcome_label(value: str) -> str:
    return str(Objective.Outcome(value).label).lower() if value in Objective.Outcome.values else ""


def sentence(activity: Activity) -> str:
    data, actor = activity.data, actor_name(activity)
    if activity.kind == Activity.Kind.CHECK_IN:
        before, after = percent(data.get("progress_from")), percent(data.get("progress_to"))
        values = {"actor": actor, "key_result": data.get("key_result", ""), "before": before, "after": after}
        if before == after:
            text = _("%(actor)s checked in on “%(key_result)s”: still %(after)s") % values
        else:
            text = _("%(actor)s checked in on “%(key_result)s”: %(before)s → %(after)s") % values
        if activity.status_changed:
            text += " · " + status_label(data["status_to"])
        return text
    if activity.kind == Activity.Kind.OBJECTIVE_CREATED:
        return _("%(actor)s created the objective “%(objective)s”") % {"actor": actor, "objective": data["objective"]}
    if activity.kind == Activity.Kind.OBJECTIVE_CLOSED:
        return _("%(actor)s closed “%(objective)s” with a score of %(score)s: %(outcome)s") % {
            "actor": actor,
            "objective": data["objective"],
            "score": number_format(Decimal(data.get("score") or 0).normalize()),
            "outcome": outcome_label(data.get("outcome", "")),
        }
    return _("%(actor)s commented on “%(target)s”: %(excerpt)s") % {
        "actor": actor,
        "target": data.get("target", ""),
        "excerpt": data.get("excerpt", ""),
    }


def target_path(
    organization, *, objective_id=None, key_result_id=None, kpi_id=None, check_in: bool = False, conversation_of=None
) -> str:
    """The page something is on: a check-in's conversation (``conversation_of``: its id), a key
    result (``check_in``: its check-in form), an objective or a KPI."""
    slug = {"org_slug": organization.slug}
    if conversation_of:
        return reverse("conversations:check_in_comments", kwargs={**slug, "check_in_id": conversation_of})
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
