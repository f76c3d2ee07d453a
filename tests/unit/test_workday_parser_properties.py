"""Properties of the Workday response parser that no fixture list can cover.

(a) Whatever bytes arrive — noise, random element soups, or the real fixtures truncated, flipped,
    cut and duplicated — reading them fails only with ParseError, the error the queue knows to
    dead-letter; never with a crash the worker cannot classify.
(b) A candidate rendered in the v4x shape and in the older v31 shape reads as the same applications.
(c) DTD tricks (entity expansion, external entities and DTDs, parameter entities) are refused and
    never expanded, so no local file ever reaches a record.
"""

from __future__ import annotations

import copy
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from airecruiter.adapters.workday.parse import (
    data_items,
    envelope_body,
    find_fault,
    page_info,
    parse_attachment_info,
    parse_candidate,
    parse_candidate_attachment,
    parse_requisition,
    payload,
    prospect_resumes,
    uploaded_attachment_id,
)
from airecruiter.adapters.workday.xml import SOAP_NS, WD_NS, _parser, parse_xml
from airecruiter.domain.text_hygiene import clean_line
from airecruiter.errors import ParseError
from airecruiter.ports.workday import Application

FIXTURES = Path(__file__).parent / "workday_fixtures"
SEEDS = {
    name: (FIXTURES / name).read_bytes()
    for name in (
        "f06_get_candidates_response_v4x.xml",
        "f04_get_job_requisitions_response.xml",
        "f08_get_candidates_response_with_resume.xml",
        "f09_get_candidate_attachments_response.xml",
        "f12_fault_unknown_candidate.xml",
    )
}
F6 = SEEDS["f06_get_candidates_response_v4x.xml"]
F4 = SEEDS["f04_get_job_requisitions_response.xml"]

PROPERTY = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


# --- reading a response the way the client does ------------------------------------------------


def survive(call: Callable[..., Any], *args: Any) -> Any:
    """`call(*args)`, with ParseError (and only ParseError) turned into None."""
    try:
        return call(*args)
    except ParseError:
        return None


READERS: list[tuple[str, Callable[..., Any]]] = [
    ("Candidate", parse_candidate),
    ("Candidate", prospect_resumes),
    ("Job_Requisition", parse_requisition),
    ("Candidate_Attachment", parse_candidate_attachment),
    ("Candidate_Attachment", parse_attachment_info),
]


def read_like_the_client(data: bytes) -> list[Any]:
    """Everything the client reads from a response, each reader given its chance."""
    survive(parse_xml, data)
    body = survive(envelope_body, data)
    if body is None:
        return []
    records: list[Any] = []
    fault = survive(find_fault, body)
    if fault is not None:
        records += [fault.kind, fault.describe(), fault.xpaths]
    for operation in ("Get_Candidates", "Get_Job_Requisitions", "Get_Candidate_Attachments"):
        survive(payload, body, operation)
    for response in body:
        if not isinstance(response.tag, str):
            continue
        records += [survive(page_info, response), survive(uploaded_attachment_id, response)]
        for name, reader in READERS:
            records += [survive(reader, item) for item in data_items(response, name)]
    # Elements in the wrong place must not crash the readers either.
    records += [survive(parse_candidate, element) for element in body.iter()]
    return records


# --- (a) only ParseError escapes ----------------------------------------------------------------

XML_CHARS = st.characters(
    exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff", include_characters="\t\n\r"
)
MARKUP = ["<", ">", "&", "]]>", '"', "'", "&amp;", "<b>", "</wd:First_Name>", "<![CDATA[", " "]
markup_text = st.lists(st.one_of(st.text(XML_CHARS, max_size=6), st.sampled_from(MARKUP)), max_size=6).map("".join)
TRICKY = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "inf",
    "-inf",
    "NaN",
    "1e999",
    "9" * 400,
    "1",
    "true",
    "maybe",
    "2026-02-30T25:61:00Z",
    "2026-03-02T16:05:44.120-08:00",
    "not base64!",
    "JVBERi0",
    "====",
    "é",
]
field_text = st.one_of(st.sampled_from(TRICKY), markup_text)

