"""Talking to an organization's OpenID provider only through the outbound guard
(``lodestar.core.outbound``): the discovery document when an admin saves the issuer, and every
call allauth makes while someone signs in (discovery, token, keys, user info), each connected to
the address the guard vetted. (A SAML provider is never called: its metadata is pasted.)"""

import functools
import json
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

from lodestar.core import outbound
from lodestar.sso.rules import discovery_url, same_issuer

REQUIRED = ("authorization_endpoint", "token_endpoint", "jwks_uri")


def _plain_http_allowed(url: str) -> bool:
    """https only, unless the host is one the instance allows for intranet calls (and the tests)."""
    host = urlsplit(url).hostname or ""
    return host in settings.LODESTAR_OUTBOUND_ALLOWED


def check_scheme(url: str, field: str = "issuer") -> None:
    scheme = urlsplit(url).scheme
    if scheme != "https" and not (scheme == "http" and _plain_http_allowed(url)):
        raise ValidationError({field: [_("The issuer must be an https address.")]})


def fetch_configuration(issuer: str) -> dict:
    """The provider's discovery document, checked: same issuer as typed, the endpoints Lodestar
    needs. Raises ValidationError with a message for the admin."""
    check_scheme(issuer)
    url = discovery_url(issuer)
    try:
        response = outbound.get(url, max_bytes=256 * 1024)
    except outbound.RefusedURL as error:
        raise ValidationError({"issuer": [str(error)]}) from None
    except OSError as error:
        raise ValidationError(
            {"issuer": [_("%(url)s could not be read: %(error)s") % {"url": url, "error": error}]}
        ) from None
    if response.status != 200:
        raise ValidationError(
            {
                "issuer": [
                    _("%(url)s answered %(status)s, not an OpenID configuration.")
                    % {"url": url, "status": response.status}
                ]
            }
        )
    try:
        document = json.loads(response.body)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise ValidationError(
            {"issuer": [_("%(url)s is not an OpenID configuration (no JSON object).") % {"url": url}]}
        )
    if not same_issuer(str(document.get("issuer", "")), issuer):
        raise ValidationError(
            {
                "issuer": [
                    _(
                        "The provider names its issuer “%(named)s”, not the one entered. Enter exactly the "
                        "issuer of your tenant or realm."
                    )
                    % {"named": str(document.get("issuer", ""))[:200]}
                ]
            }
        )
    missing = [name for name in REQUIRED if not isinstance(document.get(name), str)]
    if missing:
        raise ValidationError(
            {"issuer": [_("The provider's configuration lacks %(names)s.") % {"names": ", ".join(missing)}]}
        )
    for name in REQUIRED:
        check_scheme(document[name])
    return document


def _connect_to_vetted_address(connection) -> socket.socket:
    """Open the socket to the address the outbound guard vets at this moment, never to one the
    name resolves to a second time (a provider's DNS could answer an internal address then)."""
    try:
        _scheme, _host, _port, address = outbound.vet(f"http://{connection.host}:{connection.port}/")
    except outbound.RefusedURL as error:
        raise NewConnectionError(connection, str(error)) from None
    try:
        return create_connection(
            (address, connection.port), connection.timeout, source_address=connection.source_address
        )
    except TimeoutError as error:
        raise ConnectTimeoutError(connection, f"Connection to {connection.host} timed out.") from error
    except OSError as error:
        raise NewConnectionError(connection, f"Failed to connect to {connection.host}: {error}") from error


class _PinnedHTTPConnection(HTTPConnection):
    _new_conn = _connect_to_vetted_address


class _PinnedHTTPSConnection(HTTPSConnection):
    _new_conn = _connect_to_vetted_address  # the certificate is still checked for the host name


class _PinnedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PinnedHTTPConnection


class _PinnedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PinnedHTTPSConnection


class _GuardedAdapter(requests.adapters.HTTPAdapter):
    """Every request allauth sends is vetted first (no internal address unless allowed), and its
    connection goes to the vetted address."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _PinnedHTTPPool, "https": _PinnedHTTPSPool}

    def send(self, request, *args, **kwargs):
        try:
            outbound.vet(request.url)
        except outbound.RefusedURL as error:
            raise requests.ConnectionError(str(error), request=request) from None
        return super().send(request, *args, **kwargs)


def guarded_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: the vetted address is the one called
    adapter = _GuardedAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.max_redirects = 0
    session.request = functools.partial(session.request, timeout=outbound.TIMEOUT_SECONDS, allow_redirects=False)
    return session
