"""A real SAML identity provider for the tests: pysaml2 (an implementation independent of the
python3-saml that Lodestar uses) signing with xmlsec1, with a key and certificate made per test.

``SamlIdentityProvider.answer(redirect_url, email)`` is the person signing in at the provider:
it reads Lodestar's request from the redirect and returns the signed response a browser would
post back. The ``serve`` method puts the provider on 127.0.0.1 for the browser tests."""

import base64
import shutil
import threading
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from saml2 import BINDING_HTTP_REDIRECT, xmldsig
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server

from tests.certificates import self_signed, write_pem

XMLSEC = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"


def make_key_pair(directory: Path, name: str) -> tuple[Path, Path]:
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    write_pem(*self_signed(name), key_file, cert_file)
    return key_file, cert_file


@dataclass
class SignedResponse:
    acs_url: str
    saml_response: str  # base64, as the browser posts it

    def as_form(self) -> dict:
        return {"SAMLResponse": self.saml_response}


class SamlIdentityProvider:
    def __init__(self, directory: Path, *, entity_id: str, sign_in_url: str, name: str = "idp"):
        self.key_file, self.cert_file = make_key_pair(directory, name)
        self.entity_id, self.sign_in_url = entity_id, sign_in_url
        self.server = Server(config=self._config())

    def _config(self, service_provider_metadata: str | None = None) -> IdPConfig:
        config = IdPConfig()
        config.load(
            {
                "metadata": {"inline": [service_provider_metadata]} if service_provider_metadata else {},
                "entityid": self.entity_id,
                "service": {
                    "idp": {
                        "endpoints": {"single_sign_on_service": [(self.sign_in_url, BINDING_HTTP_REDIRECT)]},
                        "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                        "want_authn_requests_signed": False,
                        "policy": {"default": {"lifetime": {"minutes": 5}, "name_form": NAME_FORMAT_URI}},
                    }
                },
                "key_file": str(self.key_file),
                "cert_file": str(self.cert_file),
                "xmlsec_binary": XMLSEC,
            }
        )
        return config

    @property
    def metadata(self) -> str:
        return create_metadata_string(None, config=self.server.config, sign=False).decode()

    def trust(self, service_provider_metadata: str) -> None:
        """Load Lodestar's metadata (its entity ID and where to post the answer)."""
        self.server = Server(config=self._config(service_provider_metadata))

    def answer(
        self,
        redirect_url: str,
        email: str,
        *,
        name: str = "",
        sign_assertion: bool = True,
        sha1: bool = False,
        unsolicited: bool = False,
        attributes: dict | None = None,
    ) -> SignedResponse:
        """The signed response to the request in ``redirect_url`` for the person ``email``."""
        query = parse_qs(urlsplit(redirect_url).query)
        request = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT).message
        identity = attributes if attributes is not None else {"mail": [email]}
        if name and attributes is None:
            identity["displayName"] = [name]
        response = self.server.create_authn_response(
            identity=identity,
            in_response_to=None if unsolicited else request.id,
            destination=request.assertion_consumer_service_url,
            sp_entity_id=request.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_assertion=sign_assertion,
            sign_response=False,
            sign_alg=xmldsig.SIG_RSA_SHA1 if sha1 else xmldsig.SIG_RSA_SHA256,
            digest_alg=xmldsig.DIGEST_SHA1 if sha1 else xmldsig.DIGEST_SHA256,
        )
        return SignedResponse(
            acs_url=request.assertion_consumer_service_url,
            saml_response=base64.b64encode(str(response).encode()).decode(),
        )

    def serve(self, who: str) -> "RunningProvider":
        """The provider on 127.0.0.1 (it must have been made with that ``sign_in_url``): its sign-in
        page answers for ``who`` at once with a form that posts the response to Lodestar."""
        return RunningProvider(self, who)


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class RunningProvider:
    def __init__(self, provider: SamlIdentityProvider, who: str):
        self.provider, self.who = provider, who
        port = int(urlsplit(provider.sign_in_url).port)
        self.httpd: WSGIServer = make_server("127.0.0.1", port, self._app, handler_class=_Quiet)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def _app(self, environ, start_response):
        url = f"{self.provider.sign_in_url}?{environ.get('QUERY_STRING', '')}"
        signed = self.provider.answer(url, self.who)
        page = (
            "<!doctype html><title>Acme sign-in</title><body onload='document.forms[0].submit()'>"
            f"<form method='post' action='{escape(signed.acs_url)}'>"
            f"<input type='hidden' name='SAMLResponse' value='{escape(signed.saml_response)}'>"
            "<button>Continue</button></form>"
        )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page.encode()]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.thread.join(2)
