"""Lodestar's people and groups as scim2-server's storage: reads build SCIM resources from the
organization's memberships and groups (a fixed number of queries per page), writes call
``scim.services``. scim2-server does the protocol (validation, PATCH, PUT, paging, errors)."""

from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Prefetch
from django.db.models.functions import Coalesce
from django.http import Http404
from scim2_models import (
    ForbiddenException,
    InvalidFilterException,
    InvalidValueException,
    Meta,
    NotFoundException,
    ResourceType,
    UniquenessException,
)
from scim2_server.storage import ScimStorage, SearchPage

from lodestar.core.errors import NotAllowed
from lodestar.orgs.actors import SystemActor
from lodestar.orgs.models import Group, GroupMembership
from lodestar.scim import services
from lodestar.scim.filters import GROUP_FIELDS, USER_FIELDS, id_or_none, to_q
from lodestar.scim.models import ScimUser
from lodestar.scim.schema import Email, GroupMember, Name, UserGroup
from lodestar.scim.schema import Group as GroupResource
from lodestar.scim.schema import User as UserResource


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _is_taken(error: ValidationError) -> bool:
    if hasattr(error, "error_dict"):
        return any(item.code == "taken" for items in error.error_dict.values() for item in items)
    return any(item.code == "taken" for item in error.error_list)


class LodestarStorage(ScimStorage):
    def __init__(self, actor: SystemActor):
        self.actor = actor

    @contextmanager
    def operation(self):
        """One SCIM operation, one transaction; the services' refusals become SCIM errors."""
        try:
            with transaction.atomic():
                yield
        except ValidationError as error:
            if _is_taken(error):
                raise UniquenessException(detail=_messages(error)) from None
            raise InvalidValueException(detail=_messages(error)) from None
        except NotAllowed as error:
            raise ForbiddenException(detail=str(error)) from None
        except Http404:
            raise NotFoundException() from None

    # -- reading ----------------------------------------------------------------------------------

    def users(self):
        groups = GroupMembership.objects.filter(organization_id=self.actor.organization_id).select_related("group")
        return (
            services.provisioned_people(self.actor)
            .select_related("user", "scim_user")
            .annotate(
                scim_user_name=Coalesce("scim_user__user_name", "user__email", output_field=CharField()),
                scim_display_name=Coalesce("scim_user__display_name", "user__full_name", output_field=CharField()),
            )
            .prefetch_related(Prefetch("group_memberships", queryset=groups.order_by("group__name", "pk")))
            .order_by("pk")
        )

    def groups(self):
        visible = GroupMembership.objects.filter(
            organization_id=self.actor.organization_id, membership__in=services.provisioned_people(self.actor)
        ).order_by("membership_id")
        return (
            Group.objects.filter(organization_id=self.actor.organization_id)
            .select_related("scim_group")
            .prefetch_related(Prefetch("group_memberships", queryset=visible))
            .order_by("pk")
        )

    def get(self, resource_type: ResourceType, resource_id: str, *, response_parameters=None):
        pk = id_or_none(resource_id)
        found = None
        if pk is not None:
            found = (self.users() if resource_type.name == "User" else self.groups()).filter(pk=pk).first()
        if found is None:
            raise NotFoundException(detail=f"{resource_type.name} {resource_id!r} not found")
        return user_resource(found) if resource_type.name == "User" else group_resource(found)

    def search(self, resource_types: list[ResourceType], search_request, *, position: Any = None) -> SearchPage:
        """One type's resources, or (a search at the root) the Users then the Groups, paged as one
        list. At the root an attribute only one type has matches none of the other's."""
        kinds = [
            (self.users, USER_FIELDS, user_resource)
            if rt.name == "User"
            else (self.groups, GROUP_FIELDS, group_resource)
            for rt in resource_types
        ]
        selections, refusals = [], []
        for queryset, fields, build in kinds:
            found = queryset()
            if search_request.filter is not None:
                try:
                    matching = to_q(search_request.filter.ast, fields)
                except InvalidFilterException as error:
                    if len(kinds) == 1:
                        raise
                    refusals.append(error)
                    found = found.none()
                else:
                    found = found.filter(pk__in=queryset().filter(matching).values("pk"))
            selections.append((found, found.count(), build))
        if len(refusals) == len(kinds):  # no searched type has the attribute
            raise refusals[0]
        total = sum(count for _found, count, _build in selections)
        start, count = search_request.start_index_0 or 0, search_request.count
        remaining = total if count is None else count
        page = []
        for found, found_count, build in selections:
            if remaining <= 0:
                break
            if start >= found_count:
                start -= found_count
                continue
            items = list(found[start : start + remaining])
            page.extend(build(item) for item in items)
            remaining -= len(items)
            start = 0
        return SearchPage(total, page)

    # -- writing ----------------------------------------------------------------------------------

    def create(self, resource_type: ResourceType, resource):
        if resource_type.name == "User":
            membership = services.create_person(actor=self.actor, **_person_fields(resource, current=None))
            return self.get(resource_type, str(membership.pk))
        group = services.create_group(actor=self.actor, **_group_fields(resource))
        return self.get(resource_type, str(group.pk))

    def update(self, resource_type: ResourceType, resource, *, expected_version: str | None = None):
        pk = id_or_none(resource.id)
        if resource_type.name == "User":
            membership = self.users().filter(pk=pk).first()
            if membership is None:
                raise NotFoundException()
            fields = _person_fields(resource, current=user_resource(membership))
            services.update_person(actor=self.actor, membership=membership, **fields)
        else:
            group = self.groups().filter(pk=pk).first()
            if group is None:
                raise NotFoundException()
            services.update_group(actor=self.actor, group=group, **_group_fields(resource))
        return self.get(resource_type, resource.id)

    def delete(self, resource_type: ResourceType, resource_id: str, *, expected_version: str | None = None) -> None:
        pk = id_or_none(resource_id)
        if resource_type.name == "User":
            membership = self.users().filter(pk=pk).first()
            if membership is None:
                raise NotFoundException()
            services.delete_person(actor=self.actor, membership=membership)
        else:
            group = self.groups().filter(pk=pk).first()
            if group is None:
                raise NotFoundException()
            services.delete_group(actor=self.actor, group=group)


