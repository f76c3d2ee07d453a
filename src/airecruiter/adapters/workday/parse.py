"""Workday Recruiting responses → typed records, for both the v4x and the older v31 shapes.

Every reader selects references by `wd:type`, never by position, tolerates absent optional
elements, and accepts each alternative the tenants are known to emit (docs/architecture.md: Workday, 2 and 3).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from airecruiter.adapters.workday.self_id import self_identification
from airecruiter.adapters.workday.xml import (
    SOAP_NS,
    Element,
    boolean,
    child,
    children,
    date_time,
    decode_base64,
    descriptor,
    local,
    parse_xml,
    reference_id,
    text,
)
from airecruiter.domain.text_hygiene import clean_characters, clean_line
from airecruiter.errors import ParseError
from airecruiter.ports.workday import Application, Attachment, AttachmentInfo, Requisition

RECRUITER_ROLES = ("Primary_Recruiter", "Recruiter")  # default of WORKDAY_RECRUITER_ROLES
PERSON_ID_TYPES = ("Employee_ID", "Contingent_Worker_ID", "WID")


@dataclass(frozen=True)
class Fault:
    """A SOAP fault: its code, its text, and Workday's detail messages."""

    code: str  # e.g. SOAP-ENV:Client.validationError
    message: str
    details: list[str] = field(default_factory=list)
    xpaths: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """`validationError`, `processingError`, `authenticationError`, or the bare code."""
        return self.code.rpartition(".")[2] if "." in self.code else self.code.rpartition(":")[2]

    def describe(self) -> str:
        """Workday's own words, most specific first, without repeats."""
        seen: list[str] = []
        for line in self.details:
            if line and not any(line in s for s in seen):
                seen.append(line)
        # The faultstring is "Validation error occurred. {first detail}": add it only when it says more.
        if self.message and not any(self.message in s or s in self.message for s in seen):
            seen.append(self.message)
        return "; ".join(seen) or self.code


@dataclass(frozen=True)
class PageInfo:
    """`Response_Results` plus the snapshot time the server used."""

    total_results: int
    total_pages: int
    page: int
    page_results: int
    as_of_entry: str | None = None


def envelope_body(data: bytes) -> Element:
    """The SOAP Body of a response; ParseError when the bytes are not a SOAP envelope."""
    root = parse_xml(data)
    if root.tag != f"{{{SOAP_NS}}}Envelope":
        raise ParseError(f"Workday's response is not a SOAP 1.1 envelope (root element {local(root)!r}).")
    body = next((c for c in root if c.tag == f"{{{SOAP_NS}}}Body"), None)
    if body is None:
        raise ParseError("Workday's SOAP envelope has no Body.")
    return body


def find_fault(body: Element) -> Fault | None:
    """The fault in a SOAP Body, if it holds one."""
    fault = next((c for c in body if c.tag == f"{{{SOAP_NS}}}Fault"), None)
    if fault is None:
        return None
    details: list[str] = []
    xpaths: list[str] = []
    detail = child(fault, "detail")
    # Validation_Fault holds Validation_Error*; Processing_Fault holds its Detail_Message itself.
    errors = list(children(child(detail, "Validation_Fault"), "Validation_Error"))
    processing = child(detail, "Processing_Fault")
    if processing is not None:
        errors.append(processing)
    for error in errors:
        line = text(error, "Detail_Message") or text(error, "Message")
        if line:
            details.append(line)
        if xpath := text(error, "Xpath"):
            xpaths.append(xpath)
    return Fault(
        code=text(fault, "faultcode") or "SOAP-ENV:Server",
        message=text(fault, "faultstring") or "",
        details=details,
        xpaths=xpaths,
    )


def payload(body: Element, operation: str) -> Element:
    """The `{operation}_Response` element; ParseError when the Body holds something else."""
    element = next(children(body, f"{operation}_Response"), None)
    if element is None:
        found = next((local(c) for c in body if isinstance(c.tag, str)), "nothing")
        raise ParseError(f"Workday answered {operation} with {found!r} instead of {operation}_Response.")
    return element


def _int(value: str | None, what: str) -> int:
    try:
        return int(float(value or "0"))
    except (ValueError, OverflowError) as exc:
        raise ParseError(f"Workday's {what} is not a number: {value!r}.") from exc


