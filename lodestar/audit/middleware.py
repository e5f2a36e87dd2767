"""Where a change comes from: the request being answered, for audit rows written deep in services.

Services take no request (the pages, the API, imports and the worker call the same ones), yet the
audit log wants the client's address and browser. ``AuditRequestMiddleware`` keeps the request in
a context variable while the view runs; ``lodestar.audit.services.record`` reads it when its caller
passes no request. Outside a request — the worker, management commands, tests that call services —
there is none, and the row has no address."""

from contextvars import ContextVar

from django.http import HttpRequest

_current_request: ContextVar[HttpRequest | None] = ContextVar("lodestar_audit_request", default=None)


def current_request() -> HttpRequest | None:
    """The request this thread (or task) is answering, if any."""
    return _current_request.get()


class AuditRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
