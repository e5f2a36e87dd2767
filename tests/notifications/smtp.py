"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, recording every message it accepts.

``smtp_server()`` is a context manager (tests/notifications/conftest.py builds the ``smtp``
fixture on it) that yields a ``Recorder``: ``recorder.messages`` are the messages received, parsed with the ``email``
package (To, Subject, headers, the text and the HTML part). ``recorder.on_rcpt`` may be set to a
callable that runs when a RCPT TO arrives, before it is accepted; it gets the number of that
RCPT (1, 2, …) and the address, and may return an SMTP reply (e.g. ``"451 …"``) to refuse it.
"""

import contextlib
import email
import email.policy
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses

from aiosmtpd.controller import Controller


@dataclass
class Received:
    """One message as it arrived over SMTP."""

    envelope_to: list[str]
    message: EmailMessage
    raw: bytes = field(repr=False)

    @property
    def to(self) -> str:
        return str(self.message["To"])

    @property
    def to_addresses(self) -> list[str]:
        return [address.lower() for _, address in getaddresses([self.to])]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def header(self, name: str) -> str | None:
        value = self.message[name]
        return None if value is None else str(value)

    def _part(self, content_type: str) -> str | None:
        for part in self.message.walk():
            if part.get_content_type() == content_type and not part.is_attachment():
                return part.get_content()
        return None

    @property
    def text(self) -> str | None:
        return self._part("text/plain")

    @property
    def html(self) -> str | None:
        return self._part("text/html")


class Recorder:
    """The aiosmtpd handler: keeps what arrives, lets a test wait for it."""

    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.rcpt_count = 0
        self.on_rcpt: Callable[[int, str], str | None] | None = None
        self._changed = threading.Condition()
        self.host, self.port = "", 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        with self._changed:
            self.rcpt_count += 1
            number = self.rcpt_count
        if self.on_rcpt is not None:
            reply = self.on_rcpt(number, address)
            if reply:
                return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with self._changed:
            self.messages.append(Received(list(envelope.rcpt_tos), message, raw))
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    # --- reading -----------------------------------------------------------------------------

    def to(self, address: str) -> list[Received]:
        """The messages addressed (To header) to an e-mail address."""
        address = address.lower()
        with self._changed:
            return [m for m in self.messages if address in m.to_addresses]

    def count_by_recipient(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self._changed:
            for message in self.messages:
                for address in message.to_addresses:
                    counts[address] = counts.get(address, 0) + 1
        return counts

    def wait_for(self, condition: Callable[[list[Received]], bool], timeout: float) -> bool:
        """Wait until ``condition(messages)`` holds; False when the time ran out."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition(self.messages):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 0.2))
            return True

    def clear(self) -> None:
        """Forget what arrived so far (and start counting RCPTs from 1 again)."""
        with self._changed:
            self.messages.clear()
            self.rcpt_count = 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def smtp_server() -> Iterator[Recorder]:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), ready_timeout=10)
    controller.start()
    recorder.host, recorder.port = controller.hostname, controller.port
    try:
        yield recorder
    finally:
        controller.stop()


def mailers_for(recorder: Recorder) -> dict:
    """A MAILERS setting that sends to the recorder over SMTP."""
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": recorder.host, "port": recorder.port, "timeout": 10},
        }
    }
