"""``/scim/v2/``: Django's side of scim2-server. The bearer token decides the organization (no
slug in the URL); the request then runs in that organization's scope and language, as a page
does behind the organization middleware, and scim2-server's handler serves it over
``LodestarStorage``. Every answer is ``application/scim+json``; every refusal a SCIM error."""

import json
import logging
from http import HTTPStatus

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from scim2_models import Error, SCIMException, UnauthorizedException
from scim2_server.handler import ScimHandler
from scim2_server.requests import ScimRequest
from scim2_server.responses import ScimResponse
from scim2_server.routing import Operation
from scim2_server.service import ScimService

from lodestar.core.scoping import organization_scope
from lodestar.scim import services
from lodestar.scim.schema import PROVIDER
from lodestar.scim.storage import LodestarStorage

SERVICE = ScimService(PROVIDER)
log = logging.getLogger("lodestar.scim")


@csrf_exempt
def scim(request, path: str = ""):
    base_url = request.build_absolute_uri(reverse("scim_root")).rstrip("/")
    try:
        body = request.body
    except RequestDataTooBig:
        return _send(
            ScimResponse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, Error(status=413, detail="Too large").model_dump())
        )
    scim_request = ScimRequest(
        method=request.method,
        base_url=base_url,
        path="/" + path.removesuffix(".scim"),
        query=dict(request.GET.items()),
        headers=dict(request.headers.items()),
        body=body,
    )
    try:
        response = _serve(scim_request, request)
    except SCIMException as exception:
        response = SERVICE.error_response(exception)
    except Exception:  # a bug: logged with its traceback, answered as a SCIM 500 without details
        log.exception("SCIM %s %s failed", request.method, path)
        response = SERVICE.error_response(RuntimeError())
    return _send(response)


def _serve(scim_request: ScimRequest, request) -> ScimResponse:
    target = SERVICE.match(scim_request)
    if target.operation is Operation.service_provider_config:  # RFC 7643 §5: no authentication
        return SERVICE.service_provider_config(scim_request.url, scim_request.query)
    scheme, _sep, text = (request.headers.get("Authorization") or "").partition(" ")
    token = services.authenticate(text.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise UnauthorizedException(detail="Send a live provisioning token: Authorization: Bearer lsc_…")
    within, wait = services.count_call(token)
    if not within:
        response = ScimResponse(
            HTTPStatus.TOO_MANY_REQUESTS, Error(status=429, detail="Too many requests: slow down").model_dump()
        )
        response.headers["Retry-After"] = str(wait)
        return response
    request.scim_token = token
    organization = token.organization
    with organization_scope(organization), translation.override(organization.language):
        handler = ScimHandler(SERVICE, LodestarStorage(services.actor_for(token)))
        return handler.handle(scim_request)


def _send(response: ScimResponse) -> HttpResponse:
    body = b"" if response.body is None else json.dumps(response.body).encode()
    sent = HttpResponse(body, status=response.status.value, content_type="application/scim+json")
    for name, value in response.headers.items():
        if name.lower() != "content-type":
            sent.headers[name] = value
    sent.headers.setdefault("Cache-Control", "no-store")
    return sent
