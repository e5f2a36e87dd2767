"""Writing a people import's plan in bulk: the same outcome as inviting and updating each person
through the one-person services, in a number of statements that does not grow row by row (ten
thousand people are one import, not ten thousand transactions).

The rules are those of ``onboarding.services.invite`` and ``orgs.services.update_membership``:
a new address gets an account without password, its membership (role, job title, manager,
groups) and a pending invitation; an address with an account elsewhere gets only the invitation,
its role, job title, manager and groups waiting there until its holder accepts; a person invited
once and withdrawn before they came in is invited again on their old membership. The planner has
checked everything; this module only writes, inside the caller's transaction."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from lodestar.onboarding.models import VALID_FOR, Invitation, InvitationEmail
from lodestar.onboarding.people_import.planning import CHANGED, INVITE, NEW, Plan
from lodestar.onboarding.tasks import enqueue_invitation_delivery
from lodestar.orgs.models import Group, GroupMembership, Membership, Role

_BATCH = 1000


def write_plan(*, actor: Membership, plan: Plan, send: bool) -> dict:
    """Save every row without errors; deactivate the missing people the plan marks. Returns counts
    and the ids of the invitations made."""
    organization_id = actor.organization_id
    org = plan.org
    rows = [row for row in plan.rows if row.outcome in (NEW, INVITE, CHANGED)]
    group_ids = _create_groups(organization_id, plan)

    def group_id(key) -> int:
        return key[1] if key[0] == "group" else group_ids[key]

    members = _create_people(organization_id, [row for row in rows if row.outcome == NEW and not row.returning])

    def membership_id(ref) -> int | None:
        if ref is None:
            return None
        return ref[1] if ref[0] == "member" else members[ref[1]]

    _update_memberships(organization_id, org, rows, members, membership_id)
    _place_in_groups(organization_id, org, rows, members, group_id)
    invitations = _invite(actor, rows, members, membership_id, group_id, send)
    deactivated = _deactivate(organization_id, plan)
    return {
        "new": sum(1 for row in rows if row.outcome == NEW),
        "invited": sum(1 for row in rows if row.outcome == INVITE),
        "changed": sum(1 for row in rows if row.outcome == CHANGED),
        "groups": len(group_ids),
        "deactivated": deactivated,
        "invitations": [invitation.pk for invitation in invitations],
        "sent": len(invitations) if send else 0,
    }


def _create_groups(organization_id: int, plan: Plan) -> dict:
    created = {}
    needed = plan.groups_needed()
    for depth in sorted({len(group.key[1]) for group in needed}):
        level = [group for group in needed if len(group.key[1]) == depth]
        rows = Group.objects.bulk_create(
            [
                Group(
                    organization_id=organization_id,
                    name=group.name,
                    slug=group.slug,
                    parent_id=None if group.parent is None else _group_pk(group.parent, created),
                )
                for group in level
            ],
            batch_size=_BATCH,
        )
        for group, row in zip(level, rows, strict=True):
            created[group.key] = row.pk
    return created


def _group_pk(key, created) -> int:
    return key[1] if key[0] == "group" else created[key]


def _create_people(organization_id: int, rows) -> dict[str, int]:
    """Accounts (no password: they set one through the invitation) and memberships; e-mail → membership id."""
    if not rows:
        return {}
    unusable = make_password(None)  # one random unusable hash for all: nobody can sign in with it
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(
                email=row.email, full_name=row.name, language=row.language, time_zone=row.time_zone, password=unusable
            )
            for row in rows
        ],
        batch_size=_BATCH,
    )
    memberships = Membership.objects.bulk_create(
        [
            Membership(
                organization_id=organization_id,
                user_id=user.pk,
                role=row.role or Role.MEMBER,
                job_title=row.job_title or "",
                is_okr_ambassador=bool(row.ambassador),
            )
            for row, user in zip(rows, users, strict=True)
        ],
        batch_size=_BATCH,
    )
    return {row.email: membership.pk for row, membership in zip(rows, memberships, strict=True)}


def _update_memberships(organization_id, org, rows, members, membership_id) -> None:
    """Changed and returning people get their new values; every manager is set once all exist."""
    changed = []
    for row in rows:
        if row.outcome == INVITE:
            continue
        pk = row.membership_id or members[row.email]
        if row.membership_id is not None:
            person = org.by_id[pk]
            values = {
                "role": person["role"],
                "job_title": person["job_title"],
                "manager_id": person["manager_id"],
                "is_okr_ambassador": person["is_okr_ambassador"],
                "is_active": person["is_active"],
            }
        else:
            values = {}
        if row.returning:  # as inviting again does: the role, title and manager of the invitation
            values.update(role=row.role or Role.MEMBER, job_title=row.job_title or "", manager_id=None, is_active=True)
        else:
            if row.role is not None:
                values["role"] = row.role
            if row.job_title is not None:
                values["job_title"] = row.job_title
        if row.ambassador is not None:
            values["is_okr_ambassador"] = row.ambassador
        if row.manager is not None:
            values["manager_id"] = membership_id(row.manager)
        if row.membership_id is None:
            if row.manager is not None:
                changed.append((Membership(pk=pk, organization_id=organization_id, **values), ["manager"]))
            continue
        changed.append((Membership(pk=pk, organization_id=organization_id, **values), None))
    full = [membership for membership, fields in changed if fields is None]
    managers_only = [membership for membership, fields in changed if fields is not None]
    if full:
        Membership.objects.bulk_update(
            full, ["role", "job_title", "manager", "is_okr_ambassador", "is_active"], batch_size=_BATCH
        )
    if managers_only:
        Membership.objects.bulk_update(managers_only, ["manager"], batch_size=_BATCH)


def _place_in_groups(organization_id, org, rows, members, group_id) -> None:
    """Members join their groups; leads lead theirs (a member made lead keeps their place, now leading)."""
    new, leading = {}, set()
    for row in rows:
        if row.outcome == INVITE:
            continue
        pk = row.membership_id or members[row.email]
        for key, is_lead in [*((key, False) for key in row.groups), *((key, True) for key in row.leads)]:
            place = (pk, group_id(key))
            present = org.places.get(place)
            if present is None:
                new[place] = new.get(place, False) or is_lead
            elif is_lead and not present:
                leading.add(place)
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(organization_id=organization_id, membership_id=pk, group_id=group, is_lead=is_lead)
            for (pk, group), is_lead in new.items()
        ],
        batch_size=_BATCH,
    )
    by_group = {}
    for pk, group in leading:
        by_group.setdefault(group, []).append(pk)
    for group, people in by_group.items():
        GroupMembership.objects.filter(
            organization_id=organization_id, group_id=group, membership_id__in=people
        ).update(is_lead=True)


def _invite(actor, rows, members, membership_id, group_id, send: bool) -> list[Invitation]:
    now = timezone.now()
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                organization_id=actor.organization_id,
                email=row.email,
                full_name=row.name,
                role=row.role or Role.MEMBER,
                job_title=row.job_title or "",
                manager_id=membership_id(row.manager),
                group_ids=sorted({group_id(key) for key in row.groups + row.leads}),
                membership_id=None if row.outcome == INVITE else (row.membership_id or members[row.email]),
                inviter=actor,
                nonce=secrets.token_hex(16),
                expires_at=now + VALID_FOR,
                sent_at=now if send else None,
            )
            for row in rows
            if row.outcome in (NEW, INVITE)
        ],
        batch_size=_BATCH,
    )
    if send and invitations:
        queue_emails(invitations, now)
    return invitations


def queue_emails(invitations, now) -> None:
    """One e-mail per invitation in the outbox; the worker sends them after the commit."""
    InvitationEmail.objects.bulk_create(
        [
            InvitationEmail(
                organization_id=invitation.organization_id,
                invitation_id=invitation.pk,
                nonce=invitation.nonce,
                next_attempt_at=now,
            )
            for invitation in invitations
        ],
        batch_size=_BATCH,
    )
    enqueue_invitation_delivery()


def _deactivate(organization_id: int, plan: Plan) -> int:
    """The people the plan marks as missing and to be deactivated; their open invitations are withdrawn."""
    gone = [entry["membership_id"] for entry in plan.missing if entry["deactivate"]]
    if not gone:
        return 0
    for start in range(0, len(gone), _BATCH):
        chunk = gone[start : start + _BATCH]
        Membership.objects.filter(organization_id=organization_id, pk__in=chunk, is_active=True).update(is_active=False)
        Invitation.objects.filter(
            organization_id=organization_id, membership_id__in=chunk, state=Invitation.State.PENDING
        ).update(state=Invitation.State.REVOKED, revoked_at=timezone.now())
    return len(gone)
