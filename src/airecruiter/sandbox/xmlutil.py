"""XML plumbing shared by the sandbox's SOAP handling: namespaces, a hardened parser, formats."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from lxml import etree

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WD_NS = "urn:com.workday/bsvc"
WD = f"{{{WD_NS}}}"
ENV = f"{{{SOAP_NS}}}"

# Workday answers in the tenant's zone; a fixed offset keeps the sandbox's output reproducible.
TENANT_ZONE = timezone(timedelta(hours=-8))

# lxml refuses text nodes over 10 MB unless huge_tree is on; only bodies that big need it.
HUGE_TREE_THRESHOLD = 10 * 1024 * 1024

_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$")


def _parser(huge: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=huge,
        remove_comments=True,
        remove_pis=True,
    )


_SMALL_PARSER = _parser(False)
_HUGE_PARSER = _parser(True)


class InvalidXML(ValueError):
    """The request body is not well-formed XML (or carries a DOCTYPE)."""


def parse_xml(body: bytes) -> etree._Element:
    """Parse untrusted XML with entities, DTDs and network access off; raises InvalidXML."""
    parser = _HUGE_PARSER if len(body) > HUGE_TREE_THRESHOLD else _SMALL_PARSER
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as error:
        raise InvalidXML(str(error)) from None
    if getattr(root.getroottree().docinfo, "doctype", ""):
        # A DOCTYPE is never part of a SOAP message; refusing it shuts the door on entity tricks.
        raise InvalidXML("DOCTYPE is not allowed")
    return root


def wd(name: str) -> str:
    """The Clark name of a Workday element or attribute."""
    return WD + name


def local_name(element: etree._Element) -> str:
    """The element's name without its namespace."""
    return etree.QName(element).localname


def is_wd(element: etree._Element) -> bool:
    """True when the node is an element in the Workday namespace."""
    return isinstance(element.tag, str) and etree.QName(element).namespace == WD_NS


def wd_children(element: etree._Element) -> list[etree._Element]:
    """Element children of `element` (comments and processing instructions skipped)."""
    return [child for child in element if isinstance(child.tag, str)]


def child(element: etree._Element, name: str) -> etree._Element | None:
    """The first Workday child called `name`."""
    return element.find(wd(name))


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """All Workday children called `name`."""
    return element.findall(wd(name))


def child_text(element: etree._Element, name: str) -> str | None:
    """The stripped text of the first child called `name`; None when absent or empty."""
    found = element.find(wd(name))
    if found is None or found.text is None:
        return None
    text = found.text.strip()
    return text or None


def wd_attribute(element: etree._Element, name: str) -> str | None:
    """An attribute given either Workday-qualified (bsvc:type) or unqualified (type)."""
    value = element.get(wd(name))
    return value if value is not None else element.get(name)


def sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    """Append a Workday element; lxml escapes the text, so user data is never spliced into markup."""
    element = etree.SubElement(parent, wd(name))
    if text is not None:
        element.text = text
    return element


def xpath_of(element: etree._Element) -> str:
    """The Workday-style Xpath of an element, from the operation's request element down."""
    steps: list[str] = []
    node: etree._Element | None = element
    while node is not None and is_wd(node):
        parent = node.getparent()
        name = local_name(node)
        index = 1
        if parent is not None:
            index = [c for c in wd_children(parent) if c.tag == node.tag].index(node) + 1
        steps.append(f"bsvc:{name}[{index}]")
        node = parent
    return "/" + "/".join(reversed(steps))


def parse_bool(text: str | None) -> bool | None:
    """xsd:boolean: true/false/1/0; None for anything else."""
    if text is None:
        return None
    return {"true": True, "1": True, "false": False, "0": False}.get(text.strip().lower())


def format_bool(value: bool) -> str:
    """Booleans as Workday writes them in responses."""
    return "1" if value else "0"


def parse_datetime(text: str) -> datetime | None:
    """xsd:dateTime with Z, an offset, or no zone (taken as UTC); None when malformed."""
    match = _DATETIME.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or ".0")[1:7].ljust(6, "0"))
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tzinfo=_zone(zone)
        )
    except ValueError:
        return None
    return moment.astimezone(UTC)


def parse_date(text: str) -> date | None:
    """xsd:date, optionally with a zone (ignored); None when malformed."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _zone(zone: str | None) -> timezone:
    if zone in (None, "Z"):
        return UTC
    sign = 1 if zone[0] == "+" else -1
    return timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))


def format_datetime(moment: datetime) -> str:
    """A data dateTime as the tenant writes it: YYYY-MM-DDThh:mm:ss.sss±hh:mm in the tenant zone."""
    return moment.astimezone(TENANT_ZONE).isoformat(timespec="milliseconds")


def parse_count(text: str) -> int | None:
    """An xsd:decimal that must be a whole number (Page, Count); None otherwise."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.to_integral_value():
        return None
    return int(value)


def serialize(root: etree._Element) -> bytes:
    """The document as UTF-8 bytes with an XML declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def truncate_ms(moment: datetime) -> datetime:
    """Drop sub-millisecond precision, so an echoed instant round-trips exactly."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
