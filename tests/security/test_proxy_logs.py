"""The proxies' access logs leave out the secrets some URLs carry, as Lodestar's own logs do
(lodestar/core/logs.py): the real nginx and Caddy run deploy/nginx.conf and deploy/Caddyfile on
127.0.0.1 in front of a tiny upstream, and each logged URL must be what `redact` makes of it.
`make proxies` installs both (Debian's packages); a missing one fails these tests."""

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lodestar.core.logs import REDACTED, redact
from tests.certificates import self_signed, write_pem

ROOT = Path(__file__).resolve().parents[2]
SECRET = secrets.token_urlsafe(18)
# (path, Referer) as a browser sends them: Lodestar's secret links, and a page whose Referer is one.
SECRET_REQUESTS = [
    (f"/invitations/{SECRET}/", None),
    (f"/setup/?token={SECRET}", None),
    (f"/unsubscribe/{SECRET}/", None),
    (f"/accounts/password/reset/key/1a-{SECRET}/", None),
    (f"/accounts/confirm-email/{SECRET}/", None),
    (f"/accounts/login/?next=/invitations/{SECRET}/", None),
    ("/acme/", f"https://okr.example.com/invitations/{SECRET}/"),
]
# Pages whose ids stay readable.
PAGES = ["/acme/people/invitations/42/resend/", "/acme/feeds/7/poll/"]


def _binary(name):
    found = shutil.which(name, path=f"{os.environ.get('PATH', '')}:/usr/sbin:/usr/bin")
    if found is None:
        pytest.fail(f"{name} is not installed: `make proxies` installs it (apt-get install {name})")
    return found


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port, process, log):
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the proxy stopped (exit {process.returncode}):\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"the proxy did not listen on 127.0.0.1:{port}:\n{log.read_text()}")


def _replace(text, old, new):
    assert old in text, f"the deploy file no longer has {old!r}: adapt this test"
    return text.replace(old, new)


def _stop(process):
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _login_redirect(path):
    return f"https://okr.example.com/accounts/login/?next={path}"


class _Upstream(BaseHTTPRequestHandler):
    """Lodestar's stand-in: every page redirects to the sign-in page, naming itself in ?next=."""

    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", _login_redirect(self.path))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture
def upstream():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _get(port, path, referer=None, *, tls=False):
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=5, context=context)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {"Host": "okr.example.com"} | ({"Referer": referer} if referer else {})
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _wait_for_lines(log, parse, count):
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = parse(log.read_text() if log.exists() else "")
        if len(lines) >= count:
            return lines
        time.sleep(0.05)
    pytest.fail(f"expected {count} access log lines, the log holds:\n{log.read_text() if log.exists() else ''}")


def _self_signed(directory):
    write_pem(*self_signed("okr.example.com"), directory / "privkey.pem", directory / "fullchain.pem")


# --- nginx ------------------------------------------------------------------------------------------
# "GET /path HTTP/1.1" 302 0 "referer" "user agent"
_NGINX_LINE = re.compile(r'"GET (?P<uri>\S+) HTTP/[\d.]+" (?P<status>\d{3}) \d+ "(?P<referer>[^"]*)"')


def _nginx_lines(text):
    return [match.groupdict() for match in _NGINX_LINE.finditer(text)]


