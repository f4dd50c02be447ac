"""The client's address: one helper for the audit trail, the login lockout and every rate limit.

`X-Forwarded-For` is written by whoever sends the request, so only the hops that our own proxies
appended can be believed. `TRUSTED_PROXIES` (addresses or networks, e.g. `127.0.0.1,10.0.0.0/8`)
names those proxies. The client is the right-most hop that is not one of them: walking the header
from the right, each trusted proxy vouches for the hop to its left, and the first hop that is not
a trusted proxy is the last address nobody on the client's side could forge.

With `TRUSTED_PROXIES` empty (the default) the header is ignored and the address is REMOTE_ADDR;
a request whose REMOTE_ADDR is not a trusted proxy is never taken at its header's word either.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc


def parse_address(value: str | None) -> Address | None:
    """An address from a header hop or REMOTE_ADDR ("1.2.3.4", "1.2.3.4:5678", "[::1]:80", "::1"),
    or None when it is not one."""
    value = (value or "").strip()
    if not value:
        return None
    if value.startswith("["):  # [v6]:port
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # v4:port
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The client's address as a string (see the module's docstring), or None when unknown."""
    meta = request.META
    remote = parse_address(meta.get("REMOTE_ADDR"))
    networks = trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if remote is None or not networks or not _trusted(remote, networks):
        return str(remote) if remote is not None else None
    client = remote
    for hop in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = parse_address(hop)
        if address is None:
            break  # not an address: what lies left of it cannot be believed either
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
