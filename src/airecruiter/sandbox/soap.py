"""The SOAP layer: read an envelope, dispatch on the Body's first Workday element, build the answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import structlog
from lxml import etree

from airecruiter.sandbox.chaos import Chaos
from airecruiter.sandbox.faults import UNEXPECTED_ERROR, ClientFault, ProcessingFault, SoapFault, ValidationFault
from airecruiter.sandbox.ops_attachments import get_candidate_attachments, put_candidate_attachment
from airecruiter.sandbox.ops_candidates import get_candidates
from airecruiter.sandbox.ops_requisitions import get_job_requisitions
from airecruiter.sandbox.paging import SnapshotStore
from airecruiter.sandbox.requests import Context
from airecruiter.sandbox.schema import validate_request
from airecruiter.sandbox.tenant import Tenant
from airecruiter.sandbox.xmlutil import (
    ENV,
    SOAP_NS,
    WD_NS,
    InvalidXML,
    child,
    is_wd,
    local_name,
    parse_bool,
    parse_xml,
    serialize,
    wd,
    wd_children,
)

log = structlog.get_logger(__name__)
Handler = Callable[[Context, etree._Element], None]
OPERATIONS: dict[str, Handler] = {
    "Get_Job_Requisitions": get_job_requisitions,
    "Get_Candidates": get_candidates,
    "Get_Candidate_Attachments": get_candidate_attachments,
    "Put_Candidate_Attachment": put_candidate_attachment,
}
UNPARSED = "(unparsed)"


@dataclass(frozen=True)
class ParsedRequest:
    """A readable SOAP request: which operation, its request element, and the header's wishes."""

    operation: str
    request: etree._Element
    descriptors: bool


def parse_request(body: bytes) -> ParsedRequest:
    """Parse and recognise a request; SoapFault for unreadable XML or an operation the sandbox lacks."""
    try:
        root = parse_xml(body)
    except InvalidXML:
        raise ClientFault("Invalid XML") from None
    if root.tag != ENV + "Envelope":
        raise ClientFault("Invalid request: the message is not a SOAP 1.1 Envelope")
    soap_body = root.find(ENV + "Body")
    if soap_body is None:
        raise ClientFault("Invalid request: the SOAP Envelope has no Body")
    elements = wd_children(soap_body)
    if not elements:
        raise ValidationFault.at("Invalid request: the SOAP Body is empty")
    request = elements[0]
    name = local_name(request)
    operation = name.removesuffix("_Request")
    if not is_wd(request) or not name.endswith("_Request") or operation not in OPERATIONS:
        raise ValidationFault.at(f"Invalid request: unsupported operation {operation}")
    validate_request(request)  # as a real tenant does, against the schema, before anything else
    return ParsedRequest(operation, request, _descriptors(root))


def _descriptors(root: etree._Element) -> bool:
    header = root.find(ENV + "Header")
    if header is None:
        return False
    common = child(header, "Workday_Common_Header")
    if common is None:
        return False
    flag = child(common, "Include_Reference_Descriptors_In_Response")
    return flag is not None and parse_bool(flag.text) is True


class SoapService:
    """Answers parsed requests against one tenant."""

    def __init__(self, tenant: Tenant, chaos: Chaos, snapshots: SnapshotStore | None = None) -> None:
        self.tenant = tenant
        self.chaos = chaos
        self.snapshots = snapshots or SnapshotStore()

    def execute(self, parsed: ParsedRequest, version: str) -> bytes:
        """The response envelope; raises SoapFault (an unexpected error becomes Server.processingError)."""
        envelope = etree.Element(ENV + "Envelope", nsmap={"env": SOAP_NS})
        body = etree.SubElement(envelope, ENV + "Body")
        response = etree.SubElement(body, wd(f"{parsed.operation}_Response"), nsmap={"wd": WD_NS})
        response.set(wd("version"), version)
        ctx = Context(
            self.tenant, self.chaos, self.snapshots, version, parsed.request, parsed.descriptors, self.tenant.now()
        )
        try:
            OPERATIONS[parsed.operation](ctx, response)
        except SoapFault:
            raise
        except Exception:
            log.exception("sandbox_unexpected_error", operation=parsed.operation)
            raise ProcessingFault(UNEXPECTED_ERROR) from None
        return serialize(envelope)