def page_info(response: Element) -> PageInfo:
    """Paging facts of a Get_* response; a response without them is one complete page."""
    results = child(response, "Response_Results")
    as_of = text(response, "Response_Filter", "As_Of_Entry_DateTime")
    if results is None:
        data = child(response, "Response_Data")
        count = 0 if data is None else sum(1 for c in data if isinstance(c.tag, str))
        return PageInfo(total_results=count, total_pages=1, page=1, page_results=count, as_of_entry=as_of)
    return PageInfo(
        total_results=_int(text(results, "Total_Results"), "Total_Results"),
        total_pages=_int(text(results, "Total_Pages"), "Total_Pages"),
        page=_int(text(results, "Page"), "Page") or 1,
        page_results=_int(text(results, "Page_Results"), "Page_Results"),
        as_of_entry=as_of,
    )


def data_items(response: Element, name: str) -> Iterator[Element]:
    """The `Response_Data/{name}` elements of a response."""
    yield from children(child(response, "Response_Data"), name)


def _first(*elements: Element | None) -> Element | None:
    # Not `a or b`: an lxml element without children is falsy.
    return next((e for e in elements if e is not None), None)


def same_id(value: str | None, wanted: Iterable[str]) -> bool:
    """True when a reference ID Workday returned is one of `wanted`, ignoring case (tenant data)."""
    return value is not None and value.casefold() in {w.casefold() for w in wanted}


def _assignees(assignment: Element) -> Iterator[Element]:
    """Who holds a role assignment, the worker before the position, in both shapes.

    v4x (v46 XSD): `Role_Assignee/{Role_Assignee_Reference*, Worker_Reference?}`;
    v31 (v26.1 XSD): `Role_Assignee_Reference*` directly under `Role_Assignment_Data`.
    """
    for assignee in children(assignment, "Role_Assignee"):
        yield from children(assignee, "Worker_Reference")
        yield from children(assignee, "Role_Assignee_Reference")
    yield from children(assignment, "Role_Assignee_Reference")


def _recruiter(data: Element, roles: Sequence[str]) -> tuple[str | None, str | None]:
    for assignment in children(data, "Role_Assignment_Data"):
        role = child(assignment, "Role_Reference")
        if not same_id(reference_id(role, "Organization_Role_ID"), roles):
            continue
        for person in _assignees(assignment):
            return descriptor(person), reference_id(person, *PERSON_ID_TYPES)
    return None, None


def role_ids(element: Element) -> set[str]:
    """The Organization_Role_IDs of a `Job_Requisition`'s role assignments that someone holds."""
    data = child(element, "Job_Requisition_Data")
    found = set()
    for assignment in children(data, "Role_Assignment_Data"):
        role = reference_id(child(assignment, "Role_Reference"), "Organization_Role_ID")
        if role is not None and next(_assignees(assignment), None) is not None:
            found.add(role)
    return found


def parse_requisition(element: Element, *, recruiter_roles: Sequence[str] = RECRUITER_ROLES) -> Requisition:
    """One `Job_Requisition` element; the recruiter is the holder of the first of `recruiter_roles`."""
    ref = child(element, "Job_Requisition_Reference")
    requisition_id = reference_id(ref, "Job_Requisition_ID", "WID")
    if requisition_id is None:
        raise ParseError("A requisition in Workday's response has no Job_Requisition_ID.")
    data = child(element, "Job_Requisition_Data")
    detail = child(data, "Job_Requisition_Detail_Data")
    recruiter_name, recruiter_id = _recruiter(data, recruiter_roles) if data is not None else (None, None)
    summary = text(detail, "Job_Description_Summary")
    return Requisition(
        requisition_id=requisition_id,
        title=clean_line(text(detail, "Job_Posting_Title") or descriptor(ref) or requisition_id),
        description=clean_characters(text(detail, "Job_Description") or summary or ""),
        status=reference_id(child(data, "Job_Requisition_Status_Reference"), "Job_Requisition_Status_ID"),
        recruiter_name=clean_line(recruiter_name) if recruiter_name else None,
        recruiter_id=recruiter_id,
        summary=summary,
        wid=reference_id(ref, "WID"),
    )


