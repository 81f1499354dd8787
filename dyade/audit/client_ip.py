"""The client's address, taken from a proxy header only when the proxy is trusted.

Behind a reverse proxy every request arrives from the proxy's own address, and
the client's address is in ``X-Forwarded-For``, which the proxy appends to.
Anyone can send that header too, so it counts only for the hops the operator
declares trusted in ``DYADE_TRUSTED_PROXIES`` (addresses or networks, e.g.
``127.0.0.1`` or ``10.0.0.0/8``; ``unix`` for a proxy on a Unix socket, whose
requests carry no address). Starting at the peer that connected, the header is
read from right to left while the address in hand is a trusted proxy; the first
address that is not trusted is the client. A value that is not an address ends
the walk: the last trusted hop is then the best that is known. With no trusted
proxies the header is ignored. The result is always a valid IP address, or None.

django-axes (``AXES_CLIENT_IP_CALLABLE``) and the audit trail both call
:func:`client_ip`, so a lockout and an audit event name the same client.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

UNIX = "unix"


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[tuple[Network, ...], bool]:
    networks = tuple(
        ipaddress.ip_network(entry, strict=False) for entry in entries if entry != UNIX
    )
    return networks, UNIX in entries


def trusted_proxies() -> tuple[tuple[Network, ...], bool]:
    """The trusted networks, and whether a peer without an address (a Unix socket) is one."""
    return _trusted(tuple(str(entry).strip() for entry in settings.DYADE_TRUSTED_PROXIES))


def parse_address(value: str) -> Address | None:
    """An address from a header value: ``192.0.2.1``, ``192.0.2.1:443``, ``[2001:db8::1]:443``."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4 with a port; an IPv6 address has more colons
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as text (see the module), or None if none is known."""
    if request is None:
        return None
    networks, unix = trusted_proxies()
    remote = request.META.get("REMOTE_ADDR") or ""
    peer = parse_address(remote) if remote else None
    if peer is None and not (unix and not remote):
        return None  # an address that is not one, and not a trusted socket
    if peer is not None and not _is_trusted(peer, networks):
        return str(peer)
    # The peer is a trusted proxy: walk its header from the right.
    known = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            break
        known = address
        if not _is_trusted(address, networks):
            break
    return str(known) if known is not None else None
