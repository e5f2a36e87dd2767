from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "lodestar.worker"
    label = "worker"
    verbose_name = "Background worker"
