from django.contrib import admin

from lodestar.activity.models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["kind", "actor", "organization", "created_at"]
    list_filter = ["organization", "kind"]
    raw_id_fields = ["actor", "objective", "key_result", "check_in", "kpi", "comment"]