@pytest.fixture
def nginx(tmp_path, upstream):
    binary = _binary("nginx")
    _self_signed(tmp_path)
    http_port, https_port = _free_port(), _free_port()
    access_log = tmp_path / "lodestar.access.log"
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream.server_port};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ", f"listen 127.0.0.1:{https_port} "),
        ("listen [::]:443 ssl http2;", ""),
        ("/etc/letsencrypt/live/okr.example.com/", f"{tmp_path}/"),
        ("/var/log/nginx/lodestar.access.log", str(access_log)),
    ]:
        site = _replace(site, old, new)
    (tmp_path / "lodestar.conf").write_text(site)
    # The site is included into http {}, as from Debian's sites-enabled/.
    temp = " ".join(
        f"{kind}_temp_path {tmp_path}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"daemon off;\nmaster_process off;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{\n{temp}\ninclude {tmp_path}/lodestar.conf;\n}}\n"
    )
    error_log = tmp_path / "error.log"
    process = subprocess.Popen(
        [binary, "-p", str(tmp_path), "-e", str(error_log), "-c", str(tmp_path / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=error_log.open("a"),
    )
    try:
        _wait_for_port(https_port, process, error_log)
        _wait_for_port(http_port, process, error_log)
        yield http_port, https_port, access_log
    finally:
        _stop(process)


def test_nginx_access_log_has_no_secret_urls(nginx):
    http_port, https_port, access_log = nginx
    for path, referer in SECRET_REQUESTS:
        assert _get(https_port, path, referer, tls=True) == 302  # passed on to Lodestar
    for path in PAGES:
        assert _get(https_port, path, tls=True) == 302
    assert _get(http_port, f"/invitations/{SECRET}/") == 301  # the redirect to HTTPS logs too

    requests = [*SECRET_REQUESTS, *((path, None) for path in PAGES), (f"/invitations/{SECRET}/", None)]
    lines = _wait_for_lines(access_log, _nginx_lines, len(requests))
    log = access_log.read_text()
    assert SECRET not in log, log
    assert [(line["uri"], line["referer"]) for line in lines] == [
        (redact(path), redact(referer) if referer else "-") for path, referer in requests
    ], log
    assert f'"GET /invitations/{REDACTED}/ HTTP/1.1" 302' in log
    assert f'"GET /setup/?token={REDACTED} HTTP/1.1" 302' in log
    assert '"GET /acme/people/invitations/42/resend/ HTTP/1.1" 302' in log


# --- Caddy ------------------------------------------------------------------------------------------
def _caddy_lines(text, message="handled request"):
    lines = []
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("msg") == message or (message is None and "request" in entry):
            lines.append(entry)
    return lines


@pytest.fixture
def caddy(tmp_path, upstream):
    binary = _binary("caddy")
    port = _free_port()
    # deploy/Caddyfile as it is, with this test's options added to its global block: plain HTTP
    # (no certificate) on 127.0.0.1 only, no admin API, Caddy's files in tmp_path.
    options = f"\tadmin off\n\tdefault_bind 127.0.0.1\n\tstorage file_system {tmp_path}/data\n"
    config = _replace((ROOT / "deploy" / "Caddyfile").read_text(), "\n{\n", "\n{\n" + options)
    (tmp_path / "Caddyfile").write_text(config)
    log = tmp_path / "caddy.log"
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "LODESTAR_DOMAIN": f"http://okr.example.com:{port}",
        "LODESTAR_UPSTREAM": f"127.0.0.1:{upstream.server_port}",
    }
    process = subprocess.Popen(
        [binary, "run", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log.open("a"),
    )
    try:
        _wait_for_port(port, process, log)
        yield port, log, upstream
    finally:
        _stop(process)


def test_caddy_logs_have_no_secret_urls(caddy):
    port, log, upstream = caddy
    for path, referer in SECRET_REQUESTS:
        assert _get(port, path, referer) == 302
    for path in PAGES:
        assert _get(port, path) == 302

    requests = [*SECRET_REQUESTS, *((path, None) for path in PAGES)]
    lines = _wait_for_lines(log, _caddy_lines, len(requests))
    text = log.read_text()
    assert SECRET not in text, text
    assert [
        (
            line["request"]["uri"],
            line["request"]["headers"].get("Referer", [None])[0],
            line["resp_headers"]["Location"][0],
        )
        for line in lines
    ] == [(redact(path), referer and redact(referer), redact(_login_redirect(path))) for path, referer in requests], (
        text
    )
    assert lines[0]["request"]["uri"] == f"/invitations/{REDACTED}/"
    assert lines[1]["request"]["uri"] == f"/setup/?token={REDACTED}"
    assert lines[-2]["request"]["uri"] == "/acme/people/invitations/42/resend/"

    # Lodestar down (restarting): Caddy's error log names the request too, redacted the same way.
    upstream.shutdown()
    upstream.server_close()
    assert _get(port, f"/invitations/{SECRET}/") == 502
    errors = _wait_for_lines(log, lambda text: [e for e in _caddy_lines(text, None) if e.get("status") == 502], 2)
    assert {entry["request"]["uri"] for entry in errors} == {f"/invitations/{REDACTED}/"}
    assert any(entry["logger"].startswith("http.log.error") for entry in errors)
    assert SECRET not in log.read_text(), log.read_text()
