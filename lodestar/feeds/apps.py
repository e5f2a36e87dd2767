from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "lodestar.feeds"
    label = "feeds"
    verbose_name = "Automatic feeds"

    def ready(self):
        from lodestar.feeds.tasks import enqueue_due_polls
        from lodestar.worker.schedule import register_job

        register_job("feeds.enqueue_due_polls", enqueue_due_polls)
