"""Telling people: in-app notifications, e-mail (with an outbox that makes every message go out
once), and posts to Slack or Microsoft Teams channels."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lodestar.core.scoping import OrganizationScopedManager
from lodestar.orgs.models import Group, Membership, Organization
from lodestar.worker.models import DeliveryTarget, OutboxItem


class Notification(models.Model):
    class Kind(models.TextChoices):
        MENTIONED = "mentioned", _("You were mentioned")
        COMMENTED = "commented", _("A comment on your goal")
        OFF_TRACK = "off_track", _("Your key result turned off track")
        ASSIGNED = "assigned", _("You were given a goal")
        NUDGED = "nudged", _("Your next step in the OKR rollout")
        CLOSE_DUE = "close_due", _("Time to close your objective")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    objective = models.ForeignKey("okrs.Objective", null=True, on_delete=models.CASCADE, related_name="+")
    key_result = models.ForeignKey("okrs.KeyResult", null=True, on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey("kpis.KPI", null=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey("conversations.Comment", null=True, on_delete=models.CASCADE, related_name="+")
    # What the notification says, as it was when it happened (a title may change later).
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["organization", "recipient", "-id"], name="notification_inbox"),
            models.Index(
                fields=["organization", "recipient"], name="notification_unread", condition=Q(read_at__isnull=True)
            ),
        ]


class EmailMode(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Once a day, as a digest")
    OFF = "off", _("Off")


class Preferences(models.Model):
    """What a person wants by e-mail in one organization. People without a row get the defaults."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    notification_emails = models.CharField(
        _("notifications by e-mail"), max_length=12, choices=EmailMode.choices, default=EmailMode.IMMEDIATELY
    )
    check_in_reminders = models.BooleanField(
        _("weekly check-in reminder"),
        default=True,
        help_text=_("On the organization's check-in day, when a key result of yours has not been updated for a week."),
    )
    lead_digest = models.BooleanField(
        _("weekly digest of my groups"),
        default=True,
        help_text=_("For group leads: progress, new risks and missing check-ins of the week."),
    )

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "membership"], name="preferences_once_per_person")
        ]


class Email(OutboxItem):
    """One e-mail to one person; ``key`` names its period or event, and (recipient, kind, key) is
    unique: that row is what makes a reminder go out once per person and week."""

    class Kind(models.TextChoices):
        NOTIFICATION = "notification", _("Notifications")
        DAILY_DIGEST = "daily_digest", _("Daily digest of notifications")
        CHECK_IN_REMINDER = "check_in_reminder", _("Weekly check-in reminder")
        LEAD_DIGEST = "lead_digest", _("Weekly digest of my groups")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=40)
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "recipient", "kind", "key"], name="email_once_per_period"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="email_deliverable")]


class ChatChannel(DeliveryTarget):
    """A Slack or Microsoft Teams incoming webhook of the organization or of one group."""

    class Service(models.TextChoices):
        SLACK = "slack", "Slack"
        TEAMS = "teams", "Microsoft Teams"

    class Event(models.TextChoices):
        CHECK_IN = "check_in", _("Check-ins")
        STATUS_CHANGED = "status_changed", _("A key result changes status")
        OBJECTIVE_CREATED = "objective_created", _("New objectives")
        OBJECTIVE_CLOSED = "objective_closed", _("Closed objectives, with their score")
        COMMENT = "comment", _("Comments")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        Group,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chat_channels",
        help_text=_("Empty: the whole organization's events."),
    )
    service = models.CharField(_("service"), max_length=8, choices=Service.choices)
    url = models.URLField(_("incoming webhook URL"), max_length=500)

    objects = OrganizationScopedManager()

    class Meta(DeliveryTarget.Meta):
        pass


class ChatPost(OutboxItem):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(ChatChannel, on_delete=models.CASCADE, related_name="posts")
    activity = models.ForeignKey("activity.Activity", null=True, on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "channel", "activity"],
                name="chat_post_once_per_event",
                condition=Q(activity__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="chat_post_deliverable"),
            models.Index(fields=["organization", "channel", "-id"], name="chat_post_org_channel"),
        ]
