"""The organization's audit log (owners and admins): who did what to its security, when and from
which address. The same rows as the audit log page (lodestar.audit)."""

import datetime
import re
from typing import Annotated, Literal

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from lodestar.api.auth import reads
from lodestar.api.common import CLIENT_ERRORS, pages
from lodestar.audit.actions import ACTIONS
from lodestar.audit.models import AuditEvent
from lodestar.audit.presenting import action_label
from lodestar.core.errors import NotAllowed
from lodestar.orgs.access import access_membership
from lodestar.orgs.models import Membership

router = Router()

AuditAction = Literal[tuple(ACTIONS)]  # the enum of the schema: every code the log records


# RFC 3339, the schema's date-time: with a time zone. Parsed here, as pydantic would also take a
# bare number as a Unix time, which the schema does not allow.
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _moment(value):
    if isinstance(value, str) and _DATE_TIME.fullmatch(value):
        try:
            parsed = datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        except ValueError:  # well-formed but impossible, like month 13
            parsed = None
        if parsed is not None:
            try:
                return parsed.astimezone(datetime.UTC)
            except OverflowError:  # shifted past year 1 or 9999: the first or last moment there is
                edge = datetime.datetime.min if parsed.year == 1 else datetime.datetime.max
                return edge.replace(tzinfo=datetime.UTC)
    raise PydanticCustomError("datetime_type", str(_("Give a date and time like 2026-11-30T09:00:00Z.")))


Moment = Annotated[datetime.datetime, BeforeValidator(_moment)]


class AuditFilters(Schema):
    action: AuditAction | None = Field(None, description="Only this action.")
    actor: int | None = Field(None, gt=0, lt=2**63, description="Only what this person (their id in `/people`) did.")
    since: Moment | None = Field(None, description="Only events at or after this moment (RFC 3339).")
    until: Moment | None = Field(None, description="Only events before this moment (RFC 3339).")


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime.datetime
    action: AuditAction
    action_label: str = Field(description="The action in the caller's language.")
    actor_id: int | None = Field(description="The person who acted (their id in `/people`), if a member here.")
    actor: str = Field(alias="actor_label", description="Who acted, as named then; empty for the system.")
    target_type: str
    target_id: str
    target: str = Field(alias="target_label", description="What it was about, as named then.")
    details: dict = Field(description='What changed: `{"field": [before, after]}`, or other facts of the event.')
    ip_address: str | None = Field(description="The client's address (behind the configured proxies).")
    user_agent: str

    @staticmethod
    def resolve_action_label(event) -> str:
        return action_label(event.action)

    @staticmethod
    def resolve_actor_id(event) -> int | None:
        return event.actor_person


@router.get("/audit-events", response={200: list[AuditEventOut], **CLIENT_ERRORS}, tags=["organization"])
@reads
@pages
def audit_events(request, filters: Query[AuditFilters]):
    """Owners and admins: the organization's audit log, newest first — sign-ins and failed ones,
    roles, people, groups, invitations, settings, tokens and integrations. Others get 403."""
    actor = request.auth
    if not actor.is_admin:
        raise NotAllowed(_("Only owners and admins can read the audit log."))
    people = Membership.objects.filter(organization_id=actor.organization_id, user_id=OuterRef("actor_id"))
    found = AuditEvent.objects.filter(organization_id=actor.organization_id).annotate(
        actor_person=Subquery(people.values("pk")[:1])
    )
    if filters.action is not None:
        found = found.filter(action=filters.action)
    if filters.actor is not None:
        found = found.filter(actor_id=access_membership(actor, filters.actor).user_id)
    if filters.since is not None:
        found = found.filter(occurred_at__gte=filters.since)
    if filters.until is not None:
        found = found.filter(occurred_at__lt=filters.until)
    return found.order_by("-occurred_at", "-pk")
