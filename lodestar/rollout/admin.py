from django.contrib import admin

from lodestar.core.admin import ReadOnlyAdmin
from lodestar.rollout.models import (
    AdoptionPeople,
    AdoptionSnapshot,
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
class RolloutAdmin(ReadOnlyAdmin):
    list_display = ["organization", "starts_on", "created_at"]


@admin.register(RolloutStep)
class RolloutStepAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "kind", "due_on", "done_on"]
    list_filter = ["organization", "kind"]
    search_fields = ["title"]


@admin.register(RolloutGroup)
class RolloutGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "target_stage", "target_on"]
    list_filter = ["organization"]
    search_fields = ["name"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = ["topic", "rollout_group", "held_on"]
    list_filter = ["organization"]


@admin.register(Nudge)
class NudgeAdmin(ReadOnlyAdmin):
    list_display = ["membership", "rollout_group", "target_stage", "next_stage", "created_at"]
    list_filter = ["organization"]


@admin.register(ChallengeRound)
class ChallengeRoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "state", "deadline", "opened_at", "closed_at"]
    list_filter = ["organization", "state"]
    search_fields = ["title"]


@admin.register(FeedbackPoint)
class FeedbackPointAdmin(ReadOnlyAdmin):
    list_display = ["criterion", "verdict", "round", "objective", "created_at", "resolved_at"]
    list_filter = ["organization", "criterion", "verdict"]


@admin.register(OnboardingSlide)
class OnboardingSlideAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "position"]
    list_filter = ["organization"]


@admin.register(RolloutGroupMember)
class RolloutGroupMemberAdmin(ReadOnlyAdmin):
    list_display = ["membership", "rollout_group", "added_at"]
    list_filter = ["organization"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["membership", "session"]
    list_filter = ["organization"]


@admin.register(RoundObjective)
class RoundObjectiveAdmin(ReadOnlyAdmin):
    list_display = ["objective", "round", "published"]
    list_filter = ["organization"]


@admin.register(Reviewer)
class ReviewerAdmin(ReadOnlyAdmin):
    list_display = ["membership", "round", "submitted_at"]
    list_filter = ["organization"]


@admin.register(FeedbackReply)
class FeedbackReplyAdmin(ReadOnlyAdmin):
    list_display = ["point", "author", "created_at"]
    list_filter = ["organization"]


@admin.register(AdoptionSnapshot)
class AdoptionSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["organization", "timeframe", "sight", "computed_at", "due_at", "viewed_at"]
    list_filter = ["organization"]


@admin.register(AdoptionPeople)
class AdoptionPeopleAdmin(ReadOnlyAdmin):
    list_display = ["snapshot", "segment", "measure"]
    list_filter = ["organization"]
