"""Single sign-on in the security tests' world: Acme's provider and a domain, made on first use
(the URL walker's ``domain_id``, the role table's forms), and one OpenID provider per test process
for the forms that check an issuer."""

import base64
import threading

import oidc_provider_mock
import werkzeug.serving
from cryptography.hazmat.primitives import serialization

from lodestar.sso import sealing
from lodestar.sso.models import EmailDomain, IdentityProvider
from tests.certificates import self_signed

_shared = {}


def shared_issuer() -> str:
    """An OpenID provider on 127.0.0.1 that lives as long as the test process."""
    if "issuer" not in _shared:
        server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        _shared["issuer"] = f"http://127.0.0.1:{server.server_port}"
    return _shared["issuer"]


def with_sso(world):
    """Acme's provider (``sso_provider``, stored directly: no provider is asked) and its domain
    ``acme.test``, not yet verified (``sso_domain``)."""
    if getattr(world, "sso_domain", None) is None:
        acme = world.cast.acme
        world.sso_provider = IdentityProvider.objects.create(
            organization=acme,
            issuer="https://login.acme.test",
            client_id="lodestar",
            client_secret_encrypted=sealing.seal("world-secret"),
        )
        world.sso_domain = EmailDomain.objects.create(organization=acme, domain="acme.test", token="t0ken")
    return world


def provider_fields(world):
    with_sso(world)
    return {"issuer": shared_issuer(), "client_id": "lodestar-2", "client_secret": "", "display_name": "Acme"}


def policy_fields(world):
    with_sso(world)
    return {"join_policy": "invited", "sso_required": ""}


def domain_fields(world):
    with_sso(world)
    return {"domain": "sales.acme.test"}


def no_fields(world):
    with_sso(world)
    return {}


def saml_metadata(entity_id: str = "https://idp.acme.test/saml", sign_in_url: str = "https://idp.acme.test/sso") -> str:
    """An identity provider's metadata as Entra ID or Okta publish it, with a fresh certificate."""
    _key, certificate = self_signed("idp.acme.test")
    der = base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()
    return f"""<?xml version="1.0" encoding="utf-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity_id}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{sign_in_url}"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{sign_in_url}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


def saml_fields(world):
    with_sso(world)
    return {"metadata": saml_metadata(), "display_name": "Acme"}
