"""The audit log: who did what to an organization's security, when, and from where.

Goal changes are not here: each goal keeps its own history (django-simple-history). This log holds
what an owner or a security reviewer asks about — sign-ins, roles, invitations, tokens, single
sign-on, provisioning, settings, exports. Rows are written by ``lodestar.audit.services.record``
only, inside the transaction of the change they describe, and never edited.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lodestar.core.scoping import OrganizationScopedManager


class AuditEvent(models.Model):
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    occurred_at = models.DateTimeField(_("when"), auto_now_add=True)
    # The account that acted (none for the system, a SCIM client or a failed sign-in of an unknown
    # address); its label keeps the name and address of that moment, the account may go.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("who"), max_length=300, blank=True)
    action = models.CharField(_("what"), max_length=60)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(_("about"), max_length=300, blank=True)
    # {"field": [before, after]} for changes, or other facts of the event ({"reason": ...}).
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "-occurred_at"], name="audit_org_time"),
            models.Index(fields=["organization", "action", "-occurred_at"], name="audit_org_action_time"),
        ]

    def __str__(self):
        return f"{self.action} {self.target_label}".strip()
