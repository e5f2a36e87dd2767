from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lodestar.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from lodestar.notifications import listeners, schedule, tasks
        from lodestar.notifications.models import ChatPost, Email
        from lodestar.worker.schedule import register_job, register_outbox

        listeners.subscribe_all()
        register_job("notifications.plan_due_emails", schedule.plan_due_emails)
        register_outbox(Email, task=tasks.deliver_emails)
        register_outbox(ChatPost, task=tasks.deliver_chat_posts)
