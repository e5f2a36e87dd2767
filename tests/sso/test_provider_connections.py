"""Calls to an OpenID provider connect to the address the outbound guard vetted: a provider whose
DNS answers a public address to the check and an internal one to the connection (DNS rebinding)
reaches nothing inside."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from lodestar.sso import discovery


class _Recorder(BaseHTTPRequestHandler):
    hosts: list

    def do_GET(self):
        self.hosts.append(self.headers["Host"])
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def inside():
    """A service inside the network on 127.0.0.1, recording the Host of each request it gets."""
    handler = type("Handler", (_Recorder,), {"hosts": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server, handler.hosts
    server.shutdown()
    thread.join(2)


def _resolving(monkeypatch, answers):
    """provider.example resolves to each of ``answers`` in turn (the last one from then on)."""
    real = socket.getaddrinfo
    remaining = list(answers)

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "provider.example":
            return real(host, port, *args, **kwargs)
        address = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_provider_rebinding_its_name_to_an_internal_address_reaches_nothing(monkeypatch, settings, inside):
    server, hosts = inside
    settings.LODESTAR_OUTBOUND_ALLOWED = []
    _resolving(monkeypatch, ["93.184.215.14", "127.0.0.1"])
    with pytest.raises(requests.ConnectionError, match="internal address"):
        discovery.guarded_session().get(f"http://provider.example:{server.server_port}/token")
    assert hosts == []


def test_a_call_reaches_the_vetted_address_under_the_providers_name(monkeypatch, settings, inside):
    server, hosts = inside
    settings.LODESTAR_OUTBOUND_ALLOWED = ["provider.example"]  # an intranet provider the instance allows
    _resolving(monkeypatch, ["127.0.0.1"])
    response = discovery.guarded_session().get(f"http://provider.example:{server.server_port}/token")
    assert response.status_code == 200
    assert hosts == [f"provider.example:{server.server_port}"]
