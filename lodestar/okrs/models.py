"""Timeframes, objectives, key results, check-ins and initiatives.

The models hold data and the rules the database can enforce. The domain math
lives in ``progress.py``; every write goes through ``services.py``.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lodestar.core.scoping import OrganizationScopedManager
from lodestar.orgs.models import Group, Membership, Organization


class Status(models.TextChoices):
    """Status of a key result or objective, weakest first (see progress.STATUS_ORDER)."""

    NONE = "none", _("No status")
    OFF_TRACK = "off_track", _("Off track")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    ON_TRACK = "on_track", _("On track")
    ACCOMPLISHED = "accomplished", _("Accomplished")


class CheckInStatus(models.TextChoices):
    """What an owner can say in a check-in."""

    ON_TRACK = "on_track", _("On track")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    OFF_TRACK = "off_track", _("Off track")


class Timeframe(models.Model):
    """A named period (cycle) objectives belong to; timeframes may overlap."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")
        CUSTOM = "custom", _("Custom")

    class State(models.TextChoices):
        PLANNING = "planning", _("Planning")
        ACTIVE = "active", _("Active")
        CLOSING = "closing", _("Closing")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="timeframes")
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.QUARTER)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNING)
    is_current = models.BooleanField(
        _("current"), default=False, help_text=_("Pages open on the current timeframe unless another is chosen.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()
    history = HistoricalRecords(excluded_fields=["is_current"])

    class Meta:
        verbose_name = _("timeframe")
        verbose_name_plural = _("timeframes")
        ordering = ["-starts_on", "ends_on"]
        constraints = [
            models.CheckConstraint(name="timeframe_ends_after_start", condition=Q(ends_on__gt=F("starts_on"))),
            models.UniqueConstraint(fields=["organization", "name"], name="timeframe_unique_name_per_org"),
            models.UniqueConstraint(
                fields=["organization"], condition=Q(is_current=True), name="timeframe_one_current_per_org"
            ),
        ]
        indexes = [models.Index(fields=["organization", "starts_on", "ends_on"], name="timeframe_org_dates")]

    def __str__(self):
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class Objective(models.Model):
    """A qualitative goal in one timeframe at company, group or personal level."""

    class Level(models.TextChoices):
        COMPANY = "company", _("Company")
        GROUP = "group", _("Group")
        PERSONAL = "personal", _("Personal")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone in the organization")
        PRIVATE = "private", _("Private")

    class Commitment(models.TextChoices):
        COMMITTED = "committed", _("Committed")
        ASPIRATIONAL = "aspirational", _("Aspirational")

    class ProgressDriver(models.TextChoices):
        KEY_RESULTS = "key_results", _("Its key results")
        CHILDREN = "children", _("Its aligned objectives")
        BOTH = "both", _("Key results and aligned objectives")

    class Outcome(models.TextChoices):
        ACCOMPLISHED = "accomplished", _("Accomplished")
        MISSED = "missed", _("Missed")
        POSTPONED = "postponed", _("Postponed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="objectives")
    timeframe = models.ForeignKey(
        Timeframe, verbose_name=_("timeframe"), on_delete=models.RESTRICT, related_name="objectives"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    groups = models.ManyToManyField(
        Group, through="ObjectiveGroup", related_name="objectives", verbose_name=_("owning groups")
    )
    lead = models.ForeignKey(
        Membership, verbose_name=_("lead"), on_delete=models.RESTRICT, related_name="led_objectives"
    )
    contributors = models.ManyToManyField(
        Membership,
        through="ObjectiveContributor",
        related_name="contributed_objectives",
        verbose_name=_("contributors"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("aligned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    commitment = models.CharField(
        _("commitment"), max_length=12, choices=Commitment.choices, default=Commitment.COMMITTED
    )
    pillar = models.ForeignKey(
        "strategy.Pillar",
        verbose_name=_("strategic pillar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objectives",
    )
    progress_driver = models.CharField(
        _("progress comes from"), max_length=12, choices=ProgressDriver.choices, default=ProgressDriver.KEY_RESULTS
    )
    # Cached results of progress.py, kept current by the services in the same transaction as each change.
    progress = models.FloatField(_("progress"), default=0.0)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NONE)
    score = models.DecimalField(_("score"), max_digits=3, decimal_places=2, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    reflection = models.JSONField(_("reflection"), default=dict, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    carried_over_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_over_to",
    )
    created_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationScopedManager()
    history = HistoricalRecords(excluded_fields=["progress", "status", "updated_at"])

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(name="objective_progress_0_1", condition=Q(progress__gte=0, progress__lte=1)),
            models.CheckConstraint(
                name="objective_score_0_1", condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1)
            ),
            models.CheckConstraint(name="objective_not_own_parent", condition=~Q(parent=F("pk"))),
        ]
        indexes = [
            models.Index(fields=["organization", "timeframe", "level"], name="objective_org_tf_level"),
            # The API's lists: newest change first.
            models.Index(fields=["organization", "-updated_at", "-id"], name="objective_org_updated"),
            models.Index(fields=["organization", "parent"], name="objective_org_parent"),
            models.Index(fields=["organization", "lead", "timeframe"], name="objective_org_lead_tf"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_private(self) -> bool:
        return self.visibility == self.Visibility.PRIVATE

    @property
    def counts_in_roll_up(self) -> bool:
        """Drafts are visible and open for feedback but count nowhere."""
        return self.state != self.State.DRAFT


class ProgressSnapshot(models.Model):
    """An objective's progress and status as they stood at the end of a day (organization time),
    written by the roll-up whenever they change: the progress-over-time chart reads these."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="progress_snapshots")
    on = models.DateField(_("date"))
    progress = models.FloatField(_("progress"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "objective", "on"], name="progress_snapshot_one_per_day")
        ]
        indexes = [models.Index(fields=["organization", "objective", "on"], name="progress_snapshot_org_obj_on")]


class ObjectiveGroup(models.Model):
    """An owning group of an objective; a shared objective has several."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="objective_groups")
    # A group that owns objectives cannot be deleted (orgs.services.delete_group says so).
    group = models.ForeignKey(Group, on_delete=models.RESTRICT, related_name="objective_groups")

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "objective", "group"], name="objective_group_unique")
        ]
        indexes = [models.Index(fields=["organization", "group"], name="objective_group_org_group")]


class ObjectiveContributor(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="objective_contributors")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="objective_contributions")

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "objective", "membership"], name="objective_contributor_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "membership"], name="objective_contrib_org_person")]


class KeyResult(models.Model):
    """A measurable outcome under one objective, owned by one person."""

    class Kind(models.TextChoices):
        METRIC = "metric", _("Metric")
        THRESHOLD = "threshold", _("Threshold")
        MILESTONE = "milestone", _("Milestone")
        ESTIMATE = "estimate", _("Estimate")

    class ThresholdDirection(models.TextChoices):
        STAY_ABOVE = "above", _("Stay at or above")
        STAY_BELOW = "below", _("Stay at or below")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="key_results")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.METRIC)
    start_value = models.DecimalField(_("start value"), max_digits=20, decimal_places=4, null=True, blank=True)
    target_value = models.DecimalField(_("target value"), max_digits=20, decimal_places=4, null=True, blank=True)
    current_value = models.DecimalField(_("current value"), max_digits=20, decimal_places=4, null=True, blank=True)
    threshold_direction = models.CharField(_("threshold"), max_length=6, choices=ThresholdDirection.choices, blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    owner = models.ForeignKey(
        Membership, verbose_name=_("owner"), on_delete=models.RESTRICT, related_name="owned_key_results"
    )
    contributors = models.ManyToManyField(
        Membership,
        through="KeyResultContributor",
        related_name="contributed_key_results",
        verbose_name=_("contributors"),
    )
    position = models.PositiveIntegerField(default=0)
    carried_over_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_over_to"
    )
    # Cached results of progress.py, kept current by the services.
    progress = models.FloatField(_("progress"), default=0.0)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NONE)
    last_check_in_on = models.DateField(_("last check-in"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationScopedManager()
    history = HistoricalRecords(
        excluded_fields=["progress", "status", "current_value", "last_check_in_on", "updated_at"]
    )

    class Meta:
        verbose_name = _("key result")
        verbose_name_plural = _("key results")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(name="key_result_weight_positive", condition=Q(weight__gt=0)),
            models.CheckConstraint(name="key_result_progress_0_1", condition=Q(progress__gte=0, progress__lte=1)),
            models.CheckConstraint(
                name="key_result_metric_has_distinct_start_and_target",
                condition=~Q(kind="metric")
                | (Q(start_value__isnull=False, target_value__isnull=False) & ~Q(start_value=F("target_value"))),
            ),
            models.CheckConstraint(
                name="key_result_threshold_has_value_and_direction",
                condition=~Q(kind="threshold") | (Q(target_value__isnull=False) & ~Q(threshold_direction="")),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "objective"], name="key_result_org_objective"),
            models.Index(fields=["organization", "owner"], name="key_result_org_owner"),
            models.Index(fields=["organization", "-updated_at", "-id"], name="key_result_org_updated"),
        ]

    def __str__(self):
        return self.title


