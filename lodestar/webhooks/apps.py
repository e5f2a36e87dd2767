from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "lodestar.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
