from django.urls import path

from lodestar.scim import views

app_name = "scim"
urlpatterns = [
    path("settings/scim/", views.settings_page, name="settings"),
    path("settings/scim/tokens/<int:scim_token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
