"""Personal API tokens: a person's key to the REST API in one organization.

The secret is shown once when the token is made and stored only as a SHA-256 hash (a random
32-byte secret needs no slow hash); the prefix finds the row without scanning.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lodestar.core.scoping import OrganizationScopedManager
from lodestar.orgs.models import Membership, Organization


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read")
        READ_WRITE = "read_write", _("Read and write")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "membership"], name="api_token_org_person")]

    def __str__(self):
        return self.name

    def is_usable(self, today) -> bool:
        return self.revoked_at is None and (self.expires_on is None or self.expires_on >= today)

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE

    def revoke(self) -> None:
        self.revoked_at = timezone.now()


class CallCount(models.Model):
    """Calls of one caller (a token, or a person's browser session) in one rate window: counted
    by one atomic upsert per call (api.auth.PerCallerThrottle); old windows are swept by the worker."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    caller = models.CharField(max_length=40)
    window_start = models.BigIntegerField()
    calls = models.PositiveIntegerField(default=0)

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "caller", "window_start"], name="api_call_count_once")
        ]