class KeyResultContributor(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="key_result_contributors")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="key_result_contributions")

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key_result", "membership"], name="key_result_contributor_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "membership"], name="kr_contrib_org_person")]


class CheckIn(models.Model):
    """An update of one key result. Exactly one reading is set, matching the key result's type:
    ``value`` (metric, threshold), ``percent`` (estimate) or ``done`` (milestone)."""

    # No index of its own: the composite indexes below start with the organization.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="check_ins", db_index=False)
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="check_ins")
    author = models.ForeignKey(
        Membership, verbose_name=_("author"), null=True, on_delete=models.RESTRICT, related_name="check_ins"
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    percent = models.DecimalField(_("estimated progress (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    done = models.BooleanField(_("done"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=CheckInStatus.choices)
    status_is_automatic = models.BooleanField(default=False)
    confidence = models.PositiveSmallIntegerField(_("confidence"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # Set when an automatic feed recorded it (then there is no author): where the value came from.
    source = models.CharField(_("source"), max_length=300, blank=True, default="", db_default="")
    effective_on = models.DateField(_("effective date"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-effective_on", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="check_in_confidence_1_10",
                condition=Q(confidence__isnull=True) | Q(confidence__gte=1, confidence__lte=10),
            ),
            models.CheckConstraint(
                name="check_in_percent_0_100", condition=Q(percent__isnull=True) | Q(percent__gte=0, percent__lte=100)
            ),
            models.CheckConstraint(
                name="check_in_exactly_one_reading",
                condition=Q(value__isnull=False, percent__isnull=True, done__isnull=True)
                | Q(value__isnull=True, percent__isnull=False, done__isnull=True)
                | Q(value__isnull=True, percent__isnull=True, done__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "key_result", "-effective_on"], name="check_in_org_kr_date"),
            models.Index(fields=["organization", "author", "-created_at"], name="check_in_org_author"),
            models.Index(fields=["organization", "-created_at", "-id"], name="check_in_org_created"),
        ]

    def __str__(self):
        return f"{self.key_result_id} @ {self.effective_on}"


class Initiative(models.Model):
    """Work expected to move key results; never counts toward progress."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.NOT_STARTED)
    owner = models.ForeignKey(
        Membership,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
    )
    key_results = models.ManyToManyField(KeyResult, through="InitiativeKeyResult", related_name="initiatives")
    due_on = models.DateField(_("due date"), null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["due_on", "title"]
        constraints = [
            models.CheckConstraint(
                name="initiative_progress_0_100",
                condition=Q(progress_percent__isnull=True) | Q(progress_percent__lte=100),
            )
        ]
        indexes = [models.Index(fields=["organization", "owner"], name="initiative_org_owner")]

    def __str__(self):
        return self.title


class InitiativeKeyResult(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="initiative_key_results")
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="initiative_links")

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "initiative", "key_result"], name="initiative_key_result_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "key_result"], name="initiative_kr_org_kr")]


class CoachDismissal(models.Model):
    """A coach finding someone decided to leave as it is, with why; the coach stops raising it there.
    ``key_result`` is empty for a finding about the objective itself."""

    REASON_MAX = 500

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="coach_dismissals")
    key_result = models.ForeignKey(KeyResult, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(_("rule"), max_length=40)
    reason = models.CharField(_("reason"), max_length=REASON_MAX)
    dismissed_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("dismissed coach finding")
        verbose_name_plural = _("dismissed coach findings")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "objective", "key_result", "rule"],
                condition=Q(key_result__isnull=False),
                name="coach_dismissal_key_result_unique",
            ),
            models.UniqueConstraint(
                fields=["organization", "objective", "rule"],
                condition=Q(key_result__isnull=True),
                name="coach_dismissal_objective_unique",
            ),
        ]
        indexes = [models.Index(fields=["organization", "objective"], name="coach_dismissal_org_objective")]

    def __str__(self):
        return f"{self.rule} on objective #{self.objective_id}"
