"""Comments on goals and KPIs, with reactions and @mentions.

A comment is about exactly one thing: an objective, a key result, a check-in or a KPI. For the
first three it also records the objective they belong to, so that a private objective's
comments are filtered with the objective (one rule, see ``okrs.selectors.visible_objectives``).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lodestar.core.scoping import OrganizationScopedManager
from lodestar.orgs.models import Membership, Organization

BODY_MAX = 5000


class Comment(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="comments")
    objective = models.ForeignKey("okrs.Objective", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    key_result = models.ForeignKey("okrs.KeyResult", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    check_in = models.ForeignKey("okrs.CheckIn", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey("kpis.KPI", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("comment"), max_length=BODY_MAX)
    # The sanitized HTML of ``body``, rendered once when it is written (see markdown.py).
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="comment_about_a_goal_or_a_kpi",
                condition=(Q(objective__isnull=False) & Q(kpi__isnull=True))
                | (Q(objective__isnull=True) & Q(kpi__isnull=False) & Q(key_result__isnull=True)),
            ),
            models.CheckConstraint(
                name="comment_check_in_has_key_result",
                condition=Q(check_in__isnull=True) | Q(key_result__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "objective", "key_result"], name="comment_org_objective"),
            models.Index(fields=["organization", "key_result", "check_in"], name="comment_org_key_result"),
            models.Index(fields=["organization", "check_in"], name="comment_org_check_in"),
            models.Index(fields=["organization", "kpi"], name="comment_org_kpi"),
        ]

    def __str__(self):
        return self.body[:60]

    @property
    def target_kind(self) -> str:
        if self.kpi_id:
            return "kpi"
        if self.check_in_id:
            return "check_in"
        if self.key_result_id:
            return "key_result"
        return "objective"


class Reaction(models.Model):
    class Emoji(models.TextChoices):
        THUMBS_UP = "thumbs_up", "👍"
        TADA = "tada", "🎉"
        HEART = "heart", "❤️"
        RAISED_HANDS = "raised_hands", "🙌"
        EYES = "eyes", "👀"
        THINKING = "thinking", "🤔"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    person = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="reactions")
    emoji = models.CharField(max_length=16, choices=Emoji.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "comment", "person", "emoji"], name="reaction_once_per_person"
            ),
        ]
        indexes = [models.Index(fields=["organization", "comment"], name="reaction_org_comment")]


class Mention(models.Model):
    """A person named in a comment with ``@[Name]``; they are notified once."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="mentions")

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "comment", "person"], name="mention_once_per_comment")
        ]
