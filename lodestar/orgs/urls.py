from django.urls import path

from lodestar.orgs.views import manage, people, personal

app_name = "orgs"
urlpatterns = [
    path("groups/new/", manage.group_create, name="group_create"),
    path("groups/options/", people.group_options, name="group_options"),
    path("groups/<int:group_id>/edit/", manage.group_edit, name="group_edit"),
    path("groups/<int:group_id>/members/", manage.group_members, name="group_members"),
    path("groups/<int:group_id>/members/<int:membership_id>/role/", manage.group_member_role, name="group_member_role"),
    path(
        "groups/<int:group_id>/members/<int:membership_id>/remove/",
        manage.group_member_remove,
        name="group_member_remove",
    ),
    path("people/options/", people.people_options, name="people_options"),
    path("people/<int:membership_id>/edit/", manage.person_edit, name="person_edit"),
    path("settings/", manage.organization_settings, name="settings"),
    path("settings/personal/", personal.personal_settings, name="personal_settings"),
]