_PLAIN = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real fixture after up to three element-level edits and at most one byte-level edit."""
    data = draw(st.sampled_from(sorted(SEEDS)).map(SEEDS.__getitem__))
    root = etree.fromstring(data, _PLAIN)
    for _ in range(draw(st.integers(0, 3))):
        elements = list(root.iter())[1:]
        if not elements:
            break
        target = elements[draw(st.integers(0, len(elements) - 1))]
        edit = draw(st.sampled_from(["delete", "duplicate", "retext", "unattribute", "move"]))
        if edit == "delete":
            target.getparent().remove(target)
        elif edit == "duplicate":
            target.addnext(copy.deepcopy(target))
        elif edit == "retext":
            target.text = draw(field_text)
        elif edit == "unattribute" and target.attrib:
            del target.attrib[draw(st.sampled_from(sorted(target.attrib)))]
        elif edit == "move":
            host = elements[draw(st.integers(0, len(elements) - 1))]
            if host is not target and target not in host.iterancestors():
                host.append(target)
    data = etree.tostring(root)
    edit = draw(st.sampled_from([None, None, None, "truncate", "flip", "splice"]))
    if edit == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif edit == "flip":
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    elif edit == "splice":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=12)) + data[at:]
    return data


@PROPERTY
@given(st.binary(max_size=2048))
def test_random_bytes_raise_only_parse_errors(data: bytes) -> None:
    read_like_the_client(data)


@PROPERTY
@given(st.text(max_size=512))
def test_random_text_raises_only_parse_errors(noise: str) -> None:
    read_like_the_client(noise.encode("utf-8"))
    wrapped = (
        f'<env:Envelope xmlns:env="{SOAP_NS}"><env:Body><wd:Get_Candidates_Response xmlns:wd="{WD_NS}">'
        f"{noise}</wd:Get_Candidates_Response></env:Body></env:Envelope>"
    )
    read_like_the_client(wrapped.encode("utf-8"))


@PROPERTY
@given(mutated())
@example(F6.replace(b"<wd:Total_Results>101<", b"<wd:Total_Results>inf<"))
@example(F4.replace(b"<wd:Total_Pages>1<", b"<wd:Total_Pages>1e999<"))
@example(F6.replace(b"<wd:Page>2</wd:Page>\n        <wd:Count>", b"<wd:Page>NaN</wd:Page>\n        <wd:Count>"))
def test_damaged_fixtures_raise_only_parse_errors(data: bytes) -> None:
    read_like_the_client(data)


VOCABULARY = [
    "Candidate",
    "Candidate_Reference",
    "Candidate_Data",
    "Candidate_ID",
    "Name_Data",
    "Legal_Name",
    "Name_Detail_Data",
    "First_Name",
    "Last_Name",
    "Contact_Data",
    "Email_Address",
    "Phone_Number",
    "Status_Data",
    "Withdrawn",
    "Job_Application_Data",
    "Job_Application_Reference",
    "Job_Applied_To_Data",
    "Job_Application_ID",
    "Job_Requisition_Reference",
    "Stage_Reference",
    "Disposition_Reference",
    "Status_Timestamp",
    "Job_Application_Date",
    "Resume_Attachment_Data",
    "Filename",
    "File_Content",
    "Mime_Type_Reference",
    "ID",
    "Response_Data",
    "Response_Results",
    "Total_Results",
    "Total_Pages",
    "Page",
    "Page_Results",
    "Response_Filter",
    "As_Of_Entry_DateTime",
    "Prospect_Data",
    "Prospect_Attachment_Data",
    "Resume_Attachments",
    "Job_Requisition",
    "Job_Requisition_Data",
    "Job_Requisition_Detail_Data",
    "Job_Posting_Title",
    "Role_Assignment_Data",
    "Role_Reference",
    "Role_Assignee_Reference",
    "Hiring_Requirement_Data",
    "Recruiter_Reference",
    "Candidate_Attachment",
    "Candidate_Attachment_Data",
    "Attachment_Data",
    "Document_Category_Reference",
    "Attachment_Reference",
    "Job_Application_Attachment_Data",
    "Fault",
    "faultcode",
    "faultstring",
    "detail",
    "Validation_Fault",
    "Validation_Error",
    "Message",
    "Detail_Message",
    "Xpath",
    "Processing_Fault",
    "Get_Candidates_Response",
    "Get_Job_Requisitions_Response",
    "Get_Candidate_Attachments_Response",
]
ID_TYPES = [
    "WID",
    "Candidate_ID",
    "Job_Application_ID",
    "Job_Requisition_ID",
    "Recruiting_Stage_ID",
    "Recruiting_Disposition_ID",
    "Content_Type_ID",
    "Employee_ID",
    "Organization_Role_ID",
    "Document_Category__Workday_Owned__ID",
    "Job_Requisition_Status_ID",
]
UNQUALIFIED = {"faultcode", "faultstring", "detail"}

soup_node = st.tuples(
    st.sampled_from(VOCABULARY), field_text, st.sampled_from([None, *ID_TYPES]), st.one_of(st.none(), markup_text)
)
soups = st.recursive(
    soup_node.map(lambda n: (*n, [])),
    lambda kids: st.tuples(
        st.sampled_from(VOCABULARY),
        field_text,
        st.sampled_from([None, *ID_TYPES]),
        st.one_of(st.none(), markup_text),
        st.lists(kids, max_size=5),
    ),
    max_leaves=20,
)


def _grow(parent: etree._Element, node: tuple[Any, ...]) -> None:
    name, value, id_type, label, kids = node
    namespace = SOAP_NS if name == "Fault" else None if name in UNQUALIFIED else WD_NS
    element = etree.SubElement(parent, f"{{{namespace}}}{name}" if namespace else name)
    element.text = value
    if id_type:
        element.set(f"{{{WD_NS}}}type", id_type)
    if label is not None:
        element.set(f"{{{WD_NS}}}Descriptor", label)
    for kid in kids:
        _grow(element, kid)


@settings(PROPERTY, max_examples=100)
@given(st.lists(soups, min_size=1, max_size=3))
def test_random_element_soups_raise_only_parse_errors(trees: list[tuple[Any, ...]]) -> None:
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"env": SOAP_NS, "wd": WD_NS})
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    for tree in trees:
        _grow(body, tree)
    read_like_the_client(etree.tostring(envelope))


# --- (b) the v4x and v31 shapes read the same --------------------------------------------------

offsets = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
moments = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1), timezones=offsets)
identifier = st.tuples(markup_text, st.sampled_from(string.ascii_letters + string.digits + "-_/"), markup_text).map(
    "".join
)
maybe_text = st.one_of(st.none(), markup_text)


@dataclass(frozen=True)
class DrawnApplication:
    application_id: str
    wid: str
    requisition_id: str
    stage: str | None
    disposition: str | None
    status_at: datetime | None
    applied_at: datetime | None
    zulu: bool


@dataclass(frozen=True)
class DrawnCandidate:
    candidate_id: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    withdrawn: bool
    do_not_hire: bool
    applications: list[DrawnApplication]
    groups: list[bool]  # v31 only: whether each application starts a new Job_Application_Data


drawn_applications = st.builds(
    DrawnApplication,
    application_id=identifier,
    wid=st.text("0123456789abcdef", min_size=32, max_size=32),
    requisition_id=identifier,
    stage=maybe_text,
    disposition=maybe_text,
    status_at=st.one_of(st.none(), moments),
    applied_at=st.one_of(st.none(), moments),
    zulu=st.booleans(),
)
drawn_candidates = st.builds(
    DrawnCandidate,
    candidate_id=identifier,
    first_name=markup_text,
    last_name=markup_text,
    email=maybe_text,
    phone=maybe_text,
    withdrawn=st.booleans(),
    do_not_hire=st.booleans(),
    applications=st.lists(drawn_applications, max_size=5, unique_by=lambda a: a.application_id.strip()),
    groups=st.lists(st.booleans(), min_size=5, max_size=5),
)


def _stamp(moment: datetime, zulu: bool) -> str:
    value = moment.isoformat(timespec="milliseconds")
    return value.replace("+00:00", "Z") if zulu else value


class Shape:
    """Builds one candidate document with lxml, in Workday's namespace under a chosen prefix."""

    def __init__(self, prefix: str | None) -> None:
        self.prefix = prefix
        self.envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"env": SOAP_NS})
        body = etree.SubElement(self.envelope, f"{{{SOAP_NS}}}Body")
        response = etree.SubElement(body, f"{{{WD_NS}}}Get_Candidates_Response", nsmap={prefix: WD_NS})
        self.candidate = self.add(self.add(response, "Response_Data"), "Candidate")

    def add(self, parent: etree._Element, name: str, value: str | None = None) -> etree._Element:
        element = etree.SubElement(parent, f"{{{WD_NS}}}{name}")
        element.text = value
        return element

    def ref(self, parent: etree._Element, name: str, **ids: str | None) -> None:
        ref = self.add(parent, name)
        for id_type, value in ids.items():
            if value is not None:
                node = self.add(ref, "ID", value)
                node.set("type" if self.prefix is None else f"{{{WD_NS}}}type", id_type)

    def optional_ref(self, parent: etree._Element, name: str, id_type: str, value: str | None) -> None:
        if value is not None:
            self.ref(parent, name, **{id_type: value})

    def dates(self, applied: etree._Element, app: DrawnApplication) -> None:
        if app.applied_at is not None:
            self.add(applied, "Job_Application_Date", _stamp(app.applied_at, app.zulu))

    def to_bytes(self) -> bytes:
        return etree.tostring(self.envelope)


