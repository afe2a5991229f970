"""The client's address: the TCP peer, or what a trusted proxy says it forwarded.

`X-Forwarded-For` is written by whoever sent the request, so it is believed only when the peer
is one of ``ACCR_TRUSTED_PROXIES`` (addresses or networks; none by default), and then only up to
the right-most hop that is not itself a trusted proxy: a client can prepend anything it likes,
but it cannot forge what the proxies appended after it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=32)
def parse_networks(spec: str) -> tuple[Network, ...]:
    """``"10.0.0.0/8, 192.0.2.7"`` -> networks; a bad entry is a start-up error, not ignored."""
    parts = [p.strip() for p in spec.replace(";", ",").split(",") if p.strip()]
    try:
        return tuple(ipaddress.ip_network(p, strict=False) for p in parts)
    except ValueError as error:
        raise ValueError(f"ACCR_TRUSTED_PROXIES: {error}") from None


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _hop(raw: str) -> str:
    """One X-Forwarded-For entry, without brackets or port ("[2001:db8::1]:443", "1.2.3.4:5")."""
    value = raw.strip()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        return value.split(":")[0]
    return value


def client_address(peer: str | None, forwarded_for: Sequence[str], spec: str) -> str:
    peer = peer or "unknown"
    networks = parse_networks(spec)
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [_hop(h) for header in forwarded_for for h in header.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop[:64]
    return hops[0][:64] if hops else peer  # every hop is a proxy: the first one it saw
