"""How an organization adopts OKRs: the rollout plan, rollout groups with their trainings, the
nudges sent to people who fall behind, challenge rounds on draft objectives, and the
onboarding deck.

A person's journey through the rollout is not stored: ``journey.py`` derives it from their
objectives, alignments and check-ins (attendance at a training is the one thing ticked by hand).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lodestar.core.scoping import OrganizationScopedManager
from lodestar.orgs.models import Membership, Organization


class Stage(models.TextChoices):
    """The steps of a person's journey, in order."""

    INVITED = "invited", _("Invited")
    TRAINED = "trained", _("Trained")
    DRAFTED = "drafted", _("Drafted a first objective")
    ALIGNED = "aligned", _("First objective aligned")
    CHECKED_IN = "checked_in", _("First check-in")
    STEADY = "steady", _("Checking in on time for 4 weeks")


class Rollout(models.Model):
    """An organization's rollout; its plan is the steps below."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="rollout")
    starts_on = models.DateField(_("start date"))
    started_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()


class RolloutStep(models.Model):
    """A phase (a stretch of work) or a milestone (a date something must be true by) of the plan."""

    class Kind(models.TextChoices):
        PHASE = "phase", _("Phase")
        MILESTONE = "milestone", _("Milestone")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    rollout = models.ForeignKey(Rollout, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PHASE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("target date"))
    owner = models.ForeignKey(
        Membership, verbose_name=_("owner"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["organization", "due_on"], name="rollout_step_org_due")]

    def __str__(self):
        return self.title


class RolloutGroup(models.Model):
    """A cohort of people trained together, with a coach and a stage each should reach by a date."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    coach = models.ForeignKey(
        Membership, verbose_name=_("coach"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_stage = models.CharField(_("goal"), max_length=12, choices=Stage.choices, default=Stage.ALIGNED)
    target_on = models.DateField(_("by"), null=True, blank=True)
    members = models.ManyToManyField(Membership, through="RolloutGroupMember", related_name="rollout_groups")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="rollout_group_unique_name")]

    def __str__(self):
        return self.name


class RolloutGroupMember(models.Model):
    """A person in a rollout group; ``added_at`` is when they were invited."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    rollout_group = models.ForeignKey(RolloutGroup, on_delete=models.CASCADE, related_name="group_members")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "rollout_group", "membership"], name="rollout_group_member_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "membership"], name="rollout_member_org_person")]


class TrainingSession(models.Model):
    """A training of a rollout group: when, about what, and who came."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    rollout_group = models.ForeignKey(RolloutGroup, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    attendees = models.ManyToManyField(Membership, through="Attendance", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self):
        return self.topic


class Attendance(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "session", "membership"], name="attendance_unique")
        ]


