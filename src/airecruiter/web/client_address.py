"""Who the client is: the direct peer, or what a trusted reverse proxy says in X-Forwarded-For."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from fastapi import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: Request, trusted_proxies: Sequence[Network]) -> str:
    """The client's IP address; X-Forwarded-For counts only when the direct peer is a trusted proxy.

    The header is read from the right (the hop our proxy appended) and the first address that is not
    itself a trusted proxy is the client, so a client cannot choose its address by sending the header.
    """
    peer = request.client.host if request.client else "unknown"
    if not trusted_proxies or not _trusted(peer, trusted_proxies):
        return peer
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if _trusted(hop, trusted_proxies):
            continue
        try:
            return str(ipaddress.ip_address(hop))
        except ValueError:
            return peer  # a proxy that appends garbage is misconfigured: fall back to the peer
    return hops[0] if hops else peer
