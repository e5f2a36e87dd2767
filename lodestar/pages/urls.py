"""The URLs of the composed pages, each set under the namespace its pages had before they moved here."""

from django.urls import path

from lodestar.pages import directory, getting_started, strategy

directory_urls = (
    [
        path("groups/", directory.group_list, name="groups"),
        path("groups/<int:group_id>/", directory.group_detail, name="group"),
        path("people/", directory.people, name="people"),
        path("people/<int:membership_id>/", directory.person, name="person"),
    ],
    "directory",
)

strategy_urls = (
    [
        path("strategy/", strategy.strategy, name="strategy"),
        path("strategy/edit/", strategy.strategy_edit, name="strategy_edit"),
        path("present/", strategy.present, name="present"),
        path("strategy/pillars/new/", strategy.pillar_create, name="pillar_create"),
        path("strategy/pillars/<int:pillar_id>/edit/", strategy.pillar_edit, name="pillar_edit"),
        path("strategy/pillars/<int:pillar_id>/move/", strategy.pillar_move, name="pillar_move"),
        path("strategy/pillars/<int:pillar_id>/delete/", strategy.pillar_delete, name="pillar_delete"),
    ],
    "strategy",
)

getting_started_urls = (
    [path("getting-started/hide/", getting_started.hide, name="hide")],
    "getting_started",
)
