"""What the tests of outgoing posts (chat channels, webhooks) share: a receiver on 127.0.0.1,
and an active Engineering objective to check in on."""

import http.server
import json
import threading

import pytest

from lodestar.okrs import services as okrs
from tests import factories


class Receiver(http.server.ThreadingHTTPServer):
    """Records every POST (``raw`` bytes and the JSON ``body``); answers 500 to the next
    ``fail_next`` requests, then 200."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)
        self.requests = []
        self.fail_next = 0
        self.lock = threading.Lock()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def paths(self) -> list[str]:
        return [request["path"] for request in self.requests]

    def bodies(self, path: str) -> list[dict]:
        return [request["body"] for request in self.requests if request["path"] == path]


class _ReceiverHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server = self.server
        with server.lock:
            server.requests.append(
                {"path": self.path, "headers": dict(self.headers), "raw": raw, "body": json.loads(raw or b"null")}
            )
            failing = server.fail_next > 0
            if failing:
                server.fail_next -= 1
        status, answer = (500, b"receiver is down") if failing else (200, b"ok")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def goal(cast):
    """An active Engineering objective led by the member, with a metric key result the member owns."""
    objective = factories.objective(
        cast.owner,
        timeframe=cast.quarter,
        title="Ship faster",
        level="group",
        groups=[cast.engineering],
        lead=cast.member,
    )
    key_result = factories.metric(cast.owner, objective, owner=cast.member, title="Deploys per week")
    return objective, key_result


def check_in(cast, key_result, value=5, status="on_track"):
    return okrs.record_check_in(actor=cast.member, key_result=key_result, value=value, status=status)
