"""SCIM provisioning's writes: tokens (made and revoked by admins or the ``scim_token`` command)
and the changes an identity provider asks for.

Every change to people and groups goes through onboarding's and orgs' services with a
``SystemActor`` of the token's organization: the same rules as an admin's pages hold (an owner is
not the provider's to change, a group that owns objectives stays, a deactivated person keeps their
goals), and the people floor's events put each change into the audit log with no person as actor
and ``{"via": "scim", "token": name}``."""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lodestar.accounts.addresses import is_taken
from lodestar.audit.services import record
from lodestar.core.errors import NotAllowed, NotFound
from lodestar.core.guards import require_same_organization
from lodestar.core.rates import parse_rate
from lodestar.core.scoping import all_organizations
from lodestar.core.tokens import digest, matches
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_text
from lodestar.onboarding import services as onboarding
from lodestar.orgs import services as orgs
from lodestar.orgs.actors import SystemActor
from lodestar.orgs.models import Group, GroupMembership, Membership, Organization
from lodestar.scim.models import ScimGroup, ScimToken, ScimUser

TOKEN_START = "lsc_"
LAST_USED_PRECISION = 60  # seconds: a token in steady use costs no write per call for "last used"


def taken(field: str, message: str) -> ValidationError:
    """A uniqueness refusal (SCIM answers 409)."""
    return ValidationError({field: [ValidationError(message, code="taken")]})


# --- tokens ------------------------------------------------------------------------------------


@atomic_service
def create_token(*, actor: Membership | None, organization: Organization, name: str) -> tuple[ScimToken, str]:
    """A new token and its full text, shown this once. ``actor`` None: the ``scim_token`` command."""
    if actor is not None:
        if not actor.is_admin:
            raise NotAllowed(_("Only admins can manage provisioning."))
        if actor.organization_id != organization.pk:
            raise NotFound
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    token = ScimToken.objects.create(
        organization=organization,
        name=clean_text(name, field="name", max_length=80, required=True),
        prefix=prefix,
        secret_hash=digest(secret),
        created_by=actor,
    )
    record(organization, "scim.token_created", actor=actor, target=token, details={"name": token.name})
    return token, f"{TOKEN_START}{prefix}_{secret}"