# --- Lodestar → SCIM ---------------------------------------------------------------------------


def user_resource(membership) -> UserResource:
    user = membership.user
    identity: ScimUser | None = getattr(membership, "scim_user", None)
    if identity is not None:
        name = Name(
            formatted=(identity.name or {}).get("formatted"),
            given_name=(identity.name or {}).get("givenName"),
            family_name=(identity.name or {}).get("familyName"),
        )
        name = name if (identity.name or {}) else None
        emails = _emails(identity.emails, user.email)
        display_name = identity.display_name or None
        active = membership.is_active if identity.states_active else None
        last_modified = max(identity.updated_at, membership.joined_at)
    else:
        name = Name(formatted=user.full_name) if user.full_name else None
        emails = [Email(value=user.email, type=Email.Type.work, primary=True)]
        display_name = user.full_name or None
        active = membership.is_active
        last_modified = membership.joined_at
    return UserResource(
        id=str(membership.pk),
        external_id=(identity.external_id or None) if identity is not None else None,
        meta=Meta(resource_type="User", created=membership.joined_at, last_modified=last_modified),
        user_name=membership.scim_user_name,
        name=name,
        display_name=display_name,
        title=membership.job_title or None,
        active=active,
        emails=emails,
        groups=[
            UserGroup(value=str(link.group_id), ref=f"Groups/{link.group_id}", display=link.group.name, type="direct")
            for link in membership.group_memberships.all()
        ]
        or None,
    )


def _emails(stored: list, address: str) -> list[Email]:
    """The entries as the identity provider sent them; the sign-in one shows the account's address."""
    entries = [dict(entry) for entry in stored if isinstance(entry, dict)] or [{"type": "work", "primary": True}]
    main = next((entry for entry in entries if entry.get("primary")), entries[0])
    main["value"] = address
    return [Email(value=entry.get("value"), type=entry.get("type"), primary=entry.get("primary")) for entry in entries]


def group_resource(group) -> GroupResource:
    identity = getattr(group, "scim_group", None)
    last_modified = identity.updated_at if identity is not None else group.created_at
    return GroupResource(
        id=str(group.pk),
        external_id=(identity.external_id or None) if identity is not None else None,
        meta=Meta(resource_type="Group", created=group.created_at, last_modified=max(last_modified, group.created_at)),
        display_name=group.name,
        members=[
            GroupMember(value=str(link.membership_id), ref=f"Users/{link.membership_id}", type="User")
            for link in group.group_memberships.all()
        ]
        or None,
    )


# --- SCIM → Lodestar ---------------------------------------------------------------------------


def _name_dict(name: Name | None) -> dict:
    if name is None:
        return {}
    values = {"formatted": name.formatted, "givenName": name.given_name, "familyName": name.family_name}
    return {key: value for key, value in values.items() if value}


def _joined(name: dict) -> str:
    return " ".join(part for part in (name.get("givenName"), name.get("familyName")) if part)


def _person_fields(resource: UserResource, *, current: UserResource | None) -> dict:
    entries = [
        {
            "value": str(entry.value),
            "type": str(entry.type.value if hasattr(entry.type, "value") else entry.type) if entry.type else None,
            "primary": entry.primary,
        }
        for entry in resource.emails or []
        if entry.value
    ]
    main = next((entry for entry in entries if entry.get("primary")), entries[0] if entries else None)
    email = main["value"] if main else (resource.user_name if "@" in (resource.user_name or "") else None)
    if not email:
        raise InvalidValueException(detail="A person needs an e-mail address (emails) to sign in with")
    name = _name_dict(resource.name)
    if current is None:  # a new person: the fullest name the provider gives
        full_name = name.get("formatted") or _joined(name) or (resource.display_name or "")
    else:  # only a name the provider changed replaces the one in Lodestar
        before = _name_dict(current.name)
        if name.get("formatted") and name.get("formatted") != before.get("formatted"):
            full_name = name["formatted"]
        elif _joined(name) and _joined(name) != _joined(before):
            full_name = _joined(name)
        else:
            full_name = None
    fields = {
        "email": email,
        "full_name": full_name,
        "job_title": resource.title or "",
        "active": True if current is None and resource.active is None else resource.active,
        "scim": {
            "user_name": resource.user_name,
            "external_id": resource.external_id or "",
            "display_name": resource.display_name or "",
            "name": name or None,
            "emails": [{key: value for key, value in entry.items() if value is not None} for entry in entries],
            "states_active": current is None or resource.active is not None,
        },
    }
    return fields


def _group_fields(resource: GroupResource) -> dict:
    member_ids = []
    for member in resource.members or []:
        pk = id_or_none(member.value)
        if pk is None:
            raise InvalidValueException(detail=f"No such person here: {member.value!r}")
        member_ids.append(pk)
    return {"name": resource.display_name or "", "external_id": resource.external_id or "", "member_ids": member_ids}