def _names(candidate_data: Element | None) -> tuple[str, str]:
    names = child(candidate_data, "Name_Data")
    detail = _first(child(names, "Legal_Name", "Name_Detail_Data"), child(names, "Preferred_Name", "Name_Detail_Data"))
    source = detail if detail is not None else names  # v31: First_Name directly under Name_Data
    return clean_line(text(source, "First_Name") or ""), clean_line(text(source, "Last_Name") or "")


@dataclass(frozen=True)
class CandidateRecord:
    """A candidate with all of their applications, and the résumés sent with each."""

    candidate_id: str
    applications: list[Application]
    resumes: dict[str, list[Attachment]]  # by application id


def _application_id(application_data: Element, applied: Element, *, only: bool) -> str | None:
    """The id of one Job_Applied_To_Data: its own first; the enclosing reference only when it is alone.

    A Job_Application_Data may hold several Job_Applied_To_Data (v46: 1..n); their ids must not be
    taken from the one Job_Application_Reference they share.
    """
    own_ref = child(applied, "Job_Application_Reference")
    shared_ref = child(application_data, "Job_Application_Reference") if only else None
    return (
        text(applied, "Job_Application_ID")
        or reference_id(own_ref, "Job_Application_ID")
        or reference_id(shared_ref, "Job_Application_ID")
        or reference_id(own_ref, "WID")
        or reference_id(shared_ref, "WID")
    )


def phone(contact: Element | None) -> str | None:
    """The phone number with its country code and extension (v46 Contact_Data), as one line.

    `Country_Phone_Code_Reference` names the code by Country_Phone_Code_ID (e.g. DEU_49) or in its
    Descriptor ("Germany (+49)"); a number already written with '+' keeps its own.
    """
    number = text(contact, "Phone_Number")
    if not number:
        return None
    code_ref = child(contact, "Country_Phone_Code_Reference")
    code = None
    if code_ref is not None:
        label = descriptor(code_ref) or ""
        ident = reference_id(code_ref, "Country_Phone_Code_ID") or ""
        found = re.search(r"\+\s*(\d+)", label) or re.search(r"_(\d+)$", ident)
        code = found.group(1) if found else None
    line = number if code is None or number.lstrip().startswith("+") else f"+{code} {number}"
    extension = text(contact, "Phone_Extension")
    return f"{line} ext. {extension}" if extension else line


def parse_candidate(element: Element) -> CandidateRecord:
    """One `Candidate` element: identity, contact, and one record per application."""
    ref = child(element, "Candidate_Reference")
    data = child(element, "Candidate_Data")
    candidate_id = reference_id(ref, "Candidate_ID") or text(data, "Candidate_ID") or reference_id(ref, "WID")
    if candidate_id is None:
        raise ParseError("A candidate in Workday's response has no Candidate_ID.")
    first, last = _names(data)
    contact = child(data, "Contact_Data")
    status = child(data, "Status_Data")
    applications: list[Application] = []
    resumes: dict[str, list[Attachment]] = {}
    for application_data in children(data, "Job_Application_Data"):
        files = [parse_attachment(a, what="a résumé") for a in children(application_data, "Resume_Attachment_Data")]
        applied_to = list(children(application_data, "Job_Applied_To_Data"))
        for applied in applied_to:
            application_id = _application_id(application_data, applied, only=len(applied_to) == 1)
            requisition_id = reference_id(child(applied, "Job_Requisition_Reference"), "Job_Requisition_ID", "WID")
            if application_id is None or requisition_id is None:
                raise ParseError(f"An application of candidate {candidate_id} lacks its id or its requisition.")
            applications.append(
                Application(
                    application_id=application_id,
                    candidate_id=candidate_id,
                    requisition_id=requisition_id,
                    first_name=first,
                    last_name=last,
                    email=text(contact, "Email_Address"),
                    phone=phone(contact),
                    stage=reference_id(child(applied, "Stage_Reference"), "Recruiting_Stage_ID"),
                    disposition=reference_id(child(applied, "Disposition_Reference"), "Recruiting_Disposition_ID"),
                    status_changed_at=date_time(text(applied, "Status_Timestamp")),
                    applied_at=date_time(text(applied, "Job_Application_Date")),
                    withdrawn=boolean(text(status, "Withdrawn")),
                    do_not_hire=boolean(text(status, "Do_Not_Hire")),
                    self_identification=self_identification(applied),
                )
            )
            resumes[application_id] = list(files)
    return CandidateRecord(candidate_id=candidate_id, applications=applications, resumes=resumes)


