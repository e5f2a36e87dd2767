from django.urls import path

from lodestar.strategy import views

app_name = "strategy"
urlpatterns = [
    path("strategy/", views.strategy, name="strategy"),
    path("strategy/edit/", views.strategy_edit, name="strategy_edit"),
    path("strategy/pillars/new/", views.pillar_create, name="pillar_create"),
]
