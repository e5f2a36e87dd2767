from django.contrib import admin

from lodestar.notifications.models import ChatChannel, ChatPost, Email, Notification, Preferences


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "organization", "created_at", "read_at"]
    list_filter = ["organization", "kind"]
    raw_id_fields = ["recipient", "actor", "objective", "key_result", "kpi", "comment"]


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["kind", "key", "recipient", "state", "attempts", "sent_at"]
    list_filter = ["organization", "kind", "state"]
    raw_id_fields = ["recipient", "notification"]


@admin.register(ChatPost)
class ChatPostAdmin(admin.ModelAdmin):
    list_display = ["channel", "state", "attempts", "response_status", "created_at"]
    list_filter = ["organization", "state"]
    raw_id_fields = ["channel", "activity"]


@admin.register(ChatChannel)
class ChatChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "service", "organization", "is_active"]
    list_filter = ["organization", "service"]
    raw_id_fields = ["group"]


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    list_display = ["membership", "notification_emails", "check_in_reminders", "lead_digest"]
    raw_id_fields = ["membership"]
