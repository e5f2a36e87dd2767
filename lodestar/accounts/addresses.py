"""Which account an e-mail address belongs to. Only a verified address links anything: anyone
can type an address into their account, only its mailbox's owner can confirm it (allauth's
``EmailAddress`` rows hold the proof)."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model


def confirmed_account(email: str):
    """The account on which ``email`` is verified, else None."""
    row = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
    return row.user if row else None


def holder_of(email: str):
    """The account whose sign-in address ``email`` is, verified or not, else None."""
    return get_user_model().objects.filter(email__iexact=email).first()


def is_taken(email: str, *, by_other_than=None) -> bool:
    """Whether another account signs in with ``email`` or has confirmed it."""
    users = get_user_model().objects.filter(email__iexact=email)
    confirmed = EmailAddress.objects.filter(email__iexact=email, verified=True)
    if by_other_than is not None:
        users = users.exclude(pk=by_other_than.pk)
        confirmed = confirmed.exclude(user=by_other_than)
    return users.exists() or confirmed.exists()


def mark_confirmed(user, email: str) -> None:
    """Record that ``user`` proved control of ``email`` (their sign-in address) by a mailed link."""
    EmailAddress.objects.filter(email__iexact=email, verified=False).exclude(user=user).delete()
    EmailAddress.objects.filter(user=user, primary=True).exclude(email__iexact=email).update(primary=False)
    EmailAddress.objects.update_or_create(user=user, email=email.lower(), defaults={"verified": True, "primary": True})


def is_confirmed(user, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def may_start_organization(user) -> bool:
    """Instance administrators start organizations; with open sign-up, anyone whose address is confirmed."""
    return user.is_superuser or (settings.LODESTAR_OPEN_SIGNUP and is_confirmed(user, user.email))
