from django.contrib import admin

from lodestar.conversations.models import Comment, Mention, Reaction


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "organization", "created_at"]
    list_filter = ["organization"]
    raw_id_fields = ["author", "objective", "key_result", "check_in", "kpi"]
    readonly_fields = ["body_html"]


@admin.register(Reaction, Mention)
class ConversationPartAdmin(admin.ModelAdmin):
    list_filter = ["organization"]
    raw_id_fields = ["comment", "person"]
