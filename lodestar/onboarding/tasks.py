"""The worker's task sending invitation e-mails (it drains their outbox: safe to run twice)."""

from django.tasks import task

from lodestar.worker.outbox import drain, enqueue_after_commit


@task()
def deliver_invitations() -> int:
    from lodestar.onboarding import emails
    from lodestar.onboarding.models import InvitationEmail

    return drain(InvitationEmail, emails.deliver, next_run=deliver_invitations)


def enqueue_invitation_delivery() -> None:
    enqueue_after_commit(deliver_invitations)
