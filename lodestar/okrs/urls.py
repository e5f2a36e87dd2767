from django.urls import path

from lodestar.okrs import views

app_name = "okrs"
urlpatterns = [
    path("", views.home, name="home"),
]
