"""The caller's organization, its people, groups and timeframes."""

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from lodestar.api.auth import reads, writes
from lodestar.api.common import CLIENT_ERRORS, changes, pages, resolve, resolve_all
from lodestar.api.contract import Choice, Patch
from lodestar.api.schemas import (
    GroupIn,
    GroupMemberIn,
    GroupOut,
    InvitationOut,
    OrganizationDetailOut,
    OrganizationIn,
    PersonChange,
    PersonIn,
    PersonOut,
    TimeframeIn,
    TimeframeOut,
)
from lodestar.core.errors import NotAllowed, NotFound
from lodestar.core.validation import clean_search
from lodestar.okrs import services as okrs
from lodestar.okrs.access import access_timeframe
from lodestar.okrs.models import Timeframe
from lodestar.onboarding import services as onboarding
from lodestar.onboarding.models import Invitation
from lodestar.orgs import services as orgs
from lodestar.orgs.access import access_group, access_membership
from lodestar.orgs.models import Group, Membership, Role

router = Router()


@router.get("/organization", response={200: OrganizationDetailOut, **CLIENT_ERRORS}, tags=["organization"])
@reads
def organization(request):
    """The organization the caller belongs to (a token belongs to exactly one)."""
    return request.auth.organization


@router.patch("/organization", response={200: OrganizationDetailOut, **CLIENT_ERRORS}, tags=["organization"])
@writes
def change_organization(request, payload: Patch[OrganizationIn]):
    """Admins: name, language, time zone and check-in weekday (1 Monday … 7 Sunday)."""
    organization = request.auth.organization
    current = {field: getattr(organization, field) for field in OrganizationIn.model_fields}
    return orgs.update_organization_settings(actor=request.auth, **{**current, **changes(payload)})


# --- people --------------------------------------------------------------------------------------


class PeopleFilters(Schema):
    group: int | None = None
    role: Choice(Role) | None = None
    is_active: bool | None = None
    search: str | None = None


@router.get("/people", response={200: list[PersonOut], **CLIENT_ERRORS}, tags=["people"])
@reads
@pages
def people(request, filters: Query[PeopleFilters]):
    found = Membership.objects.filter(organization_id=request.auth.organization_id).select_related("user")
    if filters.group is not None:
        found = found.filter(group_memberships__group=access_group(request.auth, filters.group))
    if filters.role is not None:
        found = found.filter(role=filters.role)
    if filters.is_active is not None:
        found = found.filter(is_active=filters.is_active)
    search = clean_search(filters.search)
    if search:
        found = found.filter(Q(user__full_name__icontains=search) | Q(user__email__icontains=search))
    return found.order_by("user__full_name", "pk")


@router.get("/people/{person_id}", response={200: PersonOut, **CLIENT_ERRORS}, tags=["people"])
@reads
def person(request, person_id: int):
    return access_membership(request.auth, person_id)


@router.post("/people", response={201: PersonOut, 202: InvitationOut, **CLIENT_ERRORS}, tags=["people"])
@writes
def add_person(request, payload: PersonIn):
    """Admins: invite a person by e-mail. A new address is a person at once (201, their invitation
    pending); an address that has an account joins when its holder accepts (202, the invitation)."""
    invitation = _invite(request.auth, payload)
    if invitation.membership_id is None:
        return Status(202, invitation)
    return Status(201, invitation.membership)


def _invite(actor, payload: PersonIn):
    fields = payload.dict()
    fields["manager"] = resolve(actor, access_membership, fields["manager"], field="manager")
    fields["groups"] = resolve_all(actor, access_group, fields["groups"], field="groups")
    return onboarding.invite(actor=actor, **fields)


@router.get("/invitations", response={200: list[InvitationOut], **CLIENT_ERRORS}, tags=["people"])
@reads
@pages
def invitations(request):
    """Admins: every invitation, newest first."""
    require_admin(request.auth)
    return Invitation.objects.filter(organization_id=request.auth.organization_id).order_by("-created_at", "-pk")


@router.post("/invitations", response={201: InvitationOut, **CLIENT_ERRORS}, tags=["people"])
@writes
def invite(request, payload: PersonIn):
    """Admins: invite a person by e-mail (as ``POST /people``, answering with the invitation)."""
    return Status(201, _invite(request.auth, payload))


@router.delete("/invitations/{invitation_id}", response={204: None, **CLIENT_ERRORS}, tags=["people"])
@writes
def withdraw_invitation(request, invitation_id: int):
    """Admins: withdraw a pending invitation; its link stops working."""
    actor = request.auth
    invitation = Invitation.objects.filter(organization_id=actor.organization_id, pk=invitation_id).first()
    if invitation is None:
        raise NotFound
    onboarding.revoke(actor=actor, invitation=invitation)
    return Status(204, None)


@router.patch("/people/{person_id}", response={200: PersonOut, **CLIENT_ERRORS}, tags=["people"])
@writes
def change_person(request, person_id: int, payload: Patch[PersonChange]):
    """Admins: role, job title, manager, active, OKR ambassador."""
    payload = changes(payload)
    actor = request.auth
    if "manager" in payload:
        payload["manager"] = resolve(actor, access_membership, payload["manager"], field="manager")
    return orgs.update_membership(actor=actor, membership=access_membership(actor, person_id), **payload)