def render_v4x(c: DrawnCandidate, prefix: str | None) -> bytes:
    doc = Shape(prefix)
    doc.ref(doc.candidate, "Candidate_Reference", WID="c0ffee00c0ffee00c0ffee00c0ffee01", Candidate_ID=c.candidate_id)
    data = doc.add(doc.candidate, "Candidate_Data")
    doc.add(data, "Candidate_ID", c.candidate_id)
    detail = doc.add(doc.add(doc.add(data, "Name_Data"), "Legal_Name"), "Name_Detail_Data")
    doc.add(detail, "First_Name", c.first_name)
    doc.add(detail, "Last_Name", c.last_name)
    contact = doc.add(data, "Contact_Data")
    if c.phone is not None:
        doc.add(contact, "Phone_Number", c.phone)
    if c.email is not None:
        doc.add(contact, "Email_Address", c.email)
    status = doc.add(data, "Status_Data")
    doc.add(status, "Do_Not_Hire", "1" if c.do_not_hire else "0")
    doc.add(status, "Withdrawn", "1" if c.withdrawn else "0")
    for app in c.applications:
        application = doc.add(data, "Job_Application_Data")
        doc.ref(application, "Job_Application_Reference", WID=app.wid, Job_Application_ID=app.application_id)
        applied = doc.add(application, "Job_Applied_To_Data")
        doc.add(applied, "Job_Application_ID", app.application_id)
        doc.ref(
            applied,
            "Job_Requisition_Reference",
            WID="3b6f0c1e9a2d4e7f8a1b2c3d4e5f6a7b",
            Job_Requisition_ID=app.requisition_id,
        )
        doc.dates(applied, app)
        doc.optional_ref(applied, "Stage_Reference", "Recruiting_Stage_ID", app.stage)
        doc.optional_ref(applied, "Disposition_Reference", "Recruiting_Disposition_ID", app.disposition)
        if app.status_at is not None:
            doc.add(applied, "Status_Timestamp", _stamp(app.status_at, app.zulu))
    return doc.to_bytes()


