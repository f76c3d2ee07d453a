"""Which address is the client: X-Forwarded-For counts only from a trusted proxy, read from the right."""

from __future__ import annotations

import ipaddress

import pytest
from starlette.requests import Request

from airecruiter.web.client_address import client_address

PROXIES = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1/128"))


def _request(peer: str, forwarded_for: str | None) -> Request:
    headers = [(b"x-forwarded-for", forwarded_for.encode())] if forwarded_for is not None else []
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers, "client": (peer, 1234)})


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "trusted", "expected"),
    [
        ("203.0.113.5", "198.51.100.1", PROXIES, "203.0.113.5"),  # not a proxy: the header is the client's lie
        ("203.0.113.5", None, PROXIES, "203.0.113.5"),
        ("10.0.0.2", "198.51.100.1", (), "10.0.0.2"),  # no trusted proxies configured
        ("10.0.0.2", "198.51.100.1", PROXIES, "198.51.100.1"),
        ("10.0.0.2", "1.2.3.4, 198.51.100.1", PROXIES, "198.51.100.1"),  # a client-sent prefix is ignored
        ("10.0.0.2", "198.51.100.1, 10.4.4.4", PROXIES, "198.51.100.1"),  # a chain of our own proxies
        ("10.0.0.2", "10.1.1.1, 10.4.4.4", PROXIES, "10.1.1.1"),  # every hop is ours: the first one
        ("10.0.0.2", "", PROXIES, "10.0.0.2"),
        ("10.0.0.2", "not-an-address", PROXIES, "10.0.0.2"),
        ("::1", "2001:db8::7", PROXIES, "2001:db8::7"),
    ],
)
def test_the_client_address(peer: str, forwarded_for: str | None, trusted: tuple, expected: str) -> None:
    assert client_address(_request(peer, forwarded_for), trusted) == expected
