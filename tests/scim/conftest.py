"""A SCIM client for the tests: the identity provider of Acme (and one of Beta) with live tokens."""

import json
from types import SimpleNamespace

import pytest

from lodestar.scim import services

SCIM = "/scim/v2"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class Provider:
    """An identity provider calling Lodestar's SCIM service with one token."""

    def __init__(self, client, token_text):
        self.client, self.token = client, token_text

    def call(self, method, path, body=None, token=None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token or self.token}"}
        data = json.dumps(body) if body is not None else ""
        response = getattr(self.client, method.lower())(
            SCIM + path, data=data, content_type="application/scim+json", **headers, **extra
        )
        response.data = json.loads(response.content) if response.content else None
        return response

    def get(self, path, **kw):
        return self.client.get(SCIM + path, kw, HTTP_AUTHORIZATION=f"Bearer {self.token}")

    def create_user(self, user_name, email=None, **fields):
        body = {
            "schemas": [USER],
            "userName": user_name,
            "emails": [{"value": email or user_name, "type": "work", "primary": True}],
        }
        return self.call("POST", "/Users", {**body, **fields})

    def patch(self, path, *operations):
        return self.call("PATCH", path, {"schemas": [PATCH], "Operations": list(operations)})


def read(response):
    return json.loads(response.content)


@pytest.fixture
def idp(cast, client):
    _token, text = services.create_token(actor=cast.owner, organization=cast.acme, name="Entra ID")
    return Provider(client, text)


@pytest.fixture
def beta_idp(cast, client):
    _token, text = services.create_token(actor=cast.beta_owner, organization=cast.beta, name="Beta Okta")
    return Provider(client, text)


@pytest.fixture
def scim(cast, idp, beta_idp):
    return SimpleNamespace(cast=cast, idp=idp, beta=beta_idp)
