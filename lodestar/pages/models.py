"""What the getting-started checklist cannot read from an organization's data: that an admin has
saved its settings, and which admins hid the checklist from their home page."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lodestar.core.scoping import OrganizationScopedManager
from lodestar.orgs.models import Membership, Organization


class SettingsSaved(models.Model):
    """The organization's settings were saved at least once (recorded on OrganizationSettingsSaved)."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField()

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("settings saved")
        verbose_name_plural = _("settings saved")


class ChecklistHidden(models.Model):
    """An admin hid the getting-started checklist from their own home page."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    hidden_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("hidden getting-started checklist")
        verbose_name_plural = _("hidden getting-started checklists")
        constraints = [
            models.UniqueConstraint(fields=["organization", "membership"], name="checklist_hidden_once_per_person")
        ]
