from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "lodestar.pages"
    label = "pages"
    verbose_name = "Pages that compose several apps"
