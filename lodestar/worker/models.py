"""What every outbox shares: a message that goes out once, claimed by one worker at a time."""

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
