"""Invitations: how a person comes into an organization, and the e-mails that carry them."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lodestar.core.scoping import OrganizationScopedManager
from lodestar.orgs.models import Membership, Organization, Role
from lodestar.worker.models import OutboxItem

VALID_FOR = datetime.timedelta(days=14)


class Invitation(models.Model):
    """An admin asks someone, by e-mail address, to join with a role and groups.

    A new address gets its account and membership at once (so that the organization chart and
    goals can name the person), unusable until the mailed link is followed. An address that belongs
    to an account already joins only when that account's holder accepts: ``role``, ``job_title``,
    ``manager`` and ``group_ids`` wait here until then."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    manager = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    group_ids = models.JSONField(default=list, blank=True)
    message = models.TextField(_("personal message"), blank=True)
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    inviter = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    # Changed on every resend: a link carries it, so only the latest link works.
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=Q(state="pending"),
                name="invitation_one_pending_per_address",
            ),
        ]
        indexes = [models.Index(fields=["organization", "state", "created_at"], name="invitation_org_state")]

    def __str__(self):
        return self.email

    @property
    def is_expired(self) -> bool:
        return self.state == self.State.PENDING and self.expires_at <= timezone.now()

    @property
    def shown_state(self) -> str:
        """What the list says: pending, accepted, revoked or expired."""
        return "expired" if self.is_expired else self.state

    @property
    def shown_state_label(self) -> str:
        return _("Expired") if self.is_expired else self.get_state_display()


class InvitationEmail(OutboxItem):
    """One sending of an invitation (the first, or a resend)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="emails")
    nonce = models.CharField(max_length=32)

    objects = OrganizationScopedManager()

    class Meta:
        indexes = [
            models.Index(fields=["organization", "invitation"], name="invitation_email_org_inv"),
            models.Index(fields=["state", "next_attempt_at"], name="invitation_email_deliverable"),
        ]


class PeopleImport(models.Model):
    """An uploaded people spreadsheet between its preview and its import: the rows as read from the
    file (kept here, not in the browser, and planned again when applied) and what the preview
    showed, so that applying does exactly what the admin saw or says what changed since."""

    class State(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Imported")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200)
    rows = models.JSONField(default=list)
    columns = models.JSONField(default=list)
    ignored_columns = models.JSONField(default=list)
    preview = models.JSONField(default=dict)
    digest = models.CharField(max_length=64)
    send_invitations = models.BooleanField(default=True)
    deactivate_missing = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEWED)
    applied_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict)

    objects = OrganizationScopedManager()

    class Meta:
        indexes = [models.Index(fields=["organization", "created_at"], name="people_import_org_created")]

    def __str__(self):
        return self.file_name
