from django.contrib import admin

from lodestar.core.admin import ReadOnlyAdmin
from lodestar.pages.models import ChecklistHidden, SettingsSaved


@admin.register(SettingsSaved)
class SettingsSavedAdmin(ReadOnlyAdmin):
    list_display = ["organization", "saved_at"]


@admin.register(ChecklistHidden)
class ChecklistHiddenAdmin(ReadOnlyAdmin):
    list_display = ["membership", "organization", "hidden_at"]
    list_filter = ["organization"]
