from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
class TimeframeAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "kind", "starts_on", "ends_on", "state", "is_current"]
    list_filter = ["organization", "kind", "state"]


class ObjectiveGroupInline(admin.TabularInline):
    model = ObjectiveGroup
    raw_id_fields = ["group"]
    extra = 0


class ObjectiveContributorInline(admin.TabularInline):
    model = ObjectiveContributor
    raw_id_fields = ["membership"]
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "timeframe", "level", "state", "progress", "status"]
    list_filter = ["organization", "level", "state", "visibility"]
    search_fields = ["title"]
    raw_id_fields = ["timeframe", "lead", "parent", "pillar", "created_by"]
    readonly_fields = ["progress", "status"]
    inlines = [ObjectiveGroupInline, ObjectiveContributorInline]
    list_select_related = ["organization", "timeframe"]


class KeyResultContributorInline(admin.TabularInline):
    model = KeyResultContributor
    raw_id_fields = ["membership"]
    extra = 0


@admin.register(KeyResult)
class KeyResultAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "kind", "progress", "status"]
    list_filter = ["organization", "kind", "status"]
    search_fields = ["title"]
    raw_id_fields = ["objective", "owner", "carried_over_from"]
    readonly_fields = ["progress", "status", "current_value", "last_check_in_on"]
    inlines = [KeyResultContributorInline]
    list_select_related = ["organization"]


@admin.register(CheckIn)
class CheckInAdmin(SimpleHistoryAdmin):
    list_display = ["key_result", "effective_on", "status", "value", "percent", "done", "author"]
    list_filter = ["organization", "status"]
    raw_id_fields = ["key_result", "author"]
    list_select_related = ["key_result", "author__user"]


class InitiativeKeyResultInline(admin.TabularInline):
    model = InitiativeKeyResult
    raw_id_fields = ["key_result"]
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "state", "due_on"]
    list_filter = ["organization", "state"]
    raw_id_fields = ["owner"]
    inlines = [InitiativeKeyResultInline]


admin.site.register([ObjectiveGroup, ObjectiveContributor, KeyResultContributor, InitiativeKeyResult])


@admin.register(ProgressSnapshot)
class ProgressSnapshotAdmin(admin.ModelAdmin):
    list_display = ["objective", "organization", "on", "progress", "status"]
    list_filter = ["organization"]
    raw_id_fields = ["objective"]


@admin.register(CoachDismissal)
class CoachDismissalAdmin(admin.ModelAdmin):
    list_display = ["rule", "objective", "organization", "dismissed_by", "created_at"]
    list_filter = ["organization", "rule"]
    raw_id_fields = ["objective", "key_result", "dismissed_by"]
