"""Fixtures of the notification tests: a local SMTP server that Django's mail goes to."""

import pytest

from tests.notifications.smtp import mailers_for, smtp_server


@pytest.fixture
def smtp(settings):
    """An aiosmtpd server on 127.0.0.1; settings.MAILERS sends to it over SMTP."""
    with smtp_server() as recorder:
        settings.MAILERS = mailers_for(recorder)
        yield recorder
