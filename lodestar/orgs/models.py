"""Organizations (tenants), the people in them, and their groups."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lodestar.accounts.models import validate_time_zone
from lodestar.core.clock import today_in
from lodestar.core.scoping import OrganizationScopedManager


class Weekday(models.IntegerChoices):
    """ISO weekday numbers, as ``date.isoweekday()`` gives them."""

    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class SecondFactorPolicy(models.TextChoices):
    """Who in an organization must sign in with a second factor (an authenticator app or a passkey)."""

    NOBODY = "nobody", _("Nobody")
    ADMINS = "admins", _("Admins and owners")
    EVERYONE = "everyone", _("Everyone")


def second_factor_required(policy: str, role: str) -> bool:
    """Whether a person of ``role`` must have a second factor under the organization's ``policy``."""
    if policy == SecondFactorPolicy.EVERYONE:
        return True
    return policy == SecondFactorPolicy.ADMINS and role in (Role.OWNER, Role.ADMIN)


class Organization(models.Model):
    """One tenant. Everything else belongs to exactly one organization."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Berlin", validators=[validate_time_zone]
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    use_browser_language = models.BooleanField(
        _("new people start in their browser's language"),
        default=False,
        help_text=_(
            "When someone who has not chosen a language of their own signs in, Lodestar takes their browser's "
            "language if it speaks it. Otherwise they see the organization's language until they choose one."
        ),
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in month"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    automatic_status = models.BooleanField(
        _("automatic status"),
        default=False,
        help_text=_("A check-in without a status gets one from its progress against the expected progress."),
    )
    on_track_factor = models.DecimalField(
        _("on-track factor"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        help_text=_("On track when progress is at least this share of the expected progress."),
    )
    needs_attention_factor = models.DecimalField(
        _("needs-attention factor"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        help_text=_("Needs attention when progress is at least this share of the expected progress."),
    )
    check_in_weekday = models.PositiveSmallIntegerField(
        _("check-in day"),
        choices=Weekday.choices,
        default=Weekday.MONDAY,
        help_text=_("Owners of key results not updated for a week are reminded on this day at 09:00 their time."),
    )
    reflection_questions = models.JSONField(
        _("reflection questions"),
        default=list,
        blank=True,
        help_text=_("Asked when an objective is closed. Empty: what went well, what did we learn, what do we do next."),
    )
    second_factor_required_for = models.CharField(
        _("require a second factor"),
        max_length=10,
        choices=SecondFactorPolicy.choices,
        default=SecondFactorPolicy.NOBODY,
        help_text=_(
            "People it applies to who have no authenticator app or passkey yet are asked to set one up before "
            "they can continue in this organization."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                name="org_status_factors_ordered",
                condition=Q(needs_attention_factor__gt=0)
                & Q(needs_attention_factor__lte=models.F("on_track_factor"))
                & Q(on_track_factor__lte=1),
            ),
            models.CheckConstraint(
                name="org_fiscal_month_valid",
                condition=Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
            ),
        ]

    def __str__(self):
        return self.name

    def today(self) -> datetime.date:
        """Today's date where the organization is (its time zone)."""
        return today_in(self.time_zone)


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    MEMBER = "member", _("Member")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A person in an organization, with a role. Deactivated people keep their history."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    manager = models.ForeignKey(
        "self", verbose_name=_("manager"), null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_okr_ambassador = models.BooleanField(_("OKR ambassador"), default=False)
    # The onboarding deck greets a person on their home page until they open or dismiss it.
    welcomed_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_user_per_org"),
            models.CheckConstraint(name="membership_not_own_manager", condition=~Q(manager=models.F("pk"))),
        ]
        indexes = [models.Index(fields=["organization", "is_active"], name="membership_org_active")]

    def __str__(self):
        return str(self.user)

    @property
    def full_name(self) -> str:
        return self.user.full_name

    @property
    def initials(self) -> str:
        return self.user.initials

    @property
    def is_admin(self) -> bool:
        """Owners and admins may manage people, groups, timeframes and any goal."""
        return self.is_active and self.role in (Role.OWNER, Role.ADMIN)

    @property
    def time_zone(self) -> str:
        """The person's own time zone, else the organization's."""
        return self.user.time_zone or self.organization.time_zone

    @property
    def language(self) -> str:
        return self.user.language or self.organization.language

    @property
    def runs_rollout(self) -> bool:
        """Admins and OKR ambassadors run the rollout: plan, rollout groups, challenge rounds, deck."""
        return self.is_active and (self.is_admin or (self.is_okr_ambassador and self.role != Role.VIEWER))

    @property
    def can_write(self) -> bool:
        """Viewers (and deactivated people) are read-only."""
        return self.is_active and self.role != Role.VIEWER


class Group(models.Model):
    """A team or department; groups nest through ``parent``."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="children",
    )
    members = models.ManyToManyField(Membership, through="GroupMembership", related_name="member_of_groups")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="group_unique_slug_per_org"),
            models.CheckConstraint(name="group_not_own_parent", condition=~Q(parent=models.F("pk"))),
        ]
        indexes = [models.Index(fields=["organization", "parent"], name="group_org_parent")]

    def __str__(self):
        return self.name


class GroupMembership(models.Model):
    """A person's place in a group; leads manage the group's goals."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="group_memberships")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="group_memberships")
    is_lead = models.BooleanField(_("lead"), default=False)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.UniqueConstraint(fields=["organization", "group", "membership"], name="group_membership_unique")
        ]
        indexes = [models.Index(fields=["organization", "membership"], name="group_membership_org_person")]
