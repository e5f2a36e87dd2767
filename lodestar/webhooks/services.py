"""Registering webhooks (admins) and queuing their deliveries.

``emit`` runs for the goal and KPI events (webhooks.listeners) inside the transactions of their
services, so a delivery exists exactly when the change it tells of was saved; the worker sends it after the commit. Events of
private objectives are not sent: a receiver's audience is not known to Lodestar.
"""

import secrets
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lodestar.audit.services import changes_between, host_of, record
from lodestar.core.errors import NotAllowed
from lodestar.core.guards import require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.orgs.models import Membership
from lodestar.webhooks import tasks
from lodestar.webhooks.models import Delivery, Webhook
from lodestar.worker import outbox, targets

PING = "ping"


def _require_admin(actor: Membership) -> None:
    if not actor.is_admin:
        raise NotAllowed(_("Only admins can manage webhooks."))


def _clean_webhook(*, name, url, events, is_active) -> dict:
    return targets.clean_target(name=name, url=url, events=events, offered=Webhook.Event.values, is_active=is_active)


def _as_logged(webhook: Webhook) -> dict:
    """What the audit log tells of a webhook: its URL's host only (a URL may carry a secret)."""
    return {
        "name": webhook.name,
        "url": host_of(webhook.url),
        "events": list(webhook.events),
        "active": webhook.is_active,
    }


@atomic_service
def create_webhook(*, actor: Membership, **fields) -> Webhook:
    _require_admin(actor)
    webhook = Webhook.objects.create(
        organization_id=actor.organization_id,
        created_by=actor,
        secret=secrets.token_hex(32),
        **_clean_webhook(**fields),
    )
    details = {field: value for field, value in _as_logged(webhook).items() if field not in ("name", "active")}
    record(
        actor.organization_id,
        "webhook.created",
        actor=actor,
        target=webhook,
        target_label=webhook.name,
        details=details,
    )
    return webhook


@atomic_service
def update_webhook(*, actor: Membership, webhook: Webhook, **fields) -> Webhook:
    _require_admin(actor)
    require_same_organization(actor, webhook)
    before = _as_logged(webhook)
    for name, value in _clean_webhook(**fields).items():
        setattr(webhook, name, value)
    webhook.save()
    changed = changes_between(before, _as_logged(webhook))
    if changed:
        record(
            actor.organization_id,
            "webhook.changed",
            actor=actor,
            target=webhook,
            target_label=webhook.name,
            details=changed,
        )
    return webhook


@atomic_service
def new_secret(*, actor: Membership, webhook: Webhook) -> Webhook:
    """A fresh signing secret (the old one stops working at once)."""
    _require_admin(actor)
    require_same_organization(actor, webhook)
    webhook.secret = secrets.token_hex(32)
    webhook.save(update_fields=["secret"])
    record(
        actor.organization_id,
        "webhook.changed",
        actor=actor,
        target=webhook,
        target_label=webhook.name,
        details={"secret": "renewed"},
    )
    return webhook


@atomic_service
def delete_webhook(*, actor: Membership, webhook: Webhook) -> None:
    _require_admin(actor)
    require_same_organization(actor, webhook)
    record(actor.organization_id, "webhook.deleted", actor=actor, target=webhook, target_label=webhook.name)
    webhook.delete()


@atomic_service
def send_ping(*, actor: Membership, webhook: Webhook) -> Delivery:
    """A signed test delivery, sent by the worker like any other."""
    _require_admin(actor)
    require_same_organization(actor, webhook)
    events = ", ".join(webhook.event_labels)
    data = {"message": _("Lodestar is connected. This webhook gets: %(events)s.") % {"events": events}}
    return _queue(webhook, PING, data)


@atomic_service
def retry_delivery(*, actor: Membership, delivery: Delivery) -> None:
    """Try a failed (or waiting) delivery again now; one a worker is sending is left to it."""
    _require_admin(actor)
    require_same_organization(actor, delivery)
    outbox.retry_now(Delivery.objects.filter(organization_id=actor.organization_id, pk=delivery.pk))
    tasks.enqueue_delivery()


