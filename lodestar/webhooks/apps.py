from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "lodestar.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from lodestar.webhooks import listeners
        from lodestar.webhooks.models import Delivery
        from lodestar.webhooks.tasks import deliver_webhooks
        from lodestar.worker.schedule import register_outbox

        listeners.subscribe_all()
        register_outbox(Delivery, task=deliver_webhooks)
