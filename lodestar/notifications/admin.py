from django.contrib import admin

from lodestar.core.admin import ReadOnlyAdmin
from lodestar.notifications.models import ChatChannel, ChatPost, Email, Notification, Preferences


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["kind", "recipient", "organization", "created_at", "read_at"]
    list_filter = ["organization", "kind"]


@admin.register(Email)
class EmailAdmin(ReadOnlyAdmin):
    list_display = ["kind", "key", "recipient", "state", "attempts", "sent_at"]
    list_filter = ["organization", "kind", "state"]
    search_fields = ["recipient__user__email", "key"]


@admin.register(ChatPost)
class ChatPostAdmin(ReadOnlyAdmin):
    list_display = ["channel", "state", "attempts", "response_status", "created_at"]
    list_filter = ["organization", "state"]


@admin.register(ChatChannel)
class ChatChannelAdmin(ReadOnlyAdmin):
    list_display = ["name", "service", "organization", "is_active"]
    list_filter = ["organization", "service"]
    search_fields = ["name"]
    exclude = ["url"]  # an incoming-webhook URL is itself the credential to post into the chat


@admin.register(Preferences)
class PreferencesAdmin(ReadOnlyAdmin):
    list_display = ["membership", "notification_emails", "check_in_reminders", "lead_digest"]
    list_filter = ["organization"]