def render_v31(c: DrawnCandidate, prefix: str | None) -> bytes:
    doc = Shape(prefix)
    data = doc.add(doc.candidate, "Candidate_Data")  # F7: no Candidate_Reference
    doc.add(data, "Candidate_ID", c.candidate_id)
    names = doc.add(data, "Name_Data")
    doc.add(names, "First_Name", c.first_name)
    doc.add(names, "Last_Name", c.last_name)
    contact = doc.add(data, "Contact_Data")
    if c.email is not None:
        doc.add(contact, "Email_Address", c.email)
    if c.phone is not None:
        doc.add(contact, "Phone_Number", c.phone)
    status = doc.add(data, "Status_Data")
    doc.add(status, "Do_Not_Hire", "true" if c.do_not_hire else "false")
    doc.add(status, "Withdrawn", "true" if c.withdrawn else "false")
    application = None
    for app, new_group in zip(c.applications, c.groups, strict=False):
        if application is None or new_group:
            application = doc.add(data, "Job_Application_Data")  # v31: 1..n Job_Applied_To_Data in one
        applied = doc.add(application, "Job_Applied_To_Data")
        doc.ref(applied, "Job_Application_Reference", WID=app.wid, Job_Application_ID=app.application_id)
        doc.ref(applied, "Job_Requisition_Reference", Job_Requisition_ID=app.requisition_id)
        doc.dates(applied, app)
        doc.optional_ref(applied, "Stage_Reference", "Recruiting_Stage_ID", app.stage)
        doc.optional_ref(applied, "Disposition_Reference", "Recruiting_Disposition_ID", app.disposition)
        if app.status_at is not None:
            doc.add(applied, "Status_Timestamp", _stamp(app.status_at, app.zulu))
    return doc.to_bytes()


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


