"""A real OpenID provider (oidc-provider-mock) on 127.0.0.1 for each test that needs one, and the
steps of a sign-in through it: the test client talks to Lodestar, ``requests`` to the provider."""

import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

import oidc_provider_mock
import pytest
import requests
import werkzeug.serving

from lodestar.core.scoping import organization_scope
from lodestar.sso import services

CLIENT_ID = "lodestar-acme"
CLIENT_SECRET = "s3cret-never-shown-Zq81x"


@dataclass
class Provider:
    issuer: str

    def person(self, sub: str, **claims) -> str:
        """Claims the provider will send for ``sub`` (set with the mock's PUT /users/<sub>)."""
        response = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=5)
        assert response.status_code == 204, response.text
        return sub

    def authorize(self, authorize_url: str, sub: str) -> str:
        """The person ``sub`` says yes at the provider: the redirect back to Lodestar (path and query)."""
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text
        location = urlsplit(response.headers["Location"])
        return f"{location.path}?{location.query}"


def run_provider():
    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture
def provider():
    server, thread = run_provider()
    yield Provider(issuer=f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(2)


@pytest.fixture
def other_provider():
    server, thread = run_provider()
    yield Provider(issuer=f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(2)


def set_up_sso(actor, issuer: str, *, domain: str = "acme.test", join_policy: str = "domain", required=False):
    with organization_scope(actor.organization):
        found = services.save_provider(actor=actor, issuer=issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
        if domain:
            services.verify_domain_as_operator(organization=actor.organization, domain=domain)
        services.save_policy(actor=actor, join_policy=join_policy, sso_required=required)
    return found


def start(client, email: str) -> str:
    """ "Sign in with single sign-on": the provider's authorization URL Lodestar redirects to."""
    response = client.post("/accounts/sso/", {"email": email})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def sign_in(client, provider: Provider, sub: str, email: str):
    """The whole code flow; Lodestar's answer to the provider's redirect back."""
    callback = provider.authorize(start(client, email), sub)
    return client.get(callback)
