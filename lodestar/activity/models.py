"""What happened in an organization, for its feeds and its chat channels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lodestar.core.scoping import OrganizationScopedManager
from lodestar.orgs.models import Membership, Organization


class Activity(models.Model):
    """One event. ``data`` keeps what the feed shows as it was then (titles, values, statuses),
    so that a line still reads right after the goal changed. The goal links decide who may see it:
    an event about a private objective is seen by whoever may see that objective."""

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", _("Check-in")
        OBJECTIVE_CREATED = "objective_created", _("New objective")
        OBJECTIVE_CLOSED = "objective_closed", _("Closed objective")
        COMMENT = "comment", _("Comment")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="activities")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    objective = models.ForeignKey("okrs.Objective", null=True, on_delete=models.CASCADE, related_name="+")
    key_result = models.ForeignKey("okrs.KeyResult", null=True, on_delete=models.CASCADE, related_name="+")
    check_in = models.ForeignKey("okrs.CheckIn", null=True, on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey("kpis.KPI", null=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey("conversations.Comment", null=True, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["organization", "-id"], name="activity_org_newest"),
            models.Index(fields=["organization", "actor", "-id"], name="activity_org_actor_newest"),
            models.Index(fields=["organization", "objective"], name="activity_org_objective"),
            models.Index(fields=["organization", "kpi"], name="activity_org_kpi"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def status_changed(self) -> bool:
        return bool(self.data.get("status_to")) and self.data.get("status_from") != self.data.get("status_to")
