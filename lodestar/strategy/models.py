"""The organization's vision, mission and strategic pillars (themes for a year)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lodestar.core.scoping import OrganizationScopedManager
from lodestar.orgs.models import Organization


class Strategy(models.Model):
    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="strategy")
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self):
        return str(_("Strategy"))


class Pillar(models.Model):
    """A strategic theme for a year; company objectives point to pillars."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="pillars")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("strategic pillar")
        verbose_name_plural = _("strategic pillars")
        ordering = ["year", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "name"], name="pillar_unique_name_per_year"),
            models.CheckConstraint(name="pillar_year_plausible", condition=Q(year__gte=1900, year__lte=2200)),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"
