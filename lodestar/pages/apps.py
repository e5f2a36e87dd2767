from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "lodestar.pages"
    label = "pages"
    verbose_name = "Pages that compose several apps"

    def ready(self):
        from lodestar.pages import listeners

        listeners.subscribe_all()
