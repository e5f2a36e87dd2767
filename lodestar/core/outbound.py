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


def _networks(*cidrs: str) -> tuple:
    return tuple(ipaddress.ip_network(cidr) for cidr in cidrs)


# IPv6 ranges whose last 32 bits are an IPv4 address: judged as that address.
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052
IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # RFC 2765 (SIIT)
# Special-purpose ranges (IANA's registries) that are never called, whatever Python's ipaddress
# says: 3.12.1 calls local-use NAT64, 3fff::/20, 5f00::/16 and fec0::/10 global, and other
# versions disagree with each other. Checked before ``is_global``, so the guard does not depend on it.
REFUSED_IPV6 = _networks(
    "::/128",  # unspecified
    "::1/128",  # loopback
    "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215): translates into the local network
    "100::/64",  # discard-only (RFC 6666)
    "2001::/23",  # IETF protocol assignments: Teredo 2001::/32, benchmarking, ORCHID
    "2001:db8::/32",  # documentation
    "3fff::/20",  # documentation (RFC 9637)
    "5f00::/16",  # SRv6 segment identifiers (RFC 9602)
    "fc00::/7",  # unique local (AWS's metadata fd00:ec2::254 among them)
    "fe80::/10",  # link-local
    "fec0::/10",  # site-local (deprecated, still routed inside some networks)
    "ff00::/8",  # multicast
)
REFUSED_IPV4 = _networks(
    "0.0.0.0/8",  # this network
    "10.0.0.0/8",
    "100.64.0.0/10",  # shared address space (carrier-grade NAT; Alibaba's metadata address)
    "127.0.0.0/8",
    "169.254.0.0/16",  # link-local (the cloud metadata address 169.254.169.254)
    "172.16.0.0/12",
    "192.0.0.0/24",  # IETF protocol assignments
    "192.0.2.0/24",  # documentation
    "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
    "192.168.0.0/16",
    "198.18.0.0/15",  # benchmarking
    "198.51.100.0/24",  # documentation
    "203.0.113.0/24",  # documentation
    "224.0.0.0/4",  # multicast
    "240.0.0.0/4",  # reserved, and the broadcast address
)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for: mapped, translated, NAT64, 6to4 or
    IPv4-compatible (``::a.b.c.d``, deprecated; ``::`` and ``::1`` become 0.0.0.0 and 0.0.0.1)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64 or address in IPV4_TRANSLATED or int(address) >> 32 == 0:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _is_public(address) -> bool:
    """A global unicast address outside every special-purpose range, also when an IPv4 address
    hides inside an IPv6 one."""
    if address.version == 6:
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return _is_public(embedded)
    refused = REFUSED_IPV6 if address.version == 6 else REFUSED_IPV4
    if any(address in network for network in refused):
        return False
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
