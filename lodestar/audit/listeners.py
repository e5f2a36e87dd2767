"""The audit log records the people floor's events and the sign-ins (subscribed in AuditConfig.ready).

orgs and onboarding sit below audit and publish events (``orgs/events.py``,
``onboarding/events.py``); these listeners run inside the publishing service's transaction, so a
row exists exactly when the change does. Sign-ins come from signals: allauth's ``user_logged_in``
and Django's ``user_login_failed``, which ``authenticate`` sends with the typed address.

Details are plain JSON: a change is ``{"field": [before, after]}``; people and groups are kept by
name (the row outlives them); roles and other choices by their code, which the page translates.
"""

from allauth.account import signals as allauth_signals
from allauth.account.authentication import get_authentication_records
from django.contrib.auth import signals as auth_signals
from django.db import transaction

from lodestar.accounts.addresses import confirmed_account
from lodestar.audit.services import as_changes, record
from lodestar.core.events import subscribe
from lodestar.core.scoping import all_organizations
from lodestar.onboarding.events import (
    ImportInvitationsSent,
    InvitationAccepted,
    InvitationRevoked,
    InvitationSent,
    PeopleImportApplied,
)
from lodestar.orgs.events import (
    GroupChanged,
    GroupCreated,
    GroupDeleted,
    GroupMembersChanged,
    OrganizationSettingsSaved,
    PersonAdded,
    PersonChanged,
)
from lodestar.orgs.models import Membership

IMPORT_COUNTS = ("new", "invited", "changed", "groups", "deactivated", "skipped")


def _names(people) -> list[str]:
    return [str(person) for person in people]


# --- people and groups ------------------------------------------------------------------------


def person_added(event: PersonAdded) -> None:
    person = event.membership
    record(person.organization_id, "member.added", actor=event.actor, target=person, details={"role": person.role})


def person_changed(event: PersonChanged) -> None:
    """One row per kind of change, so that the log's filter finds role changes and deactivations."""
    person, changes = event.membership, dict(event.changes)
    organization_id, actor = person.organization_id, event.actor
    if "role" in changes:
        record(
            organization_id,
            "member.role_changed",
            actor=actor,
            target=person,
            details=as_changes({"role": changes.pop("role")}),
        )
    if "is_active" in changes:
        active = changes.pop("is_active")[1]
        record(organization_id, "member.reactivated" if active else "member.deactivated", actor=actor, target=person)
    if changes:
        record(organization_id, "member.changed", actor=actor, target=person, details=as_changes(changes))


def settings_saved(event: OrganizationSettingsSaved) -> None:
    if event.changes:  # a new organization's first settings are told by its first owner's row
        record(
            event.organization,
            "settings.changed",
            actor=event.actor,
            target=event.organization,
            details=as_changes(event.changes),
        )


def group_created(event: GroupCreated) -> None:
    group = event.group
    details = {"parent": str(group.parent)} if group.parent_id else {}
    record(group.organization_id, "group.created", actor=event.actor, target=group, details=details)


def group_changed(event: GroupChanged) -> None:
    record(
        event.group.organization_id,
        "group.changed",
        actor=event.actor,
        target=event.group,
        details=as_changes(event.changes),
    )


def group_deleted(event: GroupDeleted) -> None:
    record(event.group.organization_id, "group.deleted", actor=event.actor, target=event.group)


def group_members_changed(event: GroupMembersChanged) -> None:
    details = {
        key: _names(people)
        for key, people in (
            ("added", event.added),
            ("removed", event.removed),
            ("now_leading", event.now_leading),
            ("no_longer_leading", event.no_longer_leading),
        )
        if people
    }
    record(event.group.organization_id, "group.members_changed", actor=event.actor, target=event.group, details=details)


# --- invitations and imports ------------------------------------------------------------------


def invitation_sent(event: InvitationSent) -> None:
    invitation = event.invitation
    action = "invitation.resent" if event.resent else "invitation.sent"
    details = {} if event.resent else {"role": invitation.role}
    record(invitation.organization_id, action, actor=event.actor, target=invitation, details=details)


