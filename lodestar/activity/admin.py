from django.contrib import admin

from lodestar.activity.models import Activity
from lodestar.core.admin import ReadOnlyAdmin


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["kind", "actor", "organization", "created_at"]
    list_filter = ["organization", "kind"]
    list_select_related = ["actor__user", "organization"]
