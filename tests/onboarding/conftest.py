import re

import pytest
from django.core import mail

from lodestar.onboarding.tasks import deliver_invitations


def send_invitations() -> list:
    """Run the worker's invitation task; the e-mails it sent."""
    mail.outbox.clear()
    deliver_invitations.call()
    return list(mail.outbox)


def link_in(message) -> str:
    """The accept link's path in an invitation e-mail."""
    return re.search(r"http://[^/\s]+(/invitations/\S+/)", message.body).group(1)


@pytest.fixture
def invitation_link():
    def latest_link_to(address: str) -> str:
        [message] = [message for message in send_invitations() if address in message.to[0]]
        return link_in(message)

    return latest_link_to
