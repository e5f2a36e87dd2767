from django.urls import path

from lodestar.audit import views

app_name = "audit"
urlpatterns = [
    path("settings/audit/", views.log, name="log"),
]
