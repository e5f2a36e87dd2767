"""KPIs: ongoing health metrics with a goal rule and a value history."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lodestar.core.scoping import OrganizationScopedManager
from lodestar.orgs.models import Group, Membership, Organization


class KPI(models.Model):
    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    class Rule(models.TextChoices):
        NONE = "none", _("No goal")
        AT_LEAST = "at_least", _("At least")
        AT_MOST = "at_most", _("At most")
        BETWEEN = "between", _("Between")

    class Aggregation(models.TextChoices):
        LATEST = "latest", _("Latest value")
        SUM = "sum", _("Sum per period")
        AVERAGE = "average", _("Average per period")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(Membership, verbose_name=_("owner"), on_delete=models.RESTRICT, related_name="owned_kpis")
    groups = models.ManyToManyField(Group, through="KPIGroup", related_name="kpis", verbose_name=_("groups"))
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    cadence = models.CharField(_("cadence"), max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)
    rule = models.CharField(_("goal"), max_length=10, choices=Rule.choices, default=Rule.NONE)
    rule_min = models.DecimalField(_("lower bound"), max_digits=20, decimal_places=4, null=True, blank=True)
    rule_max = models.DecimalField(_("upper bound"), max_digits=20, decimal_places=4, null=True, blank=True)
    aggregation = models.CharField(
        _("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.LATEST
    )
    objectives = models.ManyToManyField(
        "okrs.Objective", through="KPIObjective", related_name="kpis", verbose_name=_("objectives that move it")
    )
    # Cached from the values by kpis.services.refresh_kpi.
    current_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    is_healthy = models.BooleanField(default=True)
    last_recorded_on = models.DateField(_("last updated"), null=True, blank=True)
    health_since = models.DateField(_("healthy or not since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="kpi_rule_bounds_match_rule",
                condition=Q(rule="none")
                | Q(rule="at_least", rule_min__isnull=False)
                | Q(rule="at_most", rule_max__isnull=False)
                | Q(rule="between", rule_min__isnull=False, rule_max__isnull=False, rule_min__lte=F("rule_max")),
            )
        ]
        indexes = [models.Index(fields=["organization", "owner"], name="kpi_org_owner")]

    def __str__(self):
        return self.name

    @property
    def has_goal(self) -> bool:
        return self.rule != self.Rule.NONE


class KPIGroup(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="kpi_groups")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="kpi_groups")

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "kpi", "group"], name="kpi_group_unique")]
        indexes = [models.Index(fields=["organization", "group"], name="kpi_group_org_group")]


class KPIObjective(models.Model):
    """An objective that aims to move a KPI."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="objective_links")
    objective = models.ForeignKey("okrs.Objective", on_delete=models.CASCADE, related_name="kpi_links")

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "kpi", "objective"], name="kpi_objective_unique")
        ]
        indexes = [models.Index(fields=["organization", "objective"], name="kpi_objective_org_objective")]


class KPIValue(models.Model):
    # No index of its own: the composite index below starts with the organization.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="kpi_values", db_index=False)
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    recorded_on = models.DateField(_("date"))
    comment = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Set when an automatic feed recorded it: where the value came from.
    source = models.CharField(_("source"), max_length=300, blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        ordering = ["-recorded_on", "-created_at"]
        indexes = [models.Index(fields=["organization", "kpi", "-recorded_on"], name="kpi_value_org_kpi_date")]

    def __str__(self):
        return f"{self.kpi_id} = {self.value} @ {self.recorded_on}"
