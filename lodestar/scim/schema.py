"""What Lodestar's SCIM service publishes: the User and Group attributes it keeps (a subset of
RFC 7643's core schemas, so that an identity provider and the compliance checker see exactly what
round-trips) and its capabilities. Built on scim2-models."""

from typing import Annotated, Any, ClassVar

from pydantic import Field
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    CaseExact,
    ChangePassword,
    ComplexAttribute,
    ETag,
    External,
    Filter,
    Mutability,
    Patch,
    Reference,
    Required,
    Resource,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
)
from scim2_models import Email as CoreEmail
from scim2_models.urn import URN

MAX_RESULTS = 200


class Name(ComplexAttribute):
    formatted: str | None = None
    """The full name, as the identity provider formats it (becomes the person's name in Lodestar)."""

    family_name: str | None = None
    given_name: str | None = None


class Email(ComplexAttribute):
    Type: ClassVar = CoreEmail.Type

    value: Annotated[str | None, Required.true] = None
    """The address the person signs in with (the primary one, else the first)."""

    type: CoreEmail.Type | None = None
    primary: bool | None = None


class UserGroup(ComplexAttribute):
    value: Annotated[str | None, Mutability.read_only, CaseExact.true] = None
    ref: Annotated[Reference["Group"] | None, Mutability.read_only] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    display: Annotated[str | None, Mutability.read_only] = None
    type: Annotated[str | None, Mutability.read_only] = Field(None, examples=["direct"])


class User(Resource[Any]):
    __schema__ = URN("urn:ietf:params:scim:schemas:core:2.0:User")

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    """The identity provider's name for the person (unique in the organization)."""

    name: Name | None = None
    Name: ClassVar[type[ComplexAttribute]] = Name

    display_name: str | None = None
    title: str | None = None
    """The person's job title in this organization."""

    active: bool | None = None
    """False deactivates the person in this organization (their goals stay)."""

    emails: Annotated[list[Email] | None, Required.true] = None
    Emails: ClassVar[type[ComplexAttribute]] = Email

    groups: Annotated[list[UserGroup] | None, Mutability.read_only] = None
    Groups: ClassVar[type[ComplexAttribute]] = UserGroup


class GroupMember(ComplexAttribute):
    value: Annotated[str | None, Mutability.immutable, CaseExact.true] = None
    """The id of a User."""

    ref: Annotated[Reference["User"] | None, Mutability.immutable] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    type: Annotated[str | None, Mutability.immutable] = Field(None, examples=["User"])


class Group(Resource[Any]):
    __schema__ = URN("urn:ietf:params:scim:schemas:core:2.0:Group")

    display_name: Annotated[str | None, Required.true] = None
    members: list[GroupMember] | None = None
    Members: ClassVar[type[ComplexAttribute]] = GroupMember


CONFIG = ServiceProviderConfig(
    documentation_uri=Reference[External]("https://github.com/lodestar-okr/lodestar/blob/main/docs/scim.md"),
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_RESULTS),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=False),
    etag=ETag(supported=False),
    authentication_schemes=[
        AuthenticationScheme(
            type=AuthenticationScheme.Type.oauthbearertoken,
            name="OAuth Bearer Token",
            description="A token an admin makes on the organization's SCIM settings page",
            spec_uri=Reference[External]("https://datatracker.ietf.org/doc/html/rfc6750"),
            primary=True,
        )
    ],
)

PROVIDER = ScimProvider(models=[User, Group], config=CONFIG)
