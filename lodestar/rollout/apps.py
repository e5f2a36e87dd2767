from django.apps import AppConfig


class RolloutConfig(AppConfig):
    name = "lodestar.rollout"
    label = "rollout"
    verbose_name = "Rollout"
