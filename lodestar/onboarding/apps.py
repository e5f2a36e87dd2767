from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "lodestar.onboarding"
    label = "onboarding"

    def ready(self):
        from lodestar.onboarding.models import InvitationEmail
        from lodestar.onboarding.tasks import deliver_invitations
        from lodestar.worker.schedule import register_outbox

        register_outbox(InvitationEmail, task=deliver_invitations)
