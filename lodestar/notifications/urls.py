from django.urls import path

from lodestar.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/read/", views.mark_all_read, name="mark_all_read"),
    path("notifications/<int:notification_id>/", views.open_notification, name="open"),
    path("notifications/<int:notification_id>/read/", views.mark_read, name="mark_read"),
    path("settings/notifications/", views.preferences, name="preferences"),
    path("settings/chat/", views.chat_channels, name="chat_channels"),
    path("settings/chat/<int:channel_id>/edit/", views.chat_channel_edit, name="chat_channel_edit"),
    path("settings/chat/<int:channel_id>/delete/", views.chat_channel_delete, name="chat_channel_delete"),
    path("settings/chat/<int:channel_id>/test/", views.chat_channel_test, name="chat_channel_test"),
    path("settings/chat/posts/<int:post_id>/retry/", views.chat_post_retry, name="chat_post_retry"),
    path("timeframes/<int:timeframe_id>/closing/remind/", views.remind_to_close, name="remind_to_close"),
]
