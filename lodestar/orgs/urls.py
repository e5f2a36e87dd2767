from django.urls import path

from lodestar.orgs.views import directory, manage

app_name = "orgs"
urlpatterns = [
    path("groups/", directory.group_list, name="groups"),
    path("groups/new/", manage.group_create, name="group_create"),
    path("groups/options/", directory.group_options, name="group_options"),
    path("groups/<int:group_id>/", directory.group_detail, name="group"),
    path("groups/<int:group_id>/edit/", manage.group_edit, name="group_edit"),
    path("groups/<int:group_id>/members/", manage.group_members, name="group_members"),
    path("groups/<int:group_id>/members/<int:membership_id>/role/", manage.group_member_role, name="group_member_role"),
    path(
        "groups/<int:group_id>/members/<int:membership_id>/remove/",
        manage.group_member_remove,
        name="group_member_remove",
    ),
    path("people/", directory.people, name="people"),
    path("people/new/", manage.person_add, name="person_add"),
    path("people/options/", directory.people_options, name="people_options"),
    path("people/<int:membership_id>/", directory.person, name="person"),
    path("people/<int:membership_id>/edit/", manage.person_edit, name="person_edit"),
    path("settings/", manage.organization_settings, name="settings"),
]
