"""The outbound guard keeps its own list of special-purpose ranges (IANA's registries), because
Python's ``ipaddress`` calls some of them global (3.12.1: local-use NAT64, IPv4-translated
addresses, the new documentation prefix, site-local): an IPv4 address hidden in an IPv6 one is
judged as that IPv4 address, and the rest is refused outright."""

import ipaddress

import pytest

from lodestar.core import outbound


@pytest.fixture(autouse=True)
def _nothing_allowed(settings):
    settings.LODESTAR_OUTBOUND_ALLOWED = []


@pytest.mark.parametrize(
    "address",
    [
        # Translated ranges that carry an internal IPv4 address.
        "64:ff9b::a00:1",  # NAT64 (RFC 6052) of 10.0.0.1
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254 (cloud metadata)
        "::ffff:10.0.0.1",  # IPv4-mapped
        "::ffff:0:a00:1",  # IPv4-translated (RFC 2765) of 10.0.0.1
        "::ffff:0:7f00:1",  # IPv4-translated of 127.0.0.1
        "::ffff:0:a9fe:a9fe",  # IPv4-translated of 169.254.169.254
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "::a00:1",  # IPv4-compatible (deprecated) of 10.0.0.1
        # Special-purpose ranges refused whatever they contain.
        "64:ff9b:1::a00:1",  # local-use NAT64 (RFC 8215)
        "64:ff9b:1::808:808",  # local-use NAT64, even of a public IPv4 address
        "2001::1",  # Teredo (RFC 4380)
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo with a public server and client
        "2001:2::1",  # benchmarking
        "2001:20::1",  # ORCHIDv2
        "100::1",  # discard-only (RFC 6666)
        "2001:db8::1",  # documentation
        "3fff::1",  # documentation (RFC 9637)
        "5f00::1",  # SRv6 segment identifiers (RFC 9602)
        "fec0::1",  # site-local (deprecated, still routed inside some networks)
        "fd00:ec2::254",  # unique local: AWS's IPv6 metadata address
        "ff02::1",  # multicast
        "::",  # unspecified
        "::1",  # loopback
    ],
)
def test_special_purpose_ipv6_addresses_are_refused(address):
    with pytest.raises(outbound.RefusedURL, match="internal address"):
        outbound.vet(f"http://[{address}]/hook")


@pytest.mark.parametrize(
    "address",
    [
        "100.64.0.1",  # shared address space (carrier-grade NAT)
        "100.100.100.200",  # Alibaba Cloud's metadata address, inside it
        "192.0.0.8",  # IETF protocol assignments
        "192.0.2.1",  # documentation
        "192.88.99.1",  # 6to4 relay anycast (deprecated)
        "198.18.0.1",  # benchmarking
        "198.51.100.1",  # documentation
        "203.0.113.1",  # documentation
        "240.0.0.1",  # reserved
        "255.255.255.255",  # broadcast
        "224.0.0.1",  # multicast
    ],
)
def test_special_purpose_ipv4_addresses_are_refused(address):
    with pytest.raises(outbound.RefusedURL, match="internal address"):
        outbound.vet(f"http://{address}/hook")


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::808:808",  # NAT64 of 8.8.8.8: how IPv6-only networks reach the IPv4 internet
        "::ffff:8.8.8.8",
        "2002:808:808::1",  # 6to4 of 8.8.8.8
        "2606:4700:4700::1111",  # an ordinary global IPv6 address
    ],
)
def test_public_addresses_stay_callable_also_when_translated(address):
    assert ipaddress.ip_address(outbound.vet(f"http://[{address}]/hook")[3]) == ipaddress.ip_address(address)


def test_public_ipv4_stays_callable():
    assert outbound.vet("http://8.8.8.8/hook")[3] == "8.8.8.8"
