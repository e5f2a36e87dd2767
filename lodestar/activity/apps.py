from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "lodestar.activity"
    label = "activity"
    verbose_name = "Activity"

    def ready(self):
        from lodestar.activity import listeners

        listeners.subscribe_all()
