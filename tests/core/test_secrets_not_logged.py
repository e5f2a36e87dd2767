"""Links that are authority in themselves (invitations, the first-run setup, password reset, e-mail
confirmation, unsubscribe, a feed's secret URL) never reach a log line whole: Django's request
warnings and runserver's request lines show [secret] in their place."""

import contextlib
import io
import logging
from contextlib import contextmanager

import pytest

SECRET = "Zq9SECRETvalue-123"


@contextmanager
def captured(logger_name: str):
    """What the handlers settings.LOGGING gives ``logger_name`` (or, when it propagates, the root's) write."""
    logger = logging.getLogger(logger_name)
    handlers = logger.handlers if logger.handlers else logging.getLogger().handlers
    buffer = io.StringIO()
    streams = [
        (handler, handler.setStream(buffer))
        for handler in handlers
        if isinstance(handler, logging.StreamHandler) and not type(handler).__module__.startswith("_pytest")
    ]
    assert streams, f"no stream handler for {logger_name}"
    try:
        yield buffer
    finally:
        for handler, stream in streams:
            handler.setStream(stream)


@pytest.mark.parametrize(
    "path",
    [
        f"/invitations/{SECRET}/",
        f"/setup/?token={SECRET}",
        f"/accounts/password/reset/key/1-{SECRET}/",
        f"/accounts/confirm-email/{SECRET}/",
        f"/unsubscribe/{SECRET}/",
        f"/api/v1/feeds/lsf_0123456789ab_{SECRET}",
    ],
)
def test_runservers_request_line_shows_no_secret(path):
    with captured("django.server") as log:
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"GET {path} HTTP/1.1", "200", "512", extra={"server_time": "now", "status_code": 200}
        )
    assert SECRET not in log.getvalue()
    assert "[secret]" in log.getvalue()


def test_a_refused_feed_url_is_logged_without_its_secret(client, db):
    with captured("django.request") as log:
        response = client.post(
            f"/api/v1/feeds/lsf_0123456789ab_{SECRET}", {"value": 1}, content_type="application/json"
        )
    assert response.status_code == 404
    assert "/api/v1/feeds/[secret]" in log.getvalue()
    assert SECRET not in log.getvalue()


def test_a_refused_invitation_link_is_logged_without_its_secret(client, db):
    with captured("django.request") as log:
        client.get(f"/invitations/{SECRET}/")
        client.post(f"/invitations/{SECRET}/", {"password1": "x", "password2": "x"})
    assert SECRET not in log.getvalue()


def test_ids_of_pages_stay_readable_in_the_log():
    from lodestar.core.logs import redact

    assert redact("/acme/feeds/12/delete/") == "/acme/feeds/12/delete/"
    assert redact("/acme/people/invitations/7/resend/") == "/acme/people/invitations/7/resend/"


def test_error_reports_hide_the_passwords_and_token_of_the_invitation_and_setup_forms(rf):
    from django.views.debug import SafeExceptionReporterFilter

    from lodestar.onboarding import views

    for view, fields in ((views.accept, ("password1", "password2")), (views.first_run_setup, ("token", "password1"))):
        request = rf.post("/x/", dict.fromkeys(fields, SECRET))
        # The view may fail without a session: only how it marks the request matters here.
        with contextlib.suppress(Exception):
            view(request, token=SECRET) if view is views.accept else view(request)
        cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
        assert all(cleaned[field] != SECRET for field in fields), view.__name__
