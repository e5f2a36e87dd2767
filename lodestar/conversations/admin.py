from django.contrib import admin

from lodestar.conversations.models import Comment, Mention, Reaction
from lodestar.core.admin import ReadOnlyAdmin


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "author", "organization", "created_at"]
    list_filter = ["organization"]
    search_fields = ["body"]
    list_select_related = ["author__user", "organization"]


@admin.register(Reaction, Mention)
class ConversationPartAdmin(ReadOnlyAdmin):
    list_filter = ["organization"]
