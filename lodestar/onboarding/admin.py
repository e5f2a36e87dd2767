from django.contrib import admin

from lodestar.core.admin import ReadOnlyAdmin
from lodestar.onboarding.models import Invitation, InvitationEmail, PeopleImport


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "organization", "role", "state", "created_at", "expires_at", "accepted_at"]
    list_filter = ["organization", "state"]
    search_fields = ["email", "full_name"]
    exclude = ["nonce"]


@admin.register(InvitationEmail)
class InvitationEmailAdmin(ReadOnlyAdmin):
    list_display = ["invitation", "organization", "state", "attempts", "sent_at"]
    list_filter = ["organization", "state"]
    exclude = ["nonce"]


@admin.register(PeopleImport)
class PeopleImportAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "organization", "created_at"]
    list_filter = ["organization"]
