"""Composing and sending one invitation e-mail, in the invitee's language, with the accept link."""

from email.utils import formataddr

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from lodestar.accounts.addresses import holder_of
from lodestar.core.scoping import organization_scope
from lodestar.onboarding.models import Invitation, InvitationEmail
from lodestar.onboarding.services import invitation_url
from lodestar.worker import outbox


def language_of(invitation: Invitation) -> str:
    """The invitee's own language when their account has one, else the organization's."""
    account = invitation.membership.user if invitation.membership_id else holder_of(invitation.email)
    return (account.language if account else "") or invitation.organization.language


def deliver(item: InvitationEmail) -> None:
    invitation = item.invitation
    with organization_scope(invitation.organization), translation.override(language_of(invitation)):
        outbox.attempt(item, lambda: _send_if_open(item))


def _send_if_open(item: InvitationEmail) -> bool:
    """A link a later resend replaced, or an invitation no longer open, is not sent."""
    invitation = item.invitation
    if item.nonce != invitation.nonce or invitation.state != Invitation.State.PENDING or invitation.is_expired:
        return False
    _send(invitation)
    return True


def _send(invitation: Invitation) -> None:
    organization = invitation.organization
    inviter = invitation.inviter.full_name if invitation.inviter_id else ""
    subject = (
        _("%(inviter)s invites you to %(organization)s on Lodestar")
        if inviter
        else _("You are invited to %(organization)s on Lodestar")
    ) % {"inviter": inviter, "organization": organization.name}
    context = {
        "invitation": invitation,
        "organization": organization,
        "inviter": inviter,
        "subject": subject,
        "url": invitation_url(invitation),
        "expires": formats.date_format(invitation.expires_at, "DATE_FORMAT"),
        "language": translation.get_language(),
    }
    mail = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("onboarding/email/invitation.txt", context),
        to=[formataddr((invitation.full_name, invitation.email))],
        headers={"Auto-Submitted": "auto-generated", "X-Lodestar-Key": f"invitation:{invitation.pk}"},
    )
    mail.attach_alternative(render_to_string("onboarding/email/invitation.html", context), "text/html")
    mail.send()
