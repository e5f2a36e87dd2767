from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lodestar.notifications"
    label = "notifications"
    verbose_name = "Notifications"
