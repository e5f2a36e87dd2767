"""Automatic feeds: a key result or KPI updated without anyone typing, by a secret URL that
accepts a value (Zapier-style tools, scripts) or by a data source Lodestar polls on a schedule.
Each value is recorded as a check-in (or KPI value) without an author and with the feed noted
as its source; the feed keeps its last success and its last failure for the goal's page."""

from urllib.parse import urlsplit

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lodestar.core.scoping import OrganizationScopedManager
from lodestar.orgs.models import Membership, Organization


class Feed(models.Model):
    class Kind(models.TextChoices):
        PUSH = "push", _("Secret URL")
        POLL = "poll", _("Polled data source")

    class Format(models.TextChoices):
        JSON = "json", "JSON"
        CSV = "csv", "CSV"

    class Every(models.IntegerChoices):
        QUARTER_HOUR = 15, _("Every 15 minutes")
        HOUR = 60, _("Every hour")
        SIX_HOURS = 360, _("Every 6 hours")
        DAY = 1440, _("Every day")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    key_result = models.ForeignKey(
        "okrs.KeyResult", null=True, blank=True, on_delete=models.CASCADE, related_name="feeds"
    )
    kpi = models.ForeignKey("kpis.KPI", null=True, blank=True, on_delete=models.CASCADE, related_name="feeds")
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=80)
    # A secret URL: found by its prefix, the secret stored only as a SHA-256 hash.
    prefix = models.CharField(max_length=12, unique=True, null=True, blank=True)
    secret_hash = models.CharField(max_length=64, blank=True)
    # A polled data source.
    url = models.URLField(_("URL"), max_length=500, blank=True)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices, blank=True)
    field_path = models.CharField(_("field"), max_length=200, blank=True)
    every_minutes = models.PositiveIntegerField(_("how often"), choices=Every.choices, null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    # What happened last.
    last_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    last_recorded_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="feed_feeds_a_key_result_or_a_kpi",
                condition=Q(key_result__isnull=False, kpi__isnull=True) | Q(key_result__isnull=True, kpi__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["next_poll_at"], name="feed_due", condition=Q(kind="poll")),
            models.Index(fields=["organization", "key_result"], name="feed_org_key_result"),
            models.Index(fields=["organization", "kpi"], name="feed_org_kpi"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_failing(self) -> bool:
        return bool(self.last_error) and (self.last_success_at is None or self.last_error_at > self.last_success_at)

    def source_text(self) -> str:
        """What a recorded value keeps of where it came from (it outlives the feed)."""
        if self.kind == self.Kind.PUSH:
            return self.name
        return f"{self.name} · {urlsplit(self.url).hostname}"[:300]
