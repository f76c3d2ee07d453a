"""Workday's real Recruiting XSD, read from the shared reference material beside the checkout.

`../shared/reference/workday-schema/` is present in CI; elsewhere the tests that need it skip and
say so. The files are never copied into this repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from lxml import etree

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "workday-schema"
WD = "urn:com.workday/bsvc"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"


def _path(version: str) -> Path:
    path = REFERENCE / version / "Recruiting.xsd"
    if not path.is_file():
        pytest.skip(f"Workday's real XSD is absent here (../shared/reference/workday-schema/{version}/Recruiting.xsd)")
    return path


@cache
def _schema(version: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(_path(version))))


def real_schema(version: str = "v46.0") -> etree.XMLSchema:
    """The compiled XSD of that release; skips the test where the reference material is absent."""
    _path(version)
    return _schema(version)


def xsd_errors(element: etree._Element, version: str = "v46.0") -> list[str]:
    """Why the real XSD rejects this wd: element (a request, a response or a fault detail); [] when valid."""
    schema = real_schema(version)
    document = etree.fromstring(etree.tostring(element))  # its own document, namespaces kept
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def errors_where_present(element: etree._Element, version: str = "v46.0") -> list[str]:
    """Like xsd_errors, but [] instead of a skip where the reference material is absent."""
    if not (REFERENCE / version / "Recruiting.xsd").is_file():
        return []
    return xsd_errors(element, version)


def body_payload(envelope: bytes | etree._Element) -> etree._Element:
    """The one element in a SOAP envelope's Body."""
    root = etree.fromstring(envelope) if isinstance(envelope, bytes) else envelope
    [payload] = [c for c in root.find(f"{{{SOAP}}}Body") if isinstance(c.tag, str)]
    return payload
