"""Hardened XML parsing and the small helpers every Workday response reader needs.

Workday's responses are untrusted input: the parser never expands entities, never reads a DTD
and never touches the network, and a response over the size limit is refused before parsing.
Element lookups are prefix-agnostic (real tenants use `env:`, `wd:`, `SOAP-ENV:`, `ns0:`…).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from datetime import datetime

from lxml import etree

from airecruiter.errors import ParseError

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WD_NS = "urn:com.workday/bsvc"
W = "{" + WD_NS + "}"

# Attachments arrive inline as base64, so a page can be large; beyond this it is not Workday.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024

Element = etree._Element


def _parser() -> etree.XMLParser:
    # huge_tree: a 30 MB attachment is one text node, beyond libxml2's default 10 MB cap.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, *, limit: int = MAX_RESPONSE_BYTES) -> Element:
    """The root element of `data`; ParseError for anything that is not safe, well-formed XML."""
    if len(data) > limit:
        raise ParseError(f"Workday's response is {len(data):,} bytes, over the {limit:,}-byte limit.")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"Workday's response is not well-formed XML: {exc}") from exc
    except (ValueError, TypeError) as exc:
        raise ParseError(f"Workday's response could not be read as XML: {exc}") from exc
    if root is None:
        raise ParseError("Workday's response is empty.")
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or b"<!DOCTYPE" in data[:2048]:
        # SOAP forbids a DTD; one that comes anyway is an entity-expansion or XXE attempt.
        raise ParseError("Workday's response carries a DTD or entity declarations; refused.")
    return root


def local(element: Element) -> str:
    """An element's name without its namespace."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def children(element: Element | None, name: str) -> Iterator[Element]:
    """Child elements called `name` in Workday's namespace (any prefix), or in none."""
    if element is None:
        return
    # lxml's own tag filter: a page of 100 candidates is walked in C, not element by element here.
    yield from element.iterchildren(W + name, name)


def child(element: Element | None, *path: str) -> Element | None:
    """The first element along `path` of local names, or None."""
    current = element
    for name in path:
        if current is None:
            return None
        current = next(current.iterchildren(W + name, name), None)
    return current


def text(element: Element | None, *path: str) -> str | None:
    """The stripped text at `path`, or None when absent or empty."""
    node = child(element, *path) if path else element
    if node is None or node.text is None:
        return None
    value = node.text.strip()
    return value or None


def attribute(element: Element, name: str) -> str | None:
    """An attribute by local name, namespace-qualified (`wd:type`) or not."""
    value = element.get(W + name)
    if value is None:
        value = element.get(name)
    return value


def reference_ids(ref: Element | None) -> dict[str, str]:
    """A `*_Reference`'s IDs by `wd:type` (never by position)."""
    ids: dict[str, str] = {}
    for node in children(ref, "ID"):
        kind = attribute(node, "type")
        value = (node.text or "").strip()
        if kind and value and kind not in ids:
            ids[kind] = value
    return ids


def reference_id(ref: Element | None, *types: str) -> str | None:
    """The first of `types` the reference carries."""
    ids = reference_ids(ref)
    for kind in types:
        if kind in ids:
            return ids[kind]
    return None


def descriptor(ref: Element | None) -> str | None:
    """The human label of a reference, when Workday sent one."""
    if ref is None:
        return None
    value = attribute(ref, "Descriptor")
    return value.strip() or None if value else None


def boolean(value: str | None) -> bool:
    """Workday booleans: `1`/`0` in responses, `true`/`false` in requests."""
    return (value or "").strip().lower() in ("1", "true")


def date_time(value: str | None) -> datetime | None:
    """An xsd:dateTime (`2026-03-02T16:05:44.120-08:00`, `…Z`); None when absent or unreadable."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def decode_base64(value: str | None, *, what: str) -> bytes:
    """The bytes of an xsd:base64Binary text; ParseError when it is not base64."""
    if not value:
        return b""
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ParseError(f"The content of {what} is not valid base64.") from exc
