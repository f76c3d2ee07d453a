"""The sandbox's compact request schema agrees with Workday's real v46.0 XSD (read from ../shared;
skipped where absent): element for element, on every request the client and the fixtures send, and
on one mutation of each kind a real tenant refuses."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from airecruiter.adapters.workday import envelope
from airecruiter.adapters.workday.envelope import Paging, Request
from airecruiter.sandbox.faults import ValidationFault
from airecruiter.sandbox.schema import REQUESTS, Choice, El, Particle, Ref, validate_request
from tests.workday_schema import REFERENCE, body_payload, real_schema, xsd_errors

XS = "{http://www.w3.org/2001/XMLSchema}"
WD = "urn:com.workday/bsvc"
FIXTURES = Path(__file__).parent / "workday_fixtures"
NOW = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
PAGE = Paging(1, 100, NOW)


# --- the compact schema, read again from the XSD --------------------------------------------------------


class _Xsd:
    def __init__(self) -> None:
        real_schema()  # skips where the reference material is absent
        root = etree.parse(str(REFERENCE / "v46.0" / "Recruiting.xsd")).getroot()
        self.types = {e.get("name"): e for e in root if e.tag in (XS + "complexType", XS + "simpleType")}
        self.elements = {e.get("name"): e for e in root if e.tag == XS + "element"}

    def type(self, name: str) -> etree._Element:
        return self.types[name.split(":")[-1]]

    def request(self, name: str) -> El:
        return self._complex(name, self.type(self.elements[name].get("type")), 1, 1)

    def _complex(self, name: str, ct: etree._Element, low: int, high: int | None) -> El:
        sequence = ct.find(XS + "sequence")
        parts = [] if sequence is None else [self._particle(p) for p in sequence if p.tag != XS + "annotation"]
        attributes = tuple((a.get("name") or a.get("ref").split(":")[-1]) for a in ct.findall(XS + "attribute"))
        return El(name, "complex", low, high, attributes=attributes, children=tuple(parts))

    def _particle(self, node: etree._Element) -> Particle:
        if node.tag == XS + "choice":
            options = [self._particle(o) for o in node if o.tag != XS + "annotation"]
            assert all(isinstance(o, El | Ref) for o in options)
            return Choice(*options)  # type: ignore[arg-type]
        name, kind = node.get("name"), node.get("type") or ""
        low = int(node.get("minOccurs", "1"))
        high = None if node.get("maxOccurs") == "unbounded" else int(node.get("maxOccurs", "1"))
        declared = self.types.get(kind.split(":")[-1]) if kind and not kind.startswith("xsd:") else None
        if declared is None or declared.tag == XS + "simpleType":
            simple = declared if declared is not None else node.find(XS + "simpleType")
            base = kind[4:] if kind.startswith("xsd:") else simple.find(XS + "restriction").get("base")[4:]
            return El(name, base, low, high)
        sequence = declared.find(XS + "sequence")
        kids = [k for k in sequence if k.tag != XS + "annotation"] if sequence is not None else []
        if len(kids) == 1 and kids[0].get("name") == "ID" and not kids[0].get("type").startswith("xsd:"):
            id_type = self.type(kids[0].get("type"))
            [enumeration] = [a.get("type") for a in id_type.iter(XS + "attribute") if a.get("name") == "type"]
            listed = tuple(e.get("value") for e in self.type(enumeration).iter(f"{{{WD}}}enumeration"))
            return Ref(name, low, high, listed)
        return self._complex(name, declared, low, high)


def test_the_compact_schema_is_what_the_v46_xsd_says() -> None:
    xsd = _Xsd()
    for name, compact in REQUESTS.items():
        assert compact == xsd.request(name), name


# --- requests both accept ---------------------------------------------------------------------------------


def _payload(request: Request) -> etree._Element:
    return body_payload(request.to_bytes())


CLIENT_REQUESTS: dict[str, Callable[[], Request]] = {
    "requisitions_open": lambda: envelope.get_job_requisitions("v45.0", PAGE, status="Open", updated=None),
    "requisitions_window": lambda: envelope.get_job_requisitions(
        "v45.0", PAGE, status="Open", updated=(NOW, NOW), requisition_ids=["R-00101"]
    ),
    "candidates_by_requisition": lambda: envelope.get_candidates_by_requisition("v45.0", PAGE, "R-00101"),
    "candidates_applied": lambda: envelope.get_candidates_applied("v45.0", PAGE, NOW, NOW),
    "candidate_with_attachments": lambda: envelope.get_candidate_with_attachments("v45.0", "C000101"),
    "candidate_attachments": lambda: envelope.get_candidate_attachments("v45.0", PAGE, "C000101"),
    "put_attachment": lambda: envelope.put_candidate_attachment(
        "v45.0",
        candidate_id="C000101",
        filename="CandidateReport_1.pdf",
        content=b"%PDF-1.7\n",
        content_type="application/pdf",
        category_type="Document_Category__Workday_Owned__ID",
        category_id="OTHER_DOCUMENTS",
        comment="report",
    ),
}
FIXTURE_REQUESTS = (
    "f02_get_job_requisitions_request.xml",
    "f05_get_candidates_request.xml",
    "f08_get_candidate_with_attachments_request.xml",
    "f09_get_candidate_attachments_request.xml",
    "f10_put_candidate_attachment_request.xml",
)


def _agree_valid(request: etree._Element) -> None:
    assert xsd_errors(request) == []
    validate_request(request)


@pytest.mark.parametrize("name", sorted(CLIENT_REQUESTS))
def test_every_request_the_client_sends_is_valid_to_both(name: str) -> None:
    _agree_valid(_payload(CLIENT_REQUESTS[name]()))


@pytest.mark.parametrize("name", FIXTURE_REQUESTS)
def test_every_request_fixture_is_valid_to_both(name: str) -> None:
    _agree_valid(body_payload((FIXTURES / name).read_bytes()))


@pytest.mark.parametrize("name", ["Get_Candidates_Request.xml"])
def test_workdays_own_sample_request_gets_the_same_verdict_from_both(name: str) -> None:
    # Workday's schema-generated sample fills every optional part, choice alternatives included, so
    # the XSD itself refuses it (Request_References and Request_Criteria); the compact schema agrees.
    real_schema()
    sample = etree.parse(str(REFERENCE / "samples-v45.2" / name)).getroot()
    request = sample if etree.QName(sample).localname.endswith("_Request") else body_payload(sample)
    xsd = xsd_errors(request)
    try:
        validate_request(request)
        compact = None
    except ValidationFault as fault:
        compact = str(fault)
    assert (xsd == []) == (compact is None), (xsd, compact)


# --- one mutation of each kind, refused by both --------------------------------------------------------------


def _wd(element: etree._Element, path: str) -> etree._Element:
    [found] = element.xpath(path, namespaces={"wd": WD})
    return found


def _swap_filter_and_group(r: etree._Element) -> None:
    group = _wd(r, "wd:Response_Group")
    r.remove(group)
    _wd(r, "wd:Response_Filter").addprevious(group)


def _unqualified_type(r: etree._Element) -> None:
    node = _wd(r, ".//wd:Candidate_Reference/wd:ID")
    node.set("type", node.attrib.pop(f"{{{WD}}}type"))


def _unqualified_add_only(r: etree._Element) -> None:
    r.set("Add_Only", r.attrib.pop(f"{{{WD}}}Add_Only"))


def _unknown_element(r: etree._Element) -> None:
    etree.SubElement(_wd(r, "wd:Response_Group"), f"{{{WD}}}Include_Requisition_Compensation").text = "true"


def _missing_required(r: etree._Element) -> None:
    category = _wd(r, ".//wd:Document_Category_Reference")
    category.getparent().remove(category)


# kind → (request to mutate, mutation, what the fault names)
MUTATIONS: dict[str, tuple[str, Callable[[etree._Element], None], str]] = {
    "element order": ("requisitions_open", _swap_filter_and_group, "out of order"),
    "unqualified type": ("candidate_with_attachments", _unqualified_type, "must be qualified (wd:type)"),
    "unqualified Add_Only": ("put_attachment", _unqualified_add_only, "must be qualified (wd:Add_Only)"),
    "unknown element": ("requisitions_open", _unknown_element, "unexpected element 'Include_Requisition_Compensation'"),
    "missing required element": ("put_attachment", _missing_required, "Document_Category_Reference is required"),
}


def mutated(kind: str) -> tuple[etree._Element, str]:
    """A client request with one mutation of that kind applied, and what the fault must name."""
    name, mutate, message = MUTATIONS[kind]
    envelope_root = etree.fromstring(CLIENT_REQUESTS[name]().to_bytes())
    mutate(body_payload(envelope_root))
    return envelope_root, message


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_each_kind_of_mutation_is_refused_by_both(kind: str) -> None:
    root, message = mutated(kind)
    request = body_payload(root)
    assert xsd_errors(request) != []
    with pytest.raises(ValidationFault) as refused:
        validate_request(request)
    assert message in str(refused.value)


def test_a_wrong_id_type_is_refused_and_the_xsd_does_not_list_it() -> None:
    # The XSD types wd:type as a string and lists the allowed values as wd:enumeration: a real tenant
    # refuses other values while validating, so the compact schema does, from that same list.
    request = copy.deepcopy(_payload(CLIENT_REQUESTS["candidate_with_attachments"]()))
    _wd(request, ".//wd:Candidate_Reference/wd:ID").set(f"{{{WD}}}type", "Employee_ID")
    listed = _Xsd().request("Get_Candidates_Request")
    [choice] = [p for p in listed.children if isinstance(p, Choice)]
    [references] = [o for o in choice.options if o.name == "Request_References"]
    assert isinstance(references, El) and isinstance(references.children[0], Ref)
    assert "Employee_ID" not in references.children[0].id_types
    with pytest.raises(ValidationFault, match="Invalid ID type 'Employee_ID' for Candidate"):
        validate_request(request)
