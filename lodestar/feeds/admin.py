from django.contrib import admin

from lodestar.feeds.models import Feed


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "kind", "key_result", "kpi", "last_success_at", "last_error_at"]
    list_filter = ["organization", "kind"]
    raw_id_fields = ["key_result", "kpi", "created_by"]
    readonly_fields = ["prefix", "secret_hash"]
