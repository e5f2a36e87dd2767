from django.apps import AppConfig
from django.db.backends.signals import connection_created

from lodestar.search.sqlite import register_unicode_lower


class SearchConfig(AppConfig):
    name = "lodestar.search"

    def ready(self) -> None:
        connection_created.connect(register_unicode_lower, dispatch_uid="lodestar.search.unicode_lower")
