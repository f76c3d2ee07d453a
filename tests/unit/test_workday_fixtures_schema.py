"""Every unit fixture that claims the v4x shape is valid to Workday's real v46.0 XSD (read from
../shared; skipped where absent), and so is the detail of every fault fixture. Fixtures of the v31
shape are checked to be refused by v46, so none passes for the other shape by mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.workday_schema import WD, body_payload, xsd_errors

FIXTURES = Path(__file__).parent / "workday_fixtures"
ENVELOPES = sorted(
    p.name for p in FIXTURES.glob("*.xml") if etree.QName(etree.parse(str(p)).getroot()).localname == "Envelope"
)


def _payload(name: str) -> etree._Element:
    return body_payload(etree.parse(str(FIXTURES / name)).getroot())


def _version(payload: etree._Element) -> str | None:
    return payload.get(f"{{{WD}}}version")


@pytest.mark.parametrize("name", ENVELOPES)
def test_fixtures_claiming_v4x_are_valid_to_v46(name: str) -> None:
    payload = _payload(name)
    if etree.QName(payload).localname == "Fault":
        details = payload.findall("detail/*")
        assert all(xsd_errors(d) == [] for d in details), name
        return
    version = _version(payload)
    assert version is not None, f"{name} does not say which version it is"
    if version.startswith("v4"):
        assert xsd_errors(payload) == [], name
    else:
        assert version.startswith("v31") and xsd_errors(payload) != [], name
