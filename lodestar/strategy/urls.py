from django.urls import path

from lodestar.strategy import views

app_name = "strategy"
urlpatterns = [
    path("strategy/", views.strategy, name="strategy"),
    path("strategy/edit/", views.strategy_edit, name="strategy_edit"),
    path("present/", views.present, name="present"),
    path("strategy/pillars/new/", views.pillar_create, name="pillar_create"),
    path("strategy/pillars/<int:pillar_id>/edit/", views.pillar_edit, name="pillar_edit"),
    path("strategy/pillars/<int:pillar_id>/move/", views.pillar_move, name="pillar_move"),
    path("strategy/pillars/<int:pillar_id>/delete/", views.pillar_delete, name="pillar_delete"),
]