def prospect_resumes(element: Element) -> list[Attachment]:
    """Résumés a prospect carries outside any application."""
    holder = child(element, "Candidate_Data", "Prospect_Data", "Prospect_Attachment_Data")
    return [parse_attachment(a, what="a résumé") for a in children(holder, "Resume_Attachments")]


def parse_attachment(
    element: Element, *, what: str, category: str | None = None, attachment_id: str | None = None
) -> Attachment:
    """An `Attachment_WWS_Data`-shaped element: filename, bytes, content type."""
    filename = text(element, "Filename")
    if filename is None:
        raise ParseError(f"Workday sent {what} without a filename.")
    return Attachment(
        filename=filename,
        content_type=reference_id(child(element, "Mime_Type_Reference"), "Content_Type_ID"),
        content=decode_base64(text(element, "File_Content"), what=f"{what} {filename!r}"),
        attachment_id=attachment_id or text(element, "ID"),
        category=category,
    )


def _category(data: Element) -> str | None:
    return reference_id(
        child(data, "Document_Category_Reference"),
        "Document_Category__Workday_Owned__ID",
        "Document_Category_ID",
        "WID",
    )


def _candidate_attachment(data: Element | None) -> Attachment:
    """A `Candidate_Attachment_Data` element: the file with its WID and document category."""
    attachment = child(data, "Attachment_Data")
    if data is None or attachment is None:
        raise ParseError("A candidate attachment in Workday's response has no Attachment_Data.")
    wid = reference_id(child(data, "Candidate_Attachment_Reference"), "WID")
    return parse_attachment(attachment, what="an attachment", category=_category(data), attachment_id=wid)


def parse_candidate_attachment(element: Element) -> Attachment:
    """One `Candidate_Attachment` element of Get_Candidate_Attachments."""
    return _candidate_attachment(child(element, "Candidate_Attachment_Data"))


@dataclass(frozen=True)
class InlineAttachments:
    """v4x `Candidate_Data/Candidate_Attachment_Data`, sent with Get_Candidates unless attachments are excluded."""

    # Whether the answer held the candidate's attachments with their bytes: some came, each with its
    # Attachment_Data (none also when the tenant's version sends none, so that is no proof of absence).
    complete: bool
    matching: list[Attachment]  # those in the wanted document categories, decoded, in Workday's order


def inline_attachments(element: Element, *, categories: Sequence[str]) -> InlineAttachments:
    """The candidate-level attachments that came inline with a `Candidate`; only `categories` are decoded."""
    items = list(children(child(element, "Candidate_Data"), "Candidate_Attachment_Data"))
    complete = bool(items) and all(child(d, "Attachment_Data") is not None for d in items)
    wanted = [d for d in items if complete and same_id(_category(d), categories)]
    return InlineAttachments(complete, [_candidate_attachment(d) for d in wanted])


def parse_attachment_info(element: Element) -> AttachmentInfo:
    """Filename, id and category of a `Candidate_Attachment`, without decoding its bytes."""
    data = child(element, "Candidate_Attachment_Data")
    filename = text(data, "Attachment_Data", "Filename")
    if data is None or filename is None:
        raise ParseError("A candidate attachment in Workday's response has no filename.")
    wid = reference_id(child(data, "Candidate_Attachment_Reference"), "WID")
    return AttachmentInfo(filename=filename, attachment_id=wid, category=_category(data))


def uploaded_attachment_id(response: Element) -> str | None:
    """The WID of the attachment Put_Candidate_Attachment created."""
    wid = reference_id(child(response, "Attachment_Reference"), "WID")
    if wid:
        return wid
    for data in children(response, "Job_Application_Attachment_Data"):
        wid = reference_id(child(data, "Job_Application_Attachment_Reference"), "WID")
        if wid:
            return wid
    return None