class Nudge(models.Model):
    """A reminder to a rollout group member who had not reached the group's goal by its date.
    Unique per person, group and goal: the worker may plan it twice, it is sent once."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    rollout_group = models.ForeignKey(RolloutGroup, on_delete=models.CASCADE, related_name="nudges")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    target_stage = models.CharField(max_length=12, choices=Stage.choices)
    next_stage = models.CharField(max_length=12, choices=Stage.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "rollout_group", "membership", "target_stage"], name="nudge_once_per_goal"
            )
        ]


class Criterion(models.TextChoices):
    """What reviewers judge in a challenge round. ``for_objective``/``for_key_result`` say where each applies."""

    OUTCOME = "outcome", _("An outcome, not an output")
    MEASURABLE = "measurable", _("Measurable, or with a plan to measure")
    OWNER = "owner", _("A clear owner")
    KR_COUNT = "kr_count", _("Two to five key results")
    AMBITIOUS = "ambitious", _("Ambitious but possible")
    ALIGNED = "aligned", _("Aligned to the strategy")
    QUESTION = "question", _("Question")


OBJECTIVE_CRITERIA = (Criterion.OUTCOME, Criterion.OWNER, Criterion.KR_COUNT, Criterion.AMBITIOUS, Criterion.ALIGNED)
KEY_RESULT_CRITERIA = (Criterion.OUTCOME, Criterion.MEASURABLE, Criterion.OWNER, Criterion.AMBITIOUS)


class ChallengeRound(models.Model):
    """Draft objectives put before reviewers until a deadline; it closes with a decision log and
    the objectives published together."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    deadline = models.DateField(_("deadline"))
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    objectives = models.ManyToManyField("okrs.Objective", through="RoundObjective", related_name="+")

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class RoundObjective(models.Model):
    """An objective in a round, with what it said when the round opened and what was decided."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(ChallengeRound, on_delete=models.CASCADE, related_name="round_objectives")
    objective = models.ForeignKey("okrs.Objective", on_delete=models.CASCADE, related_name="challenge_entries")
    snapshot = models.JSONField(default=dict)
    decision = models.TextField(_("decision"), blank=True)
    published = models.BooleanField(default=False)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "round", "objective"], name="round_objective_unique")
        ]


class Reviewer(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(ChallengeRound, on_delete=models.CASCADE, related_name="reviewers")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["organization", "round", "membership"], name="reviewer_unique")]


class FeedbackPoint(models.Model):
    """One reviewer's verdict on one criterion of an objective or key result (with a comment), or
    a free question. A reviewer's points are theirs alone until they submit their review."""

    class Verdict(models.TextChoices):
        AGREE = "agree", _("Agree")
        DISAGREE = "disagree", _("Disagree")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(ChallengeRound, on_delete=models.CASCADE, related_name="points")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="points")
    objective = models.ForeignKey("okrs.Objective", on_delete=models.CASCADE, related_name="+")
    key_result = models.ForeignKey("okrs.KeyResult", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    criterion = models.CharField(max_length=12, choices=Criterion.choices)
    verdict = models.CharField(max_length=8, choices=Verdict.choices, blank=True)
    text = models.TextField(_("comment"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reviewer", "objective", "criterion"],
                condition=Q(key_result__isnull=True) & ~Q(criterion="question"),
                name="feedback_once_per_objective_criterion",
            ),
            models.UniqueConstraint(
                fields=["organization", "reviewer", "key_result", "criterion"],
                condition=Q(key_result__isnull=False) & ~Q(criterion="question"),
                name="feedback_once_per_key_result_criterion",
            ),
        ]
        indexes = [models.Index(fields=["organization", "round"], name="feedback_org_round")]


class FeedbackReply(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey(FeedbackPoint, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("reply"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["id"]


class OnboardingSlide(models.Model):
    """A slide of the organization's own onboarding deck. Without any, the built-in deck
    (``deck.py``) is shown in the reader's language."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["position", "id"]


class AdoptionSnapshot(models.Model):
    """The adoption dashboard's figures for one timeframe as one kind of viewer sees them, worked out
    by the worker (rollout.snapshots) so that no page goes over every person of a large organization.

    ``sight`` names what the figures were counted from: ``all`` (admins see every objective), or a
    digest of the private objectives a non-admin ambassador may see, kept in ``private_ids``; a
    viewer only ever reads the snapshot of exactly what they may see. ``figures`` holds the counts
    per segment; the people behind them are AdoptionPeople rows. ``due_at``: when the worker should
    count again (None: nobody looked for a day, refreshed when someone does)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    timeframe = models.ForeignKey("okrs.Timeframe", null=True, on_delete=models.CASCADE, related_name="+")
    sight = models.CharField(max_length=80)
    private_ids = models.JSONField(null=True)
    figures = models.JSONField(default=dict)
    computed_at = models.DateTimeField(null=True)
    due_at = models.DateTimeField(null=True)
    viewed_at = models.DateTimeField()

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "timeframe", "sight"], name="adoption_snapshot_unique"),
            # Without a timeframe the unique key above holds a NULL, which it does not compare.
            models.UniqueConstraint(
                fields=["organization", "sight"],
                condition=Q(timeframe__isnull=True),
                name="adoption_snapshot_unique_untimed",
            ),
        ]
        indexes = [models.Index(fields=["due_at"], name="adoption_snapshot_due")]


class AdoptionPeople(models.Model):
    """The people behind one number of a snapshot: membership ids in the order the list shows them."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    snapshot = models.ForeignKey(AdoptionSnapshot, on_delete=models.CASCADE, related_name="+")
    segment = models.CharField(max_length=40)
    measure = models.CharField(max_length=40)
    people = models.JSONField(default=list)

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "snapshot", "segment", "measure"], name="adoption_people_unique"
            )
        ]