def _queue(webhook: Webhook, event: str, data: dict, objective=None) -> Delivery:
    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "event": event,
        "created_at": timezone.now().isoformat(),
        "organization": webhook.organization.slug,
        "data": data,
    }
    delivery = Delivery.objects.create(
        organization_id=webhook.organization_id,
        webhook=webhook,
        event=event,
        event_id=event_id,
        objective=objective,
        payload=payload,
        next_attempt_at=timezone.now(),
    )
    tasks.enqueue_delivery()
    return delivery


def emit(organization_id: int, event: str, tell, *, objective=None) -> int:
    """Queue ``event`` to every active webhook of the organization that asked for it;
    ``tell(organization_slug)`` makes its data, only when some webhook wants it."""
    if objective is not None and objective.is_private:
        return 0
    hooks = [
        hook
        for hook in Webhook.objects.filter(organization_id=organization_id, is_active=True).select_related(
            "organization"
        )
        if event in hook.events
    ]
    if hooks:
        data = tell(hooks[0].organization.slug)
        for hook in hooks:
            _queue(hook, event, data, objective)
    return len(hooks)


# --- what each event tells ------------------------------------------------------------------------


def _link(organization_slug: str, name: str, **kwargs) -> str:
    return settings.LODESTAR_BASE_URL + reverse(name, kwargs={"org_slug": organization_slug, **kwargs})


def _number(value) -> float | None:
    return None if value is None else float(value)


def _objective(objective, slug: str) -> dict:
    return {
        "id": objective.pk,
        "title": objective.title,
        "progress": objective.progress,
        "status": objective.status,
        "url": _link(slug, "okrs:objective", objective_id=objective.pk),
    }


def check_in_created(check_in) -> None:
    key_result = check_in.key_result
    objective = key_result.objective
    emit(
        check_in.organization_id,
        Webhook.Event.CHECK_IN_CREATED,
        lambda slug: {
            "check_in": {
                "id": check_in.pk,
                "value": _number(check_in.value),
                "percent": _number(check_in.percent),
                "done": check_in.done,
                "status": check_in.status,
                "confidence": check_in.confidence,
                "comment": check_in.comment,
                "effective_on": check_in.effective_on.isoformat(),
                "author_id": check_in.author_id,
                "source": check_in.source,
            },
            "key_result": {
                "id": key_result.pk,
                "title": key_result.title,
                "progress": key_result.progress,
                "status": key_result.status,
                "current_value": _number(key_result.current_value),
                "url": _link(slug, "okrs:key_result", key_result_id=key_result.pk),
            },
            "objective": {"id": objective.pk, "title": objective.title},
        },
        objective=objective,
    )


def objective_status_changed(objective, *, status_from: str) -> None:
    def tell(slug):
        return {"objective": _objective(objective, slug), "status_from": status_from, "status_to": objective.status}

    emit(objective.organization_id, Webhook.Event.OBJECTIVE_STATUS_CHANGED, tell, objective=objective)


def objective_closed(objective) -> None:
    def tell(slug):
        return {"objective": _objective(objective, slug)}

    emit(objective.organization_id, Webhook.Event.OBJECTIVE_CLOSED, tell, objective=objective)


def kpi_unhealthy(kpi) -> None:
    def tell(slug):
        return {
            "kpi": {
                "id": kpi.pk,
                "name": kpi.name,
                "current_value": _number(kpi.current_value),
                "unit": kpi.unit,
                "rule": kpi.rule,
                "rule_min": _number(kpi.rule_min),
                "rule_max": _number(kpi.rule_max),
                "url": _link(slug, "kpis:kpi", kpi_id=kpi.pk),
            }
        }

    emit(kpi.organization_id, Webhook.Event.KPI_UNHEALTHY, tell)