def _to_millis(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def expected(c: DrawnCandidate) -> list[Application]:
    return [
        Application(
            application_id=app.application_id.strip(),
            candidate_id=c.candidate_id.strip(),
            requisition_id=app.requisition_id.strip(),
            first_name=clean_line(c.first_name),
            last_name=clean_line(c.last_name),
            email=_clean(c.email),
            stage=_clean(app.stage),
            disposition=_clean(app.disposition),
            status_changed_at=_to_millis(app.status_at),
            applied_at=_to_millis(app.applied_at),
            phone=_clean(c.phone),
            withdrawn=c.withdrawn,
            do_not_hire=c.do_not_hire,
        )
        for app in c.applications
    ]


def read_candidates(data: bytes) -> list[Application]:
    [record] = [parse_candidate(c) for c in data_items(payload(envelope_body(data), "Get_Candidates"), "Candidate")]
    return record.applications


@PROPERTY
@given(drawn_candidates, st.sampled_from(["wd", "ns0", "bsvc", None]), st.sampled_from(["wd", "ns0", None]))
def test_v4x_and_v31_shapes_give_the_same_applications(
    candidate: DrawnCandidate, new_prefix: str | None, old_prefix: str | None
) -> None:
    from_v4x = read_candidates(render_v4x(candidate, new_prefix))
    from_v31 = read_candidates(render_v31(candidate, old_prefix))
    assert from_v4x == from_v31
    assert from_v4x == expected(candidate)
    assert all(a.status_changed_at is None or a.status_changed_at.tzinfo is not None for a in from_v4x)


# --- (c) DTD tricks are refused and never expanded ----------------------------------------------

MARK = "LEAK-6d1f2c"
ETC_PASSWD = Path("/etc/passwd")


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A secret file and an evil external DTD, as file:// URIs, with the markers they would leak."""
    folder = tmp_path_factory.mktemp("hostile")
    secret = folder / "secret.txt"
    secret.write_text(f"{MARK}-file", encoding="utf-8")
    dtd = folder / "evil.dtd"
    dtd.write_text(f'<!ENTITY x "{MARK}-dtd"><!ENTITY leak SYSTEM "{secret.as_uri()}">', encoding="utf-8")
    return {"secret": secret.as_uri(), "dtd": dtd.as_uri()}


def _laughs() -> str:
    levels = ['<!ENTITY a0 "lollollollol">']
    levels += [f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)]
    return "".join(levels) + '<!ENTITY x "&a9;">'


