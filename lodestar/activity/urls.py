from django.urls import path

from lodestar.activity import views

app_name = "activity"
urlpatterns = [
    path("activity/", views.organization_feed, name="organization"),
    path("groups/<int:group_id>/activity/", views.group_feed, name="group"),
    path("people/<int:membership_id>/activity/", views.person_feed, name="person"),
]
