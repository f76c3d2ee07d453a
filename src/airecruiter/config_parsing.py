"""How each setting's text is read and checked: the parsers and value checks behind `config.Settings`.

Each function takes the text of one variable and returns its value, or raises `ValueError` with the
part of the sentence that says what is wrong (Settings names the variable in front of it).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_WORKDAY_VERSION = re.compile(r"v\d+\.\d+")
_WORKDAY_ID = re.compile(r"[^\s=,]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
FERNET_KEY_BYTES = 32
MIN_BEARER_TOKEN = 16


def parse_pairs(raw: str, variable: str, *, whole: bool = False) -> dict[str, float]:
    """Parse `name=number,name=number` into a dict, naming the variable on error.

    `whole`: the numbers are counts (a cap of running jobs), so 0.5 is refused rather than
    silently truncated to 0 later.
    """
    result: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        name, sep, value = part.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not sep or not name.strip() or number <= 0:
            raise ValueError(f"{variable}: expected comma-separated job_type=positive_number pairs, got {part!r}")
        result[name.strip()] = number
    if whole and not all(v.is_integer() for v in result.values()):
        raise ValueError(f"{variable}: caps are whole numbers of running jobs, got {raw!r}")
    return result


def id_list(raw: str) -> tuple[str, ...]:
    """A comma-separated list of Workday reference IDs (tenant data), blanks dropped."""
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def workday_ids(raw: str, variable: str, *, may_be_empty: bool = False, just_one: bool = False) -> tuple[str, ...]:
    """A list of Workday reference IDs: at least one (unless `may_be_empty`), exactly one if `just_one`."""
    ids = id_list(raw)
    if not ids and not may_be_empty:
        raise ValueError(f"{variable}: list at least one Workday reference ID, comma-separated")
    if just_one and len(ids) > 1:
        raise ValueError(f"{variable}: one Job_Requisition_Status_ID, e.g. Open")
    if bad := [i for i in ids if not _WORKDAY_ID.fullmatch(i)]:
        raise ValueError(f"{variable}: {bad[0]!r} is not a Workday reference ID (no spaces or '=')")
    return ids


def parse_networks(raw: str) -> tuple[Network, ...]:
    """Comma-separated IP addresses or CIDR networks."""
    networks = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(
                f"expected comma-separated IP addresses or networks such as 10.0.0.0/8, got {part!r}"
            ) from exc
    return tuple(networks)


def workday_version(raw: str) -> str:
    """The Recruiting service version in Workday's URL, such as v45.0."""
    if not _WORKDAY_VERSION.fullmatch(raw):
        raise ValueError("must look like v45.0 (the Recruiting service version in the URL)")
    return raw


def workday_category(raw: str) -> str:
    """A document category reference, `ID_TYPE=value`."""
    kind, sep, ident = raw.partition("=")
    if not sep or not kind.strip() or not ident.strip():
        raise ValueError("must be ID_TYPE=value, e.g. Document_Category__Workday_Owned__ID=OTHER_DOCUMENTS")
    return raw


def http_url(raw: str, problem: str) -> str:
    """An http(s) URL without its trailing slash; `problem` is the sentence when it is not one."""
    if not raw.startswith(("http://", "https://")):
        raise ValueError(problem)
    return raw.rstrip("/")


def email_address(raw: str) -> str:
    """An email address, stripped."""
    if not _EMAIL.fullmatch(raw.strip()):
        raise ValueError("must be an email address such as jobs@example.com")
    return raw.strip()


def fernet_key(key: str) -> str:
    """A Fernet key: 32 bytes in URL-safe base64 (never echoed: the sentence names the command instead)."""
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != FERNET_KEY_BYTES:
        raise ValueError(
            "must be a Fernet key (32 bytes, URL-safe base64); make one with `airecruiter secrets generate-key`"
        )
    return key


def bearer_token(token: str) -> str:
    """A bearer token long enough not to be guessed."""
    if len(token) < MIN_BEARER_TOKEN:
        raise ValueError("must be at least 16 characters (e.g. the output of `openssl rand -hex 24`)")
    return token
