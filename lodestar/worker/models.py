"""What every outbox shares: a message that goes out once, claimed by one worker at a time; and
what every delivery target shares: a URL an admin registers for chosen events (worker.targets)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxItem(models.Model):
    """Something to send exactly once. Workers claim items with a lease; an item whose worker died
    is claimed again when its lease runs out; failures are retried with back-off."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not needed")

    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class DeliveryTarget(models.Model):
    """A URL events are POSTed to (a chat channel, a webhook). Subclasses name their ``Event``
    choices and add their organization."""

    name = models.CharField(_("name"), max_length=80)
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def event_labels(self) -> list[str]:
        labels = dict(self.Event.choices)
        return [str(labels[event]) for event in self.events if event in labels]
