from django.urls import path

from lodestar.okrs import views

app_name = "okrs"
urlpatterns = [
    path("", views.home, name="home"),
    path("key-results/<int:key_result_id>/check-in/", views.check_in, name="check_in"),
]
