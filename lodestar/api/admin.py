from django.contrib import admin

from lodestar.api.models import ApiToken, CallCount
from lodestar.core.admin import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "membership", "organization", "scope", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["organization", "scope"]
    search_fields = ["name", "prefix"]  # the prefix: what follows "lsk_" in a token
    exclude = ["secret_hash"]


@admin.register(CallCount)
class CallCountAdmin(ReadOnlyAdmin):
    list_display = ["caller", "organization", "window_start", "calls"]
    list_filter = ["organization"]
    search_fields = ["caller"]