@atomic_service
def revoke_token(*, actor: Membership | None, token: ScimToken) -> ScimToken:
    if actor is not None:
        if not actor.is_admin:
            raise NotAllowed(_("Only admins can manage provisioning."))
        require_same_organization(actor, token)
    revoked = ScimToken.objects.filter(organization_id=token.organization_id, pk=token.pk, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    if revoked:
        record(token.organization_id, "scim.token_revoked", actor=actor, target=token, details={"name": token.name})
    return token


def authenticate(text: str) -> ScimToken | None:
    """The live token ``text`` is, else None (unknown, altered or revoked)."""
    if not text.startswith(TOKEN_START) or text.count("_") < 2:
        return None
    prefix, _sep, secret = text.removeprefix(TOKEN_START).partition("_")
    # The one lookup before the organization is known: by the token's unique random prefix.
    with all_organizations():
        token = ScimToken.objects.select_related("organization").filter(prefix=prefix).first()
        if token is None or not matches(token.secret_hash, secret) or token.revoked_at is not None:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_PRECISION:
            ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


COUNT_CALL = f"""
    UPDATE {ScimToken._meta.db_table}
    SET calls = CASE WHEN window_start = %s THEN calls + 1 ELSE 1 END, window_start = %s
    WHERE id = %s RETURNING calls
"""


def count_call(token: ScimToken) -> tuple[bool, int]:
    """Count one call of ``token`` in the current fixed window of ``LODESTAR_SCIM_RATE``: (within the
    rate, seconds to the next window). One atomic update, so the limit holds across processes."""
    allowed, seconds = parse_rate(settings.LODESTAR_SCIM_RATE)
    now = int(timezone.now().timestamp())
    window = now - now % seconds
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(COUNT_CALL, [window, window, token.pk])
        row = cursor.fetchone()
    return (row is not None and row[0] <= allowed), seconds - now % seconds


def actor_for(token: ScimToken) -> SystemActor:
    return SystemActor(
        organization=token.organization,
        label=_("Provisioning (%(name)s)") % {"name": token.name},
        audit_details={"via": "scim", "token": token.name},
    )


# --- people ------------------------------------------------------------------------------------


def _clean_scim_fields(actor, fields: dict, *, scim_user: ScimUser | None = None) -> dict:
    user_name = clean_text(fields["user_name"], field="user_name", max_length=254, required=True)
    clash = ScimUser.objects.filter(organization_id=actor.organization_id, user_name__iexact=user_name)
    if scim_user is not None:
        clash = clash.exclude(pk=scim_user.pk)
    if clash.exists():
        raise taken("user_name", _("Another person has the userName %(name)s.") % {"name": user_name})
    return {
        "user_name": user_name,
        "external_id": clean_text(fields.get("external_id"), field="external_id", max_length=254),
        "display_name": clean_text(fields.get("display_name"), field="display_name", max_length=150),
        "name": {
            key: clean_text(value, field="name", max_length=150) for key, value in (fields.get("name") or {}).items()
        }
        or None,
        "emails": _clean_emails(fields.get("emails") or []),
        "states_active": fields.get("states_active", True),
    }


def _clean_emails(entries: list) -> list:
    if len(entries) > 10:
        raise ValidationError({"emails": [_("Send at most 10 e-mail addresses.")]})
    return [
        {
            key: clean_text(value, field="emails", max_length=254) if isinstance(value, str) else value
            for key, value in entry.items()
        }
        for entry in entries
    ]


@atomic_service
def create_person(
    *, actor: SystemActor, email: str, full_name: str, job_title: str, active: bool, scim: dict
) -> Membership:
    """A person the identity provider adds (see ``onboarding.add_provisioned_person``), or one it
    deleted earlier and adds again (their membership and goals come back)."""
    fields = _clean_scim_fields(actor, scim, scim_user=_deleted_identity(actor, email))
    membership = onboarding.add_provisioned_person(actor=actor, email=email, full_name=full_name, job_title=job_title)
    ScimUser.objects.update_or_create(
        organization_id=actor.organization_id, membership=membership, defaults={**fields, "deleted_at": None}
    )
    if not active:
        membership = orgs.update_membership(actor=actor, membership=membership, is_active=False)
    return membership


def _deleted_identity(actor, email: str) -> ScimUser | None:
    return ScimUser.objects.filter(
        organization_id=actor.organization_id, membership__user__email__iexact=email, deleted_at__isnull=False
    ).first()


@atomic_service
def update_person(
    *,
    actor: SystemActor,
    membership: Membership,
    email: str,
    full_name: str | None,
    job_title: str,
    active: bool | None,
    scim: dict,
) -> Membership:
    """Change what the identity provider says about a person: their name and e-mail address (only
    while their account belongs to this organization alone), title and whether they are active
    (``active`` None: the provider states nothing, the person stays as they are)."""
    require_same_organization(actor, membership)
    scim_user = ScimUser.objects.filter(organization_id=actor.organization_id, membership=membership).first()
    fields = _clean_scim_fields(actor, scim, scim_user=scim_user)
    _change_account(actor, membership, email=email, full_name=full_name)
    changes = {}
    if clean_text(job_title, field="job_title", max_length=120) != membership.job_title:
        changes["job_title"] = job_title
    if active is not None and active != membership.is_active:
        changes["is_active"] = active
    if changes:
        membership = orgs.update_membership(actor=actor, membership=membership, **changes)
    ScimUser.objects.update_or_create(organization_id=actor.organization_id, membership=membership, defaults=fields)
    return membership


def _change_account(actor, membership: Membership, *, email: str, full_name: str | None) -> None:
    """Name and sign-in address live on the account, which may be in other organizations too: an
    identity provider changes them only for an account that is in its organization alone (never an
    instance administrator's). Another account's address is refused (code "taken")."""
    user = membership.user
    email = onboarding.clean_address(email)
    full_name = user.full_name if full_name is None else clean_text(full_name, field="full_name", max_length=150)
    changes = {}
    if email != user.email.lower():
        changes["email"] = (user.email, email)
    if full_name and full_name != user.full_name:
        changes["full_name"] = (user.full_name, full_name)
    if not changes:
        return
    with all_organizations():  # whether the account is in any other organization (not which)
        shared = Membership.objects.filter(user=user).exclude(organization_id=actor.organization_id).exists()
    if shared or user.is_staff or user.is_superuser:
        raise NotAllowed(
            _("%(person)s's account is in other organizations too: only they can change their name and address.")
            % {"person": user.full_name or user.email}
        )
    if "email" in changes:
        if is_taken(email, by_other_than=user):
            raise taken("email", _("Another account uses %(email)s.") % {"email": email})
        # The old address's proof no longer signs anyone in; the new one is confirmed when its
        # holder first signs in with it (allauth asks, as verification is mandatory).
        EmailAddress.objects.filter(user=user).delete()
        user.email = email
    if "full_name" in changes:
        user.full_name = full_name
    user.save(update_fields=[field for field in ("email", "full_name") if field in changes])
    record(
        actor.organization,
        "member.changed",
        actor=actor,
        target=membership,
        details={field: list(values) for field, values in changes.items()},
    )


@atomic_service
def delete_person(*, actor: SystemActor, membership: Membership) -> None:
    """DELETE /Users/<id>: the person is deactivated and keeps their goals and history; SCIM then
    answers 404 for them, and adding the same address again brings them back."""
    require_same_organization(actor, membership)
    if membership.is_active:
        orgs.update_membership(actor=actor, membership=membership, is_active=False)
    ScimUser.objects.update_or_create(
        organization_id=actor.organization_id,
        membership=membership,
        defaults={"deleted_at": timezone.now()},
        create_defaults={"user_name": membership.user.email, "deleted_at": timezone.now()},
    )


# --- groups ------------------------------------------------------------------------------------


def _free_slug(actor, name: str, group: Group | None = None) -> str:
    """A short name no other group has (identity providers may have two groups of one name)."""
    base = slugify(name)[:70] or "group"
    taken_slugs = set(
        Group.objects.filter(organization_id=actor.organization_id, slug__startswith=base)
        .exclude(pk=getattr(group, "pk", None))
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken_slugs:
        slug, number = f"{base}-{number}", number + 1
    return slug


@atomic_service
def create_group(*, actor: SystemActor, name: str, external_id: str, member_ids: list[int]) -> Group:
    group = orgs.create_group(actor=actor, name=name, slug=_free_slug(actor, name))
    ScimGroup.objects.create(
        organization_id=actor.organization_id,
        group=group,
        external_id=clean_text(external_id, field="external_id", max_length=254),
    )
    set_members(actor, group, member_ids)
    return group


@atomic_service
def update_group(*, actor: SystemActor, group: Group, name: str, external_id: str, member_ids: list[int]) -> Group:
    require_same_organization(actor, group)
    if name != group.name:
        group = orgs.update_group(actor=actor, group=group, name=name, slug=_free_slug(actor, name, group))
    ScimGroup.objects.update_or_create(
        organization_id=actor.organization_id,
        group=group,
        defaults={"external_id": clean_text(external_id, field="external_id", max_length=254)},
    )
    set_members(actor, group, member_ids)
    return group


def set_members(actor, group: Group, member_ids: list[int]) -> None:
    """Make the group's visible members exactly ``member_ids`` (people SCIM deleted stay where they
    were, unseen). Ids that are not people of this organization are refused."""
    wanted = set(member_ids)
    people = {person.pk: person for person in provisioned_people(actor).filter(pk__in=wanted).select_related("user")}
    unknown = wanted - set(people)
    if unknown:
        raise ValidationError(
            {"members": [_("No such person here: %(ids)s.") % {"ids": ", ".join(str(pk) for pk in sorted(unknown))}]}
        )
    present = set(
        GroupMembership.objects.filter(organization_id=actor.organization_id, group=group)
        .filter(membership__in=provisioned_people(actor))
        .values_list("membership_id", flat=True)
    )
    to_add = [people[pk] for pk in sorted(wanted - present)]
    if to_add:
        orgs.add_group_members(actor=actor, group=group, people=to_add)
    leaving = Membership.objects.filter(organization_id=actor.organization_id, pk__in=present - wanted)
    for person in leaving.select_related("user").order_by("pk"):
        orgs.remove_group_member(actor=actor, group=group, membership=person)


@atomic_service
def delete_group(*, actor: SystemActor, group: Group) -> None:
    orgs.delete_group(actor=actor, group=group)


def provisioned_people(actor):
    """The memberships SCIM sees: all of the organization's but those it deleted."""
    return Membership.objects.filter(organization_id=actor.organization_id).filter(
        Q(scim_user__isnull=True) | Q(scim_user__deleted_at__isnull=True)
    )
