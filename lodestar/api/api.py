"""Lodestar's REST API v1 (django-ninja): ``/api/v1/``, schema at ``/api/v1/openapi.json``,
interactive docs at ``/api/v1/docs``. Operations read through the same selectors and write
through the same services as the pages; errors are ``{"detail": …}`` with a 4xx status."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.pagination import PageNumberPagination, paginate

from lodestar.api.auth import TokenAuth, in_organization
from lodestar.api.schemas import Error, MeOut, ObjectiveOut
from lodestar.core.errors import NotAllowed, NotFound
from lodestar.okrs.access import access_timeframe
from lodestar.okrs.models import KeyResult, Status
from lodestar.okrs.selectors import visible_objectives

api = NinjaAPI(
    title="Lodestar API",
    version="1",
    urls_namespace="api",
    auth=TokenAuth(),
    description="OKRs and KPIs of one organization: the organization of the personal API token you call with.",
)
CLIENT_ERRORS = {401: Error, 404: Error, 422: Error}


@api.exception_handler(NotFound)
def not_found(request, error):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(NotAllowed)
def not_allowed(request, error):
    return api.create_response(request, {"detail": str(error) or "Not allowed."}, status=403)


@api.exception_handler(ValidationError)
def invalid(request, error):
    return api.create_response(request, {"detail": error.messages}, status=422)


@api.get("/me", response={200: MeOut, **CLIENT_ERRORS}, tags=["people"])
@in_organization
def me(request):
    """The person the token belongs to, and its organization."""
    membership = request.auth
    return {
        "id": membership.pk,
        "name": membership.full_name,
        "email": membership.user.email,
        "role": membership.role,
        "organization": {"slug": membership.organization.slug, "name": membership.organization.name},
        "token_scope": request.api_token.scope,
    }


class ObjectiveFilters(Schema):
    timeframe: int | None = None
    lead: int | None = None
    status: Status | None = None
    # A text parsed here: pydantic would also take a bare number as a Unix time, which the schema's
    # date-time does not allow.
    updated_since: str | None = Field(None, json_schema_extra={"format": "date-time"})


def _moment(text: str) -> datetime.datetime:
    moment = parse_datetime(text)
    if moment is None:
        raise ValidationError(_("updated_since: give a date and time like 2026-11-30T09:00:00Z."))
    return moment if moment.tzinfo else timezone.make_aware(moment)


@api.get("/objectives", response={200: list[ObjectiveOut], **CLIENT_ERRORS}, tags=["objectives"])
@in_organization  # outermost: the page is cut from the queryset inside the organization's scope
@paginate(PageNumberPagination, page_size=50)
def objectives(request, filters: Query[ObjectiveFilters]):
    """Objectives the token's person may see, with their key results, newest change first."""
    membership = request.auth
    found = visible_objectives(membership)
    if filters.timeframe is not None:
        found = found.filter(timeframe=access_timeframe(membership, filters.timeframe))
    if filters.lead is not None:
        found = found.filter(lead_id=filters.lead)
    if filters.status is not None:
        found = found.filter(status=filters.status)
    if filters.updated_since is not None:
        found = found.filter(updated_at__gte=_moment(filters.updated_since))
    key_results = KeyResult.objects.filter(organization_id=membership.organization_id).order_by("position", "pk")
    return found.order_by("-updated_at", "-pk").prefetch_related(Prefetch("key_results", queryset=key_results))
