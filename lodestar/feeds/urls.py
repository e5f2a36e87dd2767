from django.urls import path

from lodestar.feeds import views

app_name = "feeds"
urlpatterns = [
    path("key-results/<int:key_result_id>/feeds/", views.key_result_feeds, name="key_result_feeds"),
    path("kpis/<int:kpi_id>/feeds/", views.kpi_feeds, name="kpi_feeds"),
    path("feeds/<int:feed_id>/delete/", views.feed_delete, name="feed_delete"),
    path("feeds/<int:feed_id>/poll/", views.feed_poll, name="feed_poll"),
]
