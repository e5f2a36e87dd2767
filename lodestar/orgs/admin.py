from django.contrib import admin

from lodestar.core.admin import ReadOnlyAdmin, ReadOnlyTabularInline
from lodestar.orgs.models import Group, GroupMembership, Membership, Organization


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    """An organization needs its owner from the start: ``orgs.services.create_organization``
    creates both, this admin creates neither."""

    list_display = ["name", "slug", "time_zone", "language", "automatic_status"]
    search_fields = ["name", "slug"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organization", "role", "job_title", "is_active", "is_okr_ambassador"]
    list_filter = ["organization", "role", "is_active"]
    search_fields = ["user__email", "user__full_name", "job_title"]
    list_select_related = ["user", "organization"]


class GroupMembershipInline(ReadOnlyTabularInline):
    model = GroupMembership


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "parent"]
    list_filter = ["organization"]
    search_fields = ["name", "slug"]
    inlines = [GroupMembershipInline]
    list_select_related = ["organization", "parent"]


@admin.register(GroupMembership)
class GroupMembershipAdmin(ReadOnlyAdmin):
    list_display = ["membership", "group", "is_lead"]
    list_filter = ["organization", "is_lead"]
