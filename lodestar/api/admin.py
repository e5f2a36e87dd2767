from django.contrib import admin

from lodestar.api.models import ApiToken, CallCount


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "membership", "organization", "scope", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["organization", "scope"]
    raw_id_fields = ["membership"]
    readonly_fields = ["prefix", "secret_hash"]


@admin.register(CallCount)
class CallCountAdmin(admin.ModelAdmin):
    list_display = ["caller", "organization", "window_start", "calls"]
    list_filter = ["organization"]
