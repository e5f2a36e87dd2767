"""Every write that brings people in: invitations (sent, resent, revoked, accepted) and new
organizations with their first owner.

Accepting an invitation proves control of its address: the link was mailed there. A new person
sets name and password through it; an address that already has an account joins only when that
account's holder accepts while signed in, with the address confirmed on the account. Nothing is
ever linked through an address nobody confirmed."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from lodestar.accounts.addresses import (
    confirmed_account,
    holder_of,
    is_confirmed,
    mark_confirmed,
    may_start_organization,
)
from lodestar.core.errors import NotAllowed
from lodestar.core.events import publish
from lodestar.core.guards import require_same_organization
from lodestar.core.scoping import all_organizations, organization_scope
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_text
from lodestar.onboarding.events import InvitationAccepted, InvitationRevoked, InvitationSent
from lodestar.onboarding.models import VALID_FOR, Invitation, InvitationEmail
from lodestar.onboarding.tasks import enqueue_invitation_delivery
from lodestar.orgs import services as orgs
from lodestar.orgs.events import OrganizationSettingsSaved, PersonAdded
from lodestar.orgs.models import Group, GroupMembership, Membership, Organization, Role

_LINK_SALT = "lodestar.invitation"


# --- links -------------------------------------------------------------------------------------


def invitation_url(invitation: Invitation, nonce: str | None = None) -> str:
    """The accept link. It names the invitation and its current nonce, signed with SECRET_KEY: the
    database alone does not hold it, and a resend (new nonce) makes older links useless."""
    token = signing.dumps([invitation.pk, nonce or invitation.nonce], salt=_LINK_SALT, compress=True)
    return settings.LODESTAR_BASE_URL + reverse("invitation", kwargs={"token": token})


def read_invitation(token: str) -> Invitation | None:
    """The invitation a genuine, current link names, else None (forged, altered or superseded)."""
    try:
        pk, nonce = signing.loads(token, salt=_LINK_SALT)
        pk = int(pk)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    # The link, not a signed-in membership, decides the organization here.
    with all_organizations():
        invitation = Invitation.objects.select_related("organization", "membership__user").filter(pk=pk).first()
    if invitation is None or not constant_time_compare(invitation.nonce, str(nonce)):
        return None
    return invitation


# --- inviting ----------------------------------------------------------------------------------


def _require_admin(actor: Membership) -> None:
    if not actor.is_admin:
        raise NotAllowed(_("Only admins can invite people."))


def clean_address(value, *, field: str = "email") -> str:
    email = clean_text(value, field=field, max_length=254, required=True).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({field: [_("“%(value)s” is not an e-mail address.") % {"value": email}]}) from None
    return email


def name_from_address(email: str) -> str:
    """A first guess at a person's name ("anna.schmidt@…" → "Anna Schmidt"); they correct it when
    they accept."""
    local = email.split("@", 1)[0]
    words = [word for word in local.replace("_", ".").replace("-", ".").split(".") if word]
    return " ".join(word.capitalize() for word in words)[:150] or email


def membership_of_address(organization_id: int, email: str) -> Membership | None:
    return (
        Membership.objects.filter(organization_id=organization_id, user__email__iexact=email)
        .select_related("user")
        .first()
    )


def _returning_person(actor: Membership, email: str) -> Membership | None:
    """Refuse an address that is a member or invited already; a person whose earlier invitation
    was withdrawn before they ever signed in comes back (their membership is reused)."""
    if Invitation.objects.filter(
        organization_id=actor.organization_id, email__iexact=email, state=Invitation.State.PENDING
    ).exists():
        raise ValidationError(
            {"email": [_("%(email)s is invited already: resend the invitation from the list.") % {"email": email}]}
        )
    present = membership_of_address(actor.organization_id, email)
    if present is None:
        return None
    if present.is_active:
        raise ValidationError({"email": [_("%(email)s is already a member.") % {"email": email}]})
    if present.user.last_login is None and not present.user.has_usable_password():
        return present
    raise ValidationError(
        {"email": [_("%(email)s was deactivated: reactivate them on their page instead.") % {"email": email}]}
    )


@atomic_service
def invite(
    *,
    actor: Membership,
    email: str,
    full_name: str = "",
    role: str = Role.MEMBER,
    groups=(),
    job_title: str = "",
    manager: Membership | None = None,
    message: str = "",
    send: bool = True,
) -> Invitation:
    """Invite one person. A new address gets its account (no password) and membership now; an
    address with an account gets the membership when its holder accepts."""
    _require_admin(actor)
    clean_choice(role, field="role", choices=Role)
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise NotAllowed(_("Only owners can make someone an owner."))
    require_same_organization(actor, manager, *groups)
    email = clean_address(email)
    full_name = clean_text(full_name, field="full_name", max_length=150)
    job_title = clean_text(job_title, field="job_title", max_length=120)
    message = clean_text(message, field="message", max_length=2000, multiline=True)
    returning = _returning_person(actor, email)
    invitation = Invitation(
        organization_id=actor.organization_id,
        email=email,
        full_name=full_name,
        role=role,
        job_title=job_title,
        manager=manager,
        group_ids=sorted({group.pk for group in groups}),
        message=message,
        inviter=actor,
        nonce=secrets.token_hex(16),
        expires_at=timezone.now() + VALID_FOR,
    )
    if returning is not None:
        invitation.membership = _place(returning, invitation, groups)
    elif holder_of(email) is None and confirmed_account(email) is None:
        invitation.membership = _new_person(actor, invitation, groups)
    invitation.save()
    if send:
        _queue_email(invitation)
    publish(InvitationSent(actor=actor, invitation=invitation))
    return invitation


def _new_person(actor: Membership, invitation: Invitation, groups) -> Membership:
    user = get_user_model()(
        email=invitation.email, full_name=invitation.full_name or name_from_address(invitation.email)
    )
    user.set_unusable_password()
    user.save()
    return _place(Membership(organization_id=actor.organization_id, user=user), invitation, groups)


def _place(membership: Membership, invitation: Invitation, groups) -> Membership:
    """Give a (new or returning) person the role, title, manager and groups they are invited with."""
    membership.role, membership.job_title, membership.manager = (
        invitation.role,
        invitation.job_title,
        invitation.manager,
    )
    membership.is_active = True
    membership.save()
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(organization_id=membership.organization_id, group=group, membership=membership)
            for group in groups
        ],
        ignore_conflicts=True,
    )
    return membership


def _queue_email(invitation: Invitation) -> None:
    now = timezone.now()
    InvitationEmail.objects.create(
        organization_id=invitation.organization_id, invitation=invitation, nonce=invitation.nonce, next_attempt_at=now
    )
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=now)
    invitation.sent_at = now
    enqueue_invitation_delivery()


def _pending(actor: Membership, invitation: Invitation) -> Invitation:
    """The invitation, locked, when it still waits for an answer."""
    require_same_organization(actor, invitation)
    invitation = Invitation.objects.select_for_update().get(organization_id=actor.organization_id, pk=invitation.pk)
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError(
            {"invitation": [_("This invitation is %(state)s.") % {"state": invitation.get_state_display().lower()}]}
        )
    return invitation


@atomic_service
def resend(*, actor: Membership, invitation: Invitation) -> Invitation:
    """Send a fresh link, valid for another 14 days; earlier links stop working."""
    _require_admin(actor)
    invitation = _pending(actor, invitation)
    invitation.nonce = secrets.token_hex(16)
    invitation.expires_at = timezone.now() + VALID_FOR
    invitation.save(update_fields=["nonce", "expires_at"])
    _queue_email(invitation)
    publish(InvitationSent(actor=actor, invitation=invitation, resent=True))
    return invitation


@atomic_service
def revoke(*, actor: Membership, invitation: Invitation) -> Invitation:
    """Withdraw an invitation. A person made for it who never came in is deactivated with it."""
    _require_admin(actor)
    invitation = _pending(actor, invitation)
    if invitation.role == Role.OWNER and actor.role != Role.OWNER:
        # Withdrawing it deactivates the owner made for it: owners decide who is an owner.
        raise NotAllowed(_("Only owners can withdraw an owner's invitation."))
    invitation.state, invitation.revoked_at = Invitation.State.REVOKED, timezone.now()
    invitation.save(update_fields=["state", "revoked_at"])
    if invitation.membership_id:
        Membership.objects.filter(
            organization_id=actor.organization_id, pk=invitation.membership_id, user__last_login__isnull=True
        ).update(is_active=False)
    publish(InvitationRevoked(actor=actor, invitation=invitation))
    return invitation


# --- accepting ---------------------------------------------------------------------------------


def _lock_for_acceptance(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(
        organization_id=invitation.organization_id, pk=invitation.pk
    )
    refusal = why_not_open(invitation)
    if refusal:
        raise ValidationError({"invitation": [refusal]})
    return invitation


def why_not_open(invitation: Invitation) -> str:
    """Why nobody can accept this invitation any more, or "" while it is open."""
    if invitation.state == Invitation.State.ACCEPTED:
        return _("This invitation has been accepted already.")
    if invitation.state == Invitation.State.REVOKED:
        return _("This invitation was withdrawn. Ask whoever invited you for a new one.")
    if invitation.is_expired:
        return _("This invitation has expired. Ask whoever invited you to send it again.")
    return ""


def is_for_new_account(invitation: Invitation) -> bool:
    """Whether accepting sets up an account (nobody has ever signed in with the address)."""
    account = holder_of(invitation.email)
    return account is None or (not account.has_usable_password() and account.last_login is None)


@atomic_service
def accept_as_new_person(*, invitation: Invitation, full_name: str, password: str):
    """The person the link was mailed to sets their name and password; their account starts here."""
    invitation = _lock_for_acceptance(invitation)
    if not is_for_new_account(invitation):
        raise ValidationError({"invitation": [_("This address has an account already: sign in to accept.")]})
    user = holder_of(invitation.email) or get_user_model()(email=invitation.email)
    if not user.is_active:
        raise NotAllowed(_("This account is disabled. Ask whoever runs this Lodestar."))
    user.full_name = clean_text(full_name, field="full_name", max_length=150, required=True)
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    mark_confirmed(user, invitation.email)
    _join(invitation, user)
    return user


@atomic_service
def accept_as_signed_in(*, invitation: Invitation, user) -> Membership:
    """The holder of an existing account accepts, signed in, with the address confirmed on it."""
    invitation = _lock_for_acceptance(invitation)
    refusal = why_not_this_account(invitation, user)
    if refusal:
        raise NotAllowed(refusal)
    return _join(invitation, user)


def why_not_this_account(invitation: Invitation, user) -> str:
    """Why ``user`` may not accept this invitation, or "" when they may."""
    if user.email.lower() != invitation.email.lower() and not is_confirmed(user, invitation.email):
        return _("This invitation is for %(invited)s, but you are signed in as %(you)s.") % {
            "invited": invitation.email,
            "you": user.email,
        }
    if not is_confirmed(user, invitation.email):
        return _("Confirm %(email)s on your account first: we sent you a link.") % {"email": invitation.email}
    return ""


def _join(invitation: Invitation, user) -> Membership:
    membership = invitation.membership
    if membership is not None and membership.user_id != user.pk:
        raise NotAllowed(_("This invitation belongs to another account."))
    if membership is None:
        membership = _membership_from(invitation, user)
    invitation.state, invitation.accepted_at, invitation.accepted_by = (
        Invitation.State.ACCEPTED,
        timezone.now(),
        user,
    )
    invitation.membership = membership
    invitation.save(update_fields=["state", "accepted_at", "accepted_by", "membership"])
    publish(InvitationAccepted(user=user, invitation=invitation, membership=membership))
    return membership


def _membership_from(invitation: Invitation, user) -> Membership:
    organization_id = invitation.organization_id
    present = Membership.objects.filter(organization_id=organization_id, user=user).first()
    if present is not None:
        if not present.is_active:
            raise NotAllowed(_("Your membership here was deactivated. Ask an admin to reactivate it."))
        return present
    manager = invitation.manager if invitation.manager and invitation.manager.is_active else None
    membership = Membership.objects.create(
        organization_id=organization_id,
        user=user,
        role=invitation.role,
        job_title=invitation.job_title,
        manager=manager,
    )
    groups = Group.objects.filter(organization_id=organization_id, pk__in=invitation.group_ids)
    GroupMembership.objects.bulk_create(
        [GroupMembership(organization_id=organization_id, group=group, membership=membership) for group in groups]
    )
    return membership


# --- new organizations -------------------------------------------------------------------------


@atomic_service
def start_organization(
    *, name: str, owner_email: str, slug: str = "", language: str = "en", time_zone: str = "Europe/Berlin"
) -> tuple[Organization, Invitation | None]:
    """A new organization and its first owner (the instance's operator asks for it). A new address
    gets an account without password and an invitation, whose link is where the owner sets one;
    an address with an account becomes owner at once and signs in as usual (no invitation)."""
    owner_email = clean_address(owner_email, field="owner_email")
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Select one of the offered choices.")]})
    account = confirmed_account(owner_email) or holder_of(owner_email)
    if account is not None:
        return orgs.create_organization(
            name=name, slug=slug, owner=account, language=language, time_zone=time_zone
        ), None
    user = get_user_model()(email=owner_email, full_name=name_from_address(owner_email))
    user.set_unusable_password()
    user.save()
    organization = orgs.create_organization(name=name, slug=slug, owner=user, language=language, time_zone=time_zone)
    with organization_scope(organization):  # the command and the setup page run outside any organization
        invitation = Invitation.objects.create(
            organization=organization,
            email=owner_email,
            role=Role.OWNER,
            membership=Membership.objects.get(organization=organization, user=user),
            nonce=secrets.token_hex(16),
            expires_at=timezone.now() + VALID_FOR,
        )
    return organization, invitation


@atomic_service
def start_own_organization(*, user, name: str, slug: str = "", language: str = "en", time_zone: str = "Europe/Berlin"):
    """A signed-in person starts an organization of their own (instance administrators, or anyone
    with a confirmed address where LODESTAR_OPEN_SIGNUP is on)."""
    if not may_start_organization(user):
        raise NotAllowed(_("Only instance administrators can start organizations here."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Select one of the offered choices.")]})
    organization = orgs.create_organization(name=name, slug=slug, owner=user, language=language, time_zone=time_zone)
    with organization_scope(organization):  # the page runs outside any organization
        owner = Membership.objects.get(organization=organization, user=user)
        publish(OrganizationSettingsSaved(actor=owner, organization=organization))  # chosen in the form
    return organization


def is_present(actor: Membership, email: str) -> bool:
    """Whether the address is an active member or has an open invitation here."""
    invited = Invitation.objects.filter(
        organization_id=actor.organization_id, email__iexact=email, state=Invitation.State.PENDING
    ).exists()
    member = membership_of_address(actor.organization_id, email)
    return invited or (member is not None and member.is_active)


@atomic_service
def invite_many(*, actor: Membership, people: list[tuple[str, str]], **common) -> tuple[list[Invitation], list[str]]:
    """Invite each (address, name) with the same role, groups and message, all or none; those who
    are members or invited already are left out and named."""
    invited, present = [], []
    for email, full_name in people:
        if is_present(actor, clean_address(email)):
            present.append(email)
        else:
            invited.append(invite(actor=actor, email=email, full_name=full_name, **common))
    return invited, present


@atomic_service
def add_provisioned_person(*, actor, email: str, full_name: str = "", job_title: str = "") -> Membership:
    """An identity provider (SCIM, acting as ``orgs.actors.SystemActor``) adds a person: active at
    once, with the role member, and no invitation e-mail. A new address gets an account without a
    password: its holder signs in through the organization's single sign-on, or sets a password
    with "Forgot your password?", whose mailed link proves the address. A person of this
    organization who was deactivated comes back. An address that has an account already is refused
    (code "taken"): its holder joins by an invitation accepted while signed in, as always —
    nothing is linked through an address nobody confirmed here."""
    _require_admin(actor)
    email = clean_address(email)
    full_name = clean_text(full_name, field="full_name", max_length=150)
    job_title = clean_text(job_title, field="job_title", max_length=120)
    present = membership_of_address(actor.organization_id, email)
    if present is not None:
        if present.is_active:
            raise ValidationError(
                {"email": [ValidationError(_("%(email)s is already a member.") % {"email": email}, code="taken")]}
            )
        return orgs.update_membership(actor=actor, membership=present, is_active=True, job_title=job_title)
    if holder_of(email) is not None or confirmed_account(email) is not None:
        raise ValidationError(
            {
                "email": [
                    ValidationError(
                        _("%(email)s has a Lodestar account already: invite them, and they join when they accept.")
                        % {"email": email},
                        code="taken",
                    )
                ]
            }
        )
    user = get_user_model()(email=email, full_name=full_name or name_from_address(email))
    user.set_unusable_password()
    user.save()
    membership = Membership.objects.create(
        organization_id=actor.organization_id, user=user, role=Role.MEMBER, job_title=job_title
    )
    publish(PersonAdded(actor=actor, membership=membership))
    return membership
