from django.apps import AppConfig


class RolloutConfig(AppConfig):
    name = "lodestar.rollout"
    label = "rollout"
    verbose_name = "Rollout"

    def ready(self):
        from lodestar.rollout import listeners, snapshots
        from lodestar.rollout.nudges import send_due_nudges_everywhere
        from lodestar.worker.schedule import register_job

        register_job("rollout.send_due_nudges", send_due_nudges_everywhere)
        register_job("rollout.enqueue_due_adoption_figures", snapshots.enqueue_due)
        listeners.subscribe_all()
