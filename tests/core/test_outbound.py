"""Outbound calls (chat webhooks) reach only what they may, go to the vetted address, follow no
redirect, and are bounded in time and size. Every server here runs on 127.0.0.1; the refused
addresses are literal IPs or ``localhost``, so nothing is looked up or contacted outside."""

import contextlib
import http.server
import socket
import threading
import time

import pytest

from lodestar.core import outbound


class _Recorder(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, answer):
        self.answer = answer  # path -> (status, headers, body)
        self.requests = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self._answer()

    def do_GET(self):
        self._answer()

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append((self.command, self.path, dict(self.headers), body))
        status, headers, payload = self.server.answer(self.path)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    """serve(answer) starts a recording server on 127.0.0.1 that answers with answer(path)."""
    servers = []

    def start(answer):
        server = _Recorder(answer)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


# --- vet -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["ftp://127.0.0.1/hook", "file:///etc/passwd", "gopher://127.0.0.1/", "javascript:alert(1)", "http:///no-host"],
)
def test_only_http_and_https_are_called(url):
    with pytest.raises(outbound.RefusedURL, match="Only http and https"):
        outbound.vet(url)


@pytest.mark.parametrize("url", ["http://user:secret@127.0.0.1/hook", "https://user@127.0.0.1/hook"])
def test_a_url_with_credentials_is_refused_even_when_its_host_is_allowed(url):
    with pytest.raises(outbound.RefusedURL, match="user name or password"):
        outbound.vet(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://127.1.2.3:8080/hook",
        "http://[::1]/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.20/hook",
        "http://172.16.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[::ffff:169.254.169.254]/hook",
        "http://[fe80::1]/hook",
        "http://[fc00::1]/hook",
        "http://localhost/hook",
    ],
)
def test_internal_addresses_are_refused_without_the_allow_list(settings, url):
    settings.LODESTAR_OUTBOUND_ALLOWED = []
    with pytest.raises(outbound.RefusedURL, match="internal address"):
        outbound.vet(url)


def test_the_allow_list_admits_exactly_the_listed_address_or_network(settings):
    settings.LODESTAR_OUTBOUND_ALLOWED = ["127.0.0.1"]
    assert outbound.vet("http://127.0.0.1:8080/hook") == ("http", "127.0.0.1", 8080, "127.0.0.1")
    assert outbound.vet("https://127.0.0.1/hook") == ("https", "127.0.0.1", 443, "127.0.0.1")
    for other in ("http://127.0.0.2/hook", "http://10.0.0.5/hook", "http://169.254.169.254/latest"):
        with pytest.raises(outbound.RefusedURL):
            outbound.vet(other)

    settings.LODESTAR_OUTBOUND_ALLOWED = ["10.0.0.0/8"]
    assert outbound.vet("http://10.20.30.40/hook")[3] == "10.20.30.40"
    with pytest.raises(outbound.RefusedURL):
        outbound.vet("http://127.0.0.1/hook")


def test_a_host_that_cannot_be_resolved_is_refused_with_its_name():
    with pytest.raises(outbound.RefusedURL, match="could not be found"):
        outbound.vet("http://no-such-host.invalid/hook")


def test_post_json_refuses_before_connecting(settings):
    settings.LODESTAR_OUTBOUND_ALLOWED = []
    with pytest.raises(outbound.RefusedURL):
        outbound.post_json("http://127.0.0.1:9/hook", b"{}")


# --- post_json -------------------------------------------------------------------------------


def test_post_json_posts_the_body_as_json_to_the_path_and_query(serve):
    server = serve(lambda path: (200, {}, b"ok"))
    response = outbound.post_json(server.base + "/hooks/T1?x=1", b'{"text": "hi"}', headers={"X-Extra": "1"})
    assert (response.status, response.body) == (200, b"ok")
    [(method, path, headers, body)] = server.requests
    assert (method, path, body) == ("POST", "/hooks/T1?x=1", b'{"text": "hi"}')
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == "Lodestar"
    assert headers["X-Extra"] == "1"


def test_a_redirect_is_answered_not_followed(serve):
    def answer(path):
        if path == "/hook":
            return 302, {"Location": "/elsewhere"}, b""
        return 200, {}, b"followed"

    server = serve(answer)
    response = outbound.post_json(server.base + "/hook", b"{}")
    assert response.status == 302
    assert [path for _, path, _, _ in server.requests] == ["/hook"]


def test_a_redirect_to_another_local_server_is_not_followed_either(serve):
    target = serve(lambda path: (200, {}, b"followed"))
    source = serve(lambda path: (307, {"Location": target.base + "/inside"}, b""))
    response = outbound.post_json(source.base + "/hook", b"{}")
    assert response.status == 307
    assert target.requests == []


def test_a_large_answer_is_cut_at_64_kib(serve):
    server = serve(lambda path: (200, {}, b"x" * (200 * 1024)))
    response = outbound.post_json(server.base + "/hook", b"{}")
    assert response.status == 200
    assert len(response.body) == outbound.MAX_RESPONSE_BYTES == 64 * 1024


def test_a_server_that_never_answers_raises_oserror_within_the_timeout(monkeypatch):
    monkeypatch.setattr(outbound, "TIMEOUT_SECONDS", 1)
    silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)  # connections are accepted by the kernel; nothing ever answers
    try:
        started = time.monotonic()
        with pytest.raises(OSError):
            outbound.post_json(f"http://127.0.0.1:{silent.getsockname()[1]}/hook", b"{}")
        assert time.monotonic() - started < 3
    finally:
        silent.close()


def test_a_closed_port_raises_oserror():
    with pytest.raises(OSError):
        outbound.post_json("http://127.0.0.1:9/hook", b"{}")


def test_a_garbled_answer_raises_oserror(monkeypatch):
    monkeypatch.setattr(outbound, "TIMEOUT_SECONDS", 2)
    garbler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    garbler.bind(("127.0.0.1", 0))
    garbler.listen(5)

    def talk():
        connection, _ = garbler.accept()
        connection.recv(65536)
        connection.sendall(b"this is not HTTP\r\n\r\n")
        connection.close()

    threading.Thread(target=talk, daemon=True).start()
    try:
        with pytest.raises(OSError):
            outbound.post_json(f"http://127.0.0.1:{garbler.getsockname()[1]}/hook", b"{}")
    finally:
        garbler.close()


def test_a_receiver_that_trickles_its_answer_is_cut_off_within_the_timeout(monkeypatch):
    monkeypatch.setattr(outbound, "TIMEOUT_SECONDS", 1)
    trickler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    trickler.bind(("127.0.0.1", 0))
    trickler.listen(5)

    def talk():
        connection, _ = trickler.accept()
        try:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
            for _ in range(12):  # one byte every 0.4 s: never idle for a whole second, 4.8 s in all
                time.sleep(0.4)
                connection.sendall(b"x")
        except OSError:
            pass
        finally:
            connection.close()

    threading.Thread(target=talk, daemon=True).start()
    try:
        started = time.monotonic()
        with contextlib.suppress(OSError):
            outbound.post_json(f"http://127.0.0.1:{trickler.getsockname()[1]}/hook", b"{}")
        assert time.monotonic() - started < 3
    finally:
        trickler.close()