@router.delete("/people/{person_id}", response={204: None, **CLIENT_ERRORS}, tags=["people"])
@writes
def deactivate_person(request, person_id: int):
    """Admins: deactivate (people keep their history, so they are never erased through the API)."""
    actor = request.auth
    orgs.update_membership(actor=actor, membership=access_membership(actor, person_id), is_active=False)
    return Status(204, None)


# --- groups --------------------------------------------------------------------------------------


class GroupFilters(Schema):
    parent: int | None = None


@router.get("/groups", response={200: list[GroupOut], **CLIENT_ERRORS}, tags=["groups"])
@reads
@pages
def groups(request, filters: Query[GroupFilters]):
    found = Group.objects.filter(organization_id=request.auth.organization_id)
    if filters.parent is not None:
        found = found.filter(parent=access_group(request.auth, filters.parent))
    return found.order_by("name", "pk")


@router.get("/groups/{group_id}", response={200: GroupOut, **CLIENT_ERRORS}, tags=["groups"])
@reads
def group(request, group_id: int):
    return access_group(request.auth, group_id)


@router.post("/groups", response={201: GroupOut, **CLIENT_ERRORS}, tags=["groups"])
@writes
def create_group(request, payload: GroupIn):
    actor = request.auth
    fields = payload.dict()
    fields["parent"] = resolve(actor, access_group, fields["parent"], field="parent")
    return Status(201, orgs.create_group(actor=actor, **fields))


@router.patch("/groups/{group_id}", response={200: GroupOut, **CLIENT_ERRORS}, tags=["groups"])
@writes
def change_group(request, group_id: int, payload: Patch[GroupIn]):
    payload = changes(payload)
    actor = request.auth
    if "parent" in payload:
        payload["parent"] = resolve(actor, access_group, payload["parent"], field="parent")
    return orgs.update_group(actor=actor, group=access_group(actor, group_id), **payload)


@router.delete("/groups/{group_id}", response={204: None, **CLIENT_ERRORS}, tags=["groups"])
@writes
def delete_group(request, group_id: int):
    orgs.delete_group(actor=request.auth, group=access_group(request.auth, group_id))
    return Status(204, None)


@router.put("/groups/{group_id}/members", response={204: None, **CLIENT_ERRORS}, tags=["groups"])
@writes
def set_group_member(request, group_id: int, payload: GroupMemberIn):
    """Admins: add a person to the group, or change whether they lead it."""
    actor = request.auth
    person = resolve(actor, access_membership, payload.person, field="person")
    orgs.set_group_member(actor=actor, group=access_group(actor, group_id), membership=person, is_lead=payload.is_lead)
    return Status(204, None)


@router.delete("/groups/{group_id}/members/{person_id}", response={204: None, **CLIENT_ERRORS}, tags=["groups"])
@writes
def remove_group_member(request, group_id: int, person_id: int):
    actor = request.auth
    orgs.remove_group_member(
        actor=actor, group=access_group(actor, group_id), membership=access_membership(actor, person_id)
    )
    return Status(204, None)


# --- timeframes ----------------------------------------------------------------------------------


class TimeframeFilters(Schema):
    state: Choice(Timeframe.State) | None = None


@router.get("/timeframes", response={200: list[TimeframeOut], **CLIENT_ERRORS}, tags=["timeframes"])
@reads
@pages
def timeframes(request, filters: Query[TimeframeFilters]):
    found = Timeframe.objects.filter(organization_id=request.auth.organization_id)
    if filters.state is not None:
        found = found.filter(state=filters.state)
    return found.order_by("-starts_on", "pk")


@router.get("/timeframes/{timeframe_id}", response={200: TimeframeOut, **CLIENT_ERRORS}, tags=["timeframes"])
@reads
def timeframe(request, timeframe_id: int):
    return access_timeframe(request.auth, timeframe_id)


@router.post("/timeframes", response={201: TimeframeOut, **CLIENT_ERRORS}, tags=["timeframes"])
@writes
def create_timeframe(request, payload: TimeframeIn):
    return Status(201, okrs.create_timeframe(actor=request.auth, **payload.dict()))


@router.patch("/timeframes/{timeframe_id}", response={200: TimeframeOut, **CLIENT_ERRORS}, tags=["timeframes"])
@writes
def change_timeframe(request, timeframe_id: int, payload: Patch[TimeframeIn]):
    payload = changes(payload)
    actor = request.auth
    return okrs.update_timeframe(actor=actor, timeframe=access_timeframe(actor, timeframe_id), **payload)


@router.delete("/timeframes/{timeframe_id}", response={204: None, **CLIENT_ERRORS}, tags=["timeframes"])
@writes
def delete_timeframe(request, timeframe_id: int):
    okrs.delete_timeframe(actor=request.auth, timeframe=access_timeframe(request.auth, timeframe_id))
    return Status(204, None)


def require_admin(actor) -> None:
    if not actor.is_admin:
        raise NotAllowed(_("Only admins can invite people."))
