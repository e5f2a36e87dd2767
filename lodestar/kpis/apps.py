from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "lodestar.kpis"
    label = "kpis"
    verbose_name = "KPIs"
