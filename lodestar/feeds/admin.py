from django.contrib import admin

from lodestar.core.admin import ReadOnlyAdmin
from lodestar.feeds.models import Feed


@admin.register(Feed)
class FeedAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "kind", "key_result", "kpi", "last_success_at", "last_error_at"]
    list_filter = ["organization", "kind"]
    search_fields = ["name", "prefix", "url"]  # the prefix: what follows "lsf_" in a secret URL
    exclude = ["secret_hash"]
