from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lodestar.api"
    label = "api"
    verbose_name = "API"
