from django.contrib import admin

from lodestar.orgs.models import Group, GroupMembership, Membership, Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "language", "automatic_status"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "job_title", "is_active", "is_okr_ambassador"]
    list_filter = ["organization", "role", "is_active"]
    search_fields = ["user__email", "user__full_name", "job_title"]
    list_select_related = ["user", "organization"]
    raw_id_fields = ["user", "manager"]


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    raw_id_fields = ["membership"]
    extra = 0


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "parent"]
    list_filter = ["organization"]
    search_fields = ["name", "slug"]
    raw_id_fields = ["parent"]
    inlines = [GroupMembershipInline]
    list_select_related = ["organization", "parent"]


@admin.register(GroupMembership)
class GroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["membership", "group", "is_lead"]
    list_filter = ["organization", "is_lead"]
    raw_id_fields = ["group", "membership"]
