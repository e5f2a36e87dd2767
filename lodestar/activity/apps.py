from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "lodestar.activity"
    label = "activity"
    verbose_name = "Activity"
