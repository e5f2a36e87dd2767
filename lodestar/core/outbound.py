"""Calling a URL someone typed (webhooks, chat channels, polled data sources) without letting
it reach inside the company's network.

The host is resolved once; every address must be public (not loopback, private, link-local,
multicast, reserved or a cloud metadata address) unless the host name or a network containing
the address is listed in ``LODESTAR_OUTBOUND_ALLOWED``. The connection then goes to exactly the
vetted address (no second lookup that could rebind), redirects are not followed, and time and
response size are bounded.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 10
MAX_RESPONSE_BYTES = 64 * 1024
MAX_FETCH_BYTES = 1024 * 1024


class RefusedURL(ValueError):
    """The URL may not be called (its message says why, for the admin)."""


class UnknownHost(RefusedURL):
    """The host's name does not resolve now: refused when typed, retried when sending (DNS may be
    down for a moment)."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


def _allowed(host: str, address) -> bool:
    for entry in settings.LODESTAR_OUTBOUND_ALLOWED:
        if entry.lower() == host.lower():
            return True
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _is_public(address) -> bool:
    """A global unicast address, also when an IPv4 address hides inside an IPv6 one (mapped,
    6to4, NAT64, IPv4-compatible)."""
    if address.version == 6:
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and (address in NAT64 or int(address) >> 32 == 0):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return _is_public(embedded)
    return address.is_global and not address.is_multicast


def vet(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, address) of a URL that may be called, else RefusedURL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedURL(_("Only http and https addresses can be called."))
    if parts.username or parts.password:
        raise RefusedURL(_("An address with a user name or password in it is not accepted."))
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (ValueError, OSError) as error:
        raise UnknownHost(_("The host %(host)s could not be found.") % {"host": host}) from error
    addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    for address in addresses:
        if not _is_public(address) and not _allowed(host, address):
            raise RefusedURL(
                _("%(host)s is an internal address (%(address)s); Lodestar does not call those.")
                % {"host": host, "address": address}
            )
    return parts.scheme, host, port, str(sorted(addresses, key=str)[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post_json(url: str, body: bytes, headers: dict[str, str] | None = None) -> Response:
    """POST ``body`` as JSON. Raises RefusedURL for a refused address and OSError for network trouble."""
    return _exchange("POST", url, body, {"Content-Type": "application/json", **(headers or {})}, MAX_RESPONSE_BYTES)


def get(url: str, *, max_bytes: int = MAX_FETCH_BYTES) -> Response:
    """GET a document (a polled data source); a longer answer than ``max_bytes`` is an OSError."""
    response = _exchange("GET", url, None, {"Accept": "application/json, text/csv, */*"}, max_bytes + 1)
    if len(response.body) > max_bytes:
        raise OSError(_("The answer is larger than %(size)s kB.") % {"size": max_bytes // 1024})
    return response


def _exchange(method: str, url: str, body: bytes | None, headers: dict[str, str], max_bytes: int) -> Response:
    scheme, host, port, address = vet(url)
    parts = urlsplit(url)
    # A path typed with umlauts or spaces is sent percent-encoded, as a browser would.
    path = iri_to_uri((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address, timeout=TIMEOUT_SECONDS)
    # The socket timeout bounds each read; the watchdog bounds the whole exchange, so a server
    # that trickles a byte now and then cannot hold the worker (and its lease) for hours.
    watchdog = threading.Timer(TIMEOUT_SECONDS, _cut, args=(connection,))
    watchdog.start()
    try:
        connection.request(method, path, body=body, headers={"User-Agent": "Lodestar", **headers})
        response = connection.getresponse()
        return Response(status=response.status, body=response.read(max_bytes))
    except (OSError, http.client.HTTPException, ValueError) as error:  # ValueError: a host http.client cannot encode
        if getattr(connection, "cut_by_watchdog", False):
            raise OSError(_("No complete answer within %(seconds)s seconds.") % {"seconds": TIMEOUT_SECONDS}) from error
        raise OSError(str(error)) from error
    finally:
        watchdog.cancel()
        connection.close()


def _cut(connection) -> None:
    connection.cut_by_watchdog = True
    if connection.sock is not None:
        with contextlib.suppress(OSError):
            connection.sock.shutdown(socket.SHUT_RDWR)
