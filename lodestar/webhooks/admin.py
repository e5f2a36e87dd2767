from django.contrib import admin

from lodestar.core.admin import ReadOnlyAdmin
from lodestar.webhooks.models import Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "url", "is_active", "created_at"]
    list_filter = ["organization", "is_active"]
    search_fields = ["name", "url"]
    exclude = ["secret"]  # the receiver's signing key: the organization's admins see it in Lodestar


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["event", "webhook", "organization", "state", "attempts", "response_status", "created_at"]
    list_filter = ["organization", "state", "event"]