def doctypes(files: dict[str, str]) -> dict[str, str]:
    """Each attack as a DOCTYPE that would make `&x;` (or what it pulls in) expand."""
    return {
        "billion laughs": f"<!DOCTYPE env:Envelope [{_laughs()}]>",
        "external entity /etc/passwd": '<!DOCTYPE env:Envelope [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        "external entity file": f'<!DOCTYPE env:Envelope [<!ENTITY x SYSTEM "{files["secret"]}">]>',
        "external DTD": f'<!DOCTYPE env:Envelope SYSTEM "{files["dtd"]}">',
        "external DTD and subset": f'<!DOCTYPE env:Envelope SYSTEM "{files["dtd"]}" [<!ENTITY y "{MARK}-y">]>',
        "parameter entity, external": f'<!DOCTYPE env:Envelope [<!ENTITY % p SYSTEM "{files["dtd"]}"> %p;]>',
        "parameter entity, inline": f"<!DOCTYPE env:Envelope [<!ENTITY % p \"<!ENTITY x '{MARK}-pe'>\"> %p;]>",
        "parameter entity, /etc/passwd": '<!DOCTYPE env:Envelope [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
        "parameter entity, out of band": (
            '<!DOCTYPE env:Envelope [<!ENTITY % file SYSTEM "file:///etc/passwd">'
            "<!ENTITY % eval \"<!ENTITY &#x25; exfil SYSTEM 'file:///nonexistent/?%file;'>\"> %eval; %exfil;]>"
        ),
    }


ATTACKS = tuple(doctypes({"secret": "file:///unused", "dtd": "file:///unused"}))

PLACEMENTS = {
    "first name": (b"<wd:First_Name>Ana</wd:First_Name>", b"<wd:First_Name>&x;</wd:First_Name>"),
    "email": (b"<wd:Email_Address>ana.silva@example.com<", b"<wd:Email_Address>&x;&leak;<"),
    "total": (b"<wd:Total_Results>101<", b"<wd:Total_Results>&x;<"),
    "attribute": (b'<wd:ID wd:type="Candidate_ID">C000731</wd:ID>', b'<wd:ID wd:type="&x;">C000731</wd:ID>'),
}


def leaked_markers() -> list[str]:
    markers = [MARK, "lollollollollollollollol"]
    if ETC_PASSWD.is_file():
        first = next((line for line in ETC_PASSWD.read_text(errors="replace").splitlines() if line.strip()), "")
        if first:
            markers.append(first)
    return markers


def hostile_document(doctype: str, placement: str, padding: str, encoding: str) -> bytes:
    old, new = PLACEMENTS[placement]
    text = F6.replace(old, new).decode("utf-8")
    declaration = f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
    return (declaration + padding + doctype + "\n" + text).encode(encoding)


def assert_refused_and_unexpanded(data: bytes) -> None:
    with pytest.raises(ParseError) as caught:
        read_everything_strictly(data)
    leaks = leaked_markers()
    assert not any(m in str(caught.value) for m in leaks)
    # Below the refusal, the parser itself must not have expanded anything either.
    try:
        tree = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        return
    seen = etree.tostring(tree, encoding="unicode") + "".join(tree.itertext())
    assert not any(m in seen for m in leaks)


def read_everything_strictly(data: bytes) -> list[Any]:
    response = payload(envelope_body(data), "Get_Candidates")
    return [page_info(response), *(parse_candidate(c) for c in data_items(response, "Candidate"))]


@pytest.mark.parametrize("attack", ATTACKS)
def test_dtd_attacks_are_refused(attack: str, hostile_files: dict[str, str]) -> None:
    assert_refused_and_unexpanded(hostile_document(doctypes(hostile_files)[attack], "first name", "", "utf-8"))


@settings(max_examples=100, deadline=None, database=None)
@given(
    attack=st.sampled_from(ATTACKS),
    placement=st.sampled_from(sorted(PLACEMENTS)),
    padding=st.one_of(
        st.just(""),
        st.integers(1, 5000).map(lambda n: "\n" + " " * n),
        st.integers(1, 5000).map(lambda n: "<!--" + "x" * n + "-->"),
        st.integers(1, 5000).map(lambda n: "<?pad " + "y" * n + "?>"),
    ),
    encoding=st.sampled_from(["utf-8", "utf-16"]),
)
def test_dtd_attacks_are_refused_however_they_are_dressed(
    attack: str,
    placement: str,
    padding: str,
    encoding: str,
    hostile_files: dict[str, str],
) -> None:
    assert_refused_and_unexpanded(hostile_document(doctypes(hostile_files)[attack], placement, padding, encoding))
