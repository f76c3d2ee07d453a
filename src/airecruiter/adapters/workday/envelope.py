"""SOAP request envelopes for the Recruiting operations, built with lxml in XSD element order."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from airecruiter.adapters.workday.xml import SOAP_NS, WD_NS, Element

_NSMAP = {"soapenv": SOAP_NS, "bsvc": WD_NS}
B = "{" + WD_NS + "}"


def _sub(parent: Element, name: str, value: str | None = None, **attributes: str) -> Element:
    element = etree.SubElement(parent, B + name, {B + k: v for k, v in attributes.items()})
    if value is not None:
        element.text = value
    return element


def _reference(parent: Element, name: str, id_type: str, value: str) -> Element:
    ref = _sub(parent, name)
    _sub(ref, "ID", value, type=id_type)
    return ref


def timestamp(moment: datetime) -> str:
    """An xsd:dateTime in UTC, to the millisecond when the moment has a fraction of a second."""
    utc = moment.astimezone(UTC)
    if utc.microsecond == 0:
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    # Not truncated to the second: a snapshot pinned to the start of this second would hide what
    # changed in the last few hundred milliseconds, such as the upload a retried upload looks for.
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class Paging:
    """A `Response_Filter`: which page of which snapshot."""

    page: int
    count: int
    as_of_entry: datetime


class Request:
    """One operation's request: `Body/{operation}_Request`, serialised by `to_bytes`."""

    def __init__(self, operation: str, version: str, *, descriptors: bool = False, **attributes: str) -> None:
        self.operation = operation
        self._envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap=_NSMAP)
        if descriptors:
            header = etree.SubElement(self._envelope, f"{{{SOAP_NS}}}Header")
            common = _sub(header, "Workday_Common_Header")
            _sub(common, "Include_Reference_Descriptors_In_Response", "true")
        body = etree.SubElement(self._envelope, f"{{{SOAP_NS}}}Body")
        self.root = _sub(body, f"{operation}_Request", version=version, **attributes)

    def element(self, name: str, value: str | None = None, *, parent: Element | None = None) -> Element:
        """Append a child element (to the request root unless `parent` is given)."""
        return _sub(self.root if parent is None else parent, name, value)

    def reference(self, parent: Element, name: str, id_type: str, value: str) -> Element:
        """Append a `*_Reference` with one typed ID."""
        return _reference(parent, name, id_type, value)

    def paging(self, paging: Paging) -> None:
        """Append a Response_Filter pinned to the snapshot: its UTC date and instant, never left to the echo."""
        rf = self.element("Response_Filter")
        self.element("As_Of_Effective_Date", paging.as_of_entry.astimezone(UTC).date().isoformat(), parent=rf)
        self.element("As_Of_Entry_DateTime", timestamp(paging.as_of_entry), parent=rf)
        self.element("Page", str(paging.page), parent=rf)
        self.element("Count", str(paging.count), parent=rf)

    def group(self, **flags: bool) -> None:
        """Append a Response_Group with the given flags, in the order given."""
        group = self.element("Response_Group")
        for name, value in flags.items():
            self.element(name, "true" if value else "false", parent=group)

    def to_bytes(self) -> bytes:
        """The envelope as UTF-8 bytes with an XML declaration."""
        return bytes(etree.tostring(self._envelope, xml_declaration=True, encoding="UTF-8"))


def get_job_requisitions(
    version: str,
    paging: Paging,
    *,
    status: str | None,
    updated: tuple[datetime, datetime] | None,
    requisition_ids: Sequence[str] = (),
) -> Request:
    """Get_Job_Requisitions with roles (for the recruiter) and definition data."""
    request = Request("Get_Job_Requisitions", version, descriptors=True)
    if requisition_ids:
        refs = request.element("Request_References")
        refs.set(B + "Skip_Non_Existing_Instances", "true")
        for requisition_id in requisition_ids:
            request.reference(refs, "Job_Requisition_Reference", "Job_Requisition_ID", requisition_id)
    if status is not None or updated is not None:
        criteria = request.element("Request_Criteria")
        if updated is not None:
            log = request.element("Transaction_Log_Criteria_Data", parent=criteria)
            window = request.element("Transaction_Date_Range_Data", parent=log)
            request.element("Updated_From", timestamp(updated[0]), parent=window)
            request.element("Updated_Through", timestamp(updated[1]), parent=window)
        if status is not None:
            request.reference(criteria, "Job_Requisition_Status_Reference", "Job_Requisition_Status_ID", status)
    request.paging(paging)
    request.group(
        Include_Reference=True,
        Include_Job_Requisition_Definition_Data=True,
        Include_Job_Requisition_Restrictions_Data=True,
        Include_Roles=True,
    )
    return request


def get_candidates_by_requisition(version: str, paging: Paging, requisition_id: str) -> Request:
    """Get_Candidates of one requisition, without attachments."""
    request = Request("Get_Candidates", version)
    criteria = request.element("Request_Criteria")
    request.reference(criteria, "Job_Requisition_Reference", "Job_Requisition_ID", requisition_id)
    request.paging(paging)
    request.group(Include_Reference=True, Exclude_All_Attachments=True)
    return request


def get_candidates_applied(version: str, paging: Paging, applied_from: datetime, applied_through: datetime) -> Request:
    """Get_Candidates who applied in a window (the fallback when the requisition filter is refused)."""
    request = Request("Get_Candidates", version)
    criteria = request.element("Request_Criteria")
    request.element("Applied_From", timestamp(applied_from), parent=criteria)
    request.element("Applied_Through", timestamp(applied_through), parent=criteria)
    request.paging(paging)
    request.group(Include_Reference=True, Exclude_All_Attachments=True)
    return request


def get_candidate_with_attachments(version: str, candidate_id: str) -> Request:
    """Get_Candidates for one candidate, attachments included (résumé path 1)."""
    request = Request("Get_Candidates", version)
    refs = request.element("Request_References")
    refs.set(B + "Skip_Non_Existing_Instances", "false")
    request.reference(refs, "Candidate_Reference", "Candidate_ID", candidate_id)
    request.group(Include_Reference=True, Exclude_All_Attachments=False)
    return request


def get_candidate_attachments(version: str, paging: Paging, candidate_id: str) -> Request:
    """Get_Candidate_Attachments of one candidate (résumé path 2, and the duplicate-upload check)."""
    request = Request("Get_Candidate_Attachments", version)
    criteria = request.element("Request_Criteria")
    request.reference(criteria, "Candidate_Reference", "Candidate_ID", candidate_id)
    request.paging(paging)
    request.group(Include_Reference=True)
    return request


def put_candidate_attachment(
    version: str,
    *,
    candidate_id: str,
    filename: str,
    content: bytes,
    content_type: str,
    category_type: str,
    category_id: str,
    comment: str | None,
) -> Request:
    """Put_Candidate_Attachment of one new candidate-level file."""
    request = Request("Put_Candidate_Attachment", version, Add_Only="true")
    request.reference(request.root, "Candidate_Reference", "Candidate_ID", candidate_id)
    data = request.element("Candidate_Attachment_Data")
    attachment = request.element("Attachment_Data", parent=data)
    request.element("Filename", filename, parent=attachment)
    request.element("File_Content", base64.b64encode(content).decode("ascii"), parent=attachment)
    request.reference(attachment, "Mime_Type_Reference", "Content_Type_ID", content_type)
    if comment:
        request.element("Comment", comment, parent=attachment)
    request.reference(data, "Document_Category_Reference", category_type, category_id)
    return request
