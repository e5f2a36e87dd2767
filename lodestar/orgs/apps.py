from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "lodestar.orgs"
    label = "orgs"
