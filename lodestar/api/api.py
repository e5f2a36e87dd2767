"""Lodestar's REST API v1 (django-ninja): ``/api/v1/``, schema at ``/api/v1/openapi.json``,
interactive docs at ``/api/v1/docs``. Operations read through the same access helpers and
selectors and write through the same services as the pages; errors are ``{"detail": …}`` with
a 4xx status."""

import ninja.errors
from django.core.exceptions import ValidationError

from lodestar.api.auth import BrowserSessionAuth, PerCallerThrottle, TokenAuth, reads
from lodestar.api.common import CLIENT_ERRORS, RequestInvalid
from lodestar.api.contract import ContractAPI
from lodestar.api.endpoints import audit, comments, feeds, goals, kpis, organization
from lodestar.api.schemas import MeOut
from lodestar.core.errors import NotAllowed, NotFound

api = ContractAPI(
    title="Lodestar API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), BrowserSessionAuth()],
    throttle=[PerCallerThrottle()],
    description=(
        "OKRs and KPIs of one organization: the organization of the personal API token you call with "
        "(`Authorization: Bearer lsk_…`). Writes need a read-and-write token and follow the same "
        'permission rules as the pages. Errors answer `{"detail": …}` with a 4xx status: 422 when '
        "the request does not match this schema, 409 when it does but Lodestar's rules or the organization's "
        "data refuse it (the detail names the fields and why)."
    ),
)


@api.exception_handler(NotFound)
def not_found(request, error):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(NotAllowed)
def not_allowed(request, error):
    return api.create_response(request, {"detail": str(error) or "Not allowed."}, status=403)


@api.exception_handler(ValidationError)
def refused(request, error):
    """A service's rule refused a request the schema allows: 409, the messages by field."""
    detail = error.message_dict if hasattr(error, "error_dict") else error.messages
    return api.create_response(request, {"detail": detail}, status=409)


@api.exception_handler(ninja.errors.ValidationError)
def schema_refused(request, error):
    """422: what the request breaks, located in the request as sent (``["body", "title"]``, not in
    the view's parameter that holds the body)."""
    problems = []
    for problem in error.errors:
        location = list(problem.get("loc", ()))
        if location[:1] == ["body"] and len(location) > 1 and location[1] in BODY_PARAMETERS:
            del location[1]
        problems.append({**problem, "loc": location})
    return api.create_response(request, {"detail": problems}, status=422)


BODY_PARAMETERS = {"payload"}


@api.exception_handler(RequestInvalid)
def invalid(request, error):
    return api.create_response(request, {"detail": error.messages}, status=422)


@api.get("/me", response={200: MeOut, **CLIENT_ERRORS}, tags=["people"])
@reads
def me(request):
    """The person calling, and their organization."""
    membership = request.auth
    token = request.api_token
    return {
        "id": membership.pk,
        "name": membership.full_name,
        "email": membership.user.email,
        "role": membership.role,
        "organization": {"slug": membership.organization.slug, "name": membership.organization.name},
        "token_scope": token.scope if token is not None else "session",
    }


api.add_router("", organization.router)
api.add_router("", goals.router)
api.add_router("", kpis.router)
api.add_router("", comments.router)
api.add_router("", feeds.router)
api.add_router("", audit.router)
