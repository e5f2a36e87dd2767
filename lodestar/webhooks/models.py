"""Outbound webhooks: URLs an admin registers for chosen events, and each signed delivery to them
(an outbox item: claimed by one worker, retried with back-off, logged with the receiver's answer)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lodestar.core.scoping import OrganizationScopedManager
from lodestar.orgs.models import Membership, Organization
from lodestar.worker.models import DeliveryTarget, OutboxItem


class Webhook(DeliveryTarget):
    class Event(models.TextChoices):
        CHECK_IN_CREATED = "check_in.created", _("A check-in is recorded")
        OBJECTIVE_STATUS_CHANGED = "objective.status_changed", _("An objective's status changes")
        OBJECTIVE_CLOSED = "objective.closed", _("An objective is closed")
        KPI_UNHEALTHY = "kpi.unhealthy", _("A KPI becomes unhealthy")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    # The receiver checks signatures with it, so it is kept (not hashed) and shown to admins.
    secret = models.CharField(max_length=64)
    created_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = OrganizationScopedManager()

    class Meta(DeliveryTarget.Meta):
        indexes = [models.Index(fields=["organization", "is_active"], name="webhook_org_active")]


class Delivery(OutboxItem):
    """One event to one webhook. ``event_id`` is the same on every attempt (receivers de-duplicate
    by it); the signature and its timestamp are made fresh for each attempt."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    event_id = models.UUIDField()
    # The objective it tells of: an objective made private while the delivery waits is not sent.
    objective = models.ForeignKey("okrs.Objective", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "webhook", "event_id"], name="webhook_delivery_once")
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_deliverable"),
            models.Index(fields=["organization", "webhook", "-id"], name="webhook_delivery_org_hook"),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.event} → {self.webhook_id}"
