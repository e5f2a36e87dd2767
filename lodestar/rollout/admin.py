from django.contrib import admin

from lodestar.rollout.models import (
    Attendance,
    ChallengeRound,
    FeedbackPoint,
    FeedbackReply,
    Nudge,
    OnboardingSlide,
    Reviewer,
    Rollout,
    RolloutGroup,
    RolloutGroupMember,
    RolloutStep,
    RoundObjective,
    TrainingSession,
)


@admin.register(Rollout)
class RolloutAdmin(admin.ModelAdmin):
    list_display = ["organization", "starts_on", "created_at"]
    raw_id_fields = ["started_by"]


@admin.register(RolloutStep)
class RolloutStepAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "kind", "due_on", "done_on"]
    list_filter = ["organization", "kind"]
    raw_id_fields = ["rollout", "owner"]


@admin.register(RolloutGroup)
class RolloutGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "target_stage", "target_on"]
    list_filter = ["organization"]
    raw_id_fields = ["coach"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["topic", "rollout_group", "held_on"]
    raw_id_fields = ["rollout_group"]


@admin.register(Nudge)
class NudgeAdmin(admin.ModelAdmin):
    list_display = ["membership", "rollout_group", "target_stage", "next_stage", "created_at"]
    raw_id_fields = ["rollout_group", "membership"]


@admin.register(ChallengeRound)
class ChallengeRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "state", "deadline", "opened_at", "closed_at"]
    list_filter = ["organization", "state"]
    raw_id_fields = ["opened_by", "closed_by"]


@admin.register(FeedbackPoint)
class FeedbackPointAdmin(admin.ModelAdmin):
    list_display = ["criterion", "verdict", "round", "objective", "created_at", "resolved_at"]
    list_filter = ["organization", "criterion", "verdict"]
    raw_id_fields = ["round", "reviewer", "objective", "key_result", "resolved_by"]


@admin.register(OnboardingSlide)
class OnboardingSlideAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "position"]
    list_filter = ["organization"]


@admin.register(RolloutGroupMember)
class RolloutGroupMemberAdmin(admin.ModelAdmin):
    list_display = ["membership", "rollout_group", "added_at"]
    raw_id_fields = ["rollout_group", "membership"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["membership", "session"]
    raw_id_fields = ["session", "membership"]


@admin.register(RoundObjective)
class RoundObjectiveAdmin(admin.ModelAdmin):
    list_display = ["objective", "round", "published"]
    raw_id_fields = ["round", "objective"]


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["membership", "round", "submitted_at"]
    raw_id_fields = ["round", "membership"]


@admin.register(FeedbackReply)
class FeedbackReplyAdmin(admin.ModelAdmin):
    list_display = ["point", "author", "created_at"]
    raw_id_fields = ["point", "author"]
