from django.contrib import admin

from lodestar.webhooks.models import Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "url", "is_active", "created_at"]
    list_filter = ["organization", "is_active"]
    readonly_fields = ["secret"]
    raw_id_fields = ["created_by"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "webhook", "organization", "state", "attempts", "response_status", "created_at"]
    list_filter = ["organization", "state", "event"]
    raw_id_fields = ["webhook"]
