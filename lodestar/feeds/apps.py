from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "lodestar.feeds"
    label = "feeds"
    verbose_name = "Automatic feeds"
