from django.apps import AppConfig


class OkrsConfig(AppConfig):
    name = "lodestar.okrs"
    label = "okrs"