def invitation_revoked(event: InvitationRevoked) -> None:
    invitation = event.invitation
    record(invitation.organization_id, "invitation.revoked", actor=event.actor, target=invitation)


def invitation_accepted(event: InvitationAccepted) -> None:
    person = event.membership
    record(
        person.organization_id,
        "invitation.accepted",
        actor=event.user,
        target=person,
        target_label=str(event.user),
        details={"role": person.role},
    )


def people_import_applied(event: PeopleImportApplied) -> None:
    people_import = event.people_import
    result = people_import.result or {}
    details = {key: result[key] for key in IMPORT_COUNTS if result.get(key)}
    if not details:  # the same file again: nothing changed, nothing to tell
        return
    record(
        people_import.organization_id, "people_import.applied", actor=event.actor, target=people_import, details=details
    )


def import_invitations_sent(event: ImportInvitationsSent) -> None:
    people_import = event.people_import
    record(
        people_import.organization_id,
        "invitation.sent",
        actor=event.actor,
        target=people_import,
        details={"count": event.count},
    )


# --- signing in -------------------------------------------------------------------------------


def _active_memberships(user) -> list[Membership]:
    # Before any organization is chosen: the person's own memberships, by user (core.scoping lists this).
    with all_organizations():
        return list(Membership.objects.filter(user=user, is_active=True).order_by("organization_id"))


def signed_in(sender, request, user, **kwargs) -> None:
    """One ``signin.succeeded`` per organization the person is an active member of, with how they
    proved who they are. A sign-in through an identity provider (``sociallogin``) is logged by the
    single sign-on app, which knows the provider."""
    if kwargs.get("sociallogin") is not None:
        return
    records = get_authentication_records(request, user) if request is not None else []
    methods = [entry.get("method") for entry in records if isinstance(entry, dict)]
    details = {"method": next((method for method in methods if method and method != "mfa"), "password")}
    second = next((entry for entry in records if isinstance(entry, dict) and entry.get("method") == "mfa"), None)
    if second is not None:
        details["second_factor"] = str(second.get("type", ""))
    with transaction.atomic():
        for membership in _active_memberships(user):
            record(
                membership.organization_id,
                "signin.succeeded",
                actor=user,
                target=membership,
                target_label=str(user),
                details=details,
                request=request,
            )


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    """A wrong password (or a disabled account) for an address: logged in each organization of the
    account that confirmed the address; an address nobody confirmed is logged nowhere (no row
    without an organization, and no organization learns of strangers' typos)."""
    email = credentials.get("email") or credentials.get("username") or ""
    if not isinstance(email, str) or "@" not in email:
        return
    account = confirmed_account(email.strip())
    if account is None:
        return
    with transaction.atomic():
        for membership in _active_memberships(account):
            record(
                membership.organization_id,
                "signin.failed",
                target=membership,
                target_label=str(account),
                details={"method": "password"},
                request=request,
            )


def subscribe_all() -> None:
    subscribe(PersonAdded, person_added)
    subscribe(PersonChanged, person_changed)
    subscribe(OrganizationSettingsSaved, settings_saved)
    subscribe(GroupCreated, group_created)
    subscribe(GroupChanged, group_changed)
    subscribe(GroupDeleted, group_deleted)
    subscribe(GroupMembersChanged, group_members_changed)
    subscribe(InvitationSent, invitation_sent)
    subscribe(InvitationRevoked, invitation_revoked)
    subscribe(InvitationAccepted, invitation_accepted)
    subscribe(PeopleImportApplied, people_import_applied)
    subscribe(ImportInvitationsSent, import_invitations_sent)
    allauth_signals.user_logged_in.connect(signed_in, dispatch_uid="lodestar.audit.signed_in")
    auth_signals.user_login_failed.connect(sign_in_failed, dispatch_uid="lodestar.audit.sign_in_failed")
