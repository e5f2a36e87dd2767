from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lodestar.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from lodestar.api.services import sweep_call_counts
        from lodestar.worker.schedule import register_job

        register_job("api.sweep_call_counts", sweep_call_counts)
