from django.contrib import admin

from lodestar.core.admin import ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyTabularInline
from lodestar.okrs.models import (
    CheckIn,
    CoachDismissal,
    Initiative,
    InitiativeKeyResult,
    KeyResult,
    KeyResultContributor,
    Objective,
    ObjectiveContributor,
    ObjectiveGroup,
    ProgressSnapshot,
    Timeframe,
)


@admin.register(Timeframe)
class TimeframeAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "kind", "starts_on", "ends_on", "state", "is_current"]
    list_filter = ["organization", "kind", "state"]
    search_fields = ["name"]


class ObjectiveGroupInline(ReadOnlyTabularInline):
    model = ObjectiveGroup


class ObjectiveContributorInline(ReadOnlyTabularInline):
    model = ObjectiveContributor


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "organization", "timeframe", "level", "state", "progress", "status"]
    list_filter = ["organization", "level", "state", "visibility"]
    search_fields = ["title"]
    inlines = [ObjectiveGroupInline, ObjectiveContributorInline]
    list_select_related = ["organization", "timeframe"]


class KeyResultContributorInline(ReadOnlyTabularInline):
    model = KeyResultContributor


@admin.register(KeyResult)
class KeyResultAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "organization", "kind", "progress", "status"]
    list_filter = ["organization", "kind", "status"]
    search_fields = ["title"]
    inlines = [KeyResultContributorInline]
    list_select_related = ["organization"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyHistoryAdmin):
    list_display = ["key_result", "effective_on", "status", "value", "percent", "done", "author"]
    list_filter = ["organization", "status"]
    list_select_related = ["key_result", "author__user"]


class InitiativeKeyResultInline(ReadOnlyTabularInline):
    model = InitiativeKeyResult


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "state", "due_on"]
    list_filter = ["organization", "state"]
    search_fields = ["title"]
    inlines = [InitiativeKeyResultInline]


admin.site.register([ObjectiveGroup, ObjectiveContributor, KeyResultContributor, InitiativeKeyResult], ReadOnlyAdmin)


@admin.register(ProgressSnapshot)
class ProgressSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["objective", "organization", "on", "progress", "status"]
    list_filter = ["organization"]


@admin.register(CoachDismissal)
class CoachDismissalAdmin(ReadOnlyAdmin):
    list_display = ["rule", "objective", "organization", "dismissed_by", "created_at"]
    list_filter = ["organization", "rule"]
