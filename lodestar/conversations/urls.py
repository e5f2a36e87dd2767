from django.urls import path

from lodestar.conversations import views

app_name = "conversations"
urlpatterns = [
    path(
        "objectives/<int:objective_id>/comments/",
        views.comment_create,
        {"kind": "objective"},
        name="objective_comment",
    ),
    path(
        "key-results/<int:key_result_id>/comments/",
        views.comment_create,
        {"kind": "key_result"},
        name="key_result_comment",
    ),
    path(
        "check-ins/<int:check_in_id>/comments/new/", views.comment_create, {"kind": "check_in"}, name="check_in_comment"
    ),
    path("check-ins/<int:check_in_id>/comments/", views.check_in_comments, name="check_in_comments"),
    path("kpis/<int:kpi_id>/comments/", views.comment_create, {"kind": "kpi"}, name="kpi_comment"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:comment_id>/react/", views.comment_react, name="comment_react"),
    path("people/mentions/", views.mention_options, name="mention_options"),
]
