from django.urls import path

from lodestar.strategy import views

app_name = "strategy"
urlpatterns = [path("strategy/", views.strategy, name="strategy")]
