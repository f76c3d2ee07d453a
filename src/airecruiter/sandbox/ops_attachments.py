"""Get_Candidate_Attachments and Put_Candidate_Attachment (spec 5.3, 5.4, 9.4; fixtures F9–F11, F14)."""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
from dataclasses import dataclass

from lxml import etree

from airecruiter.sandbox.candidate_render import application_ref, candidate_attachment, candidate_ref
from airecruiter.sandbox.faults import NOT_AUTHORIZED, ProcessingFault, ValidationFault, invalid_id_value
from airecruiter.sandbox.model import Application, Attachment, Candidate, Lookup
from airecruiter.sandbox.paging import add_response_filter, add_response_results, parse_response_filter
from airecruiter.sandbox.requests import (
    Context,
    add_ref,
    canonical,
    check_children,
    echo,
    require,
    resolve,
    resolve_all,
    skip_missing,
)
from airecruiter.sandbox.tenant import MIME_TYPES
from airecruiter.sandbox.xmlutil import child, child_text, children, parse_bool, sub, wd_attribute

MAX_ATTACHMENT_BYTES = 30 * 1024 * 1024  # Workday's attachment limit (spec 8)
TOP = ("Request_References", "Request_Criteria", "Response_Filter", "Response_Group")
PUT_TOP = (
    "Candidate_Reference",
    "Prospect_Resume_Attachments_Data",
    "Candidate_Attachment_Data",
    "Job_Application_Attachment_Data",
)
ATTACHMENT = ("ID", "Filename", "File_Content", "Mime_Type_Reference", "Comment")
_WHITESPACE = re.compile(rb"\s+")


def get_candidate_attachments(ctx: Context, response: etree._Element) -> None:
    """Answer Get_Candidate_Attachments: candidate-level attachments by candidate or by attachment WID."""
    request = ctx.request
    check_children(request, TOP)
    page = parse_response_filter(request, ctx.now)
    group = child(request, "Response_Group")
    if group is not None:
        check_children(group, ("Include_Reference",))  # S5: this operation takes nothing else
    references, criteria = child(request, "Request_References"), child(request, "Request_Criteria")
    chosen = _referenced(ctx, references) if references is not None else None
    candidates: set[str] | None = None
    if criteria is not None:
        check_children(criteria, ("Candidate_Reference",))
        candidates = {c.wid for c in resolve_all(ctx, criteria, "Candidate_Reference", "Candidate")}
    pool = chosen if chosen is not None else [a for c in ctx.tenant.candidates.values() for a in c.attachments]
    key = ("Get_Candidate_Attachments", canonical(references), canonical(criteria), page.as_of)
    snapshot = ctx.snapshots.get(
        key,
        page.as_of,
        ctx.now,
        lambda at: [
            a
            for a in dict.fromkeys(pool)
            if a.created_at <= at and (candidates is None or a.candidate_wid in candidates)
        ],
    )
    echo(response, references)
    echo(response, criteria)
    add_response_filter(response, child(request, "Response_Filter"))
    echo(response, group, booleans=True)
    start, end = add_response_results(response, len(snapshot.items), page)
    data = sub(response, "Response_Data")
    for attachment in snapshot.items[start:end]:
        element = sub(data, "Candidate_Attachment")
        candidate_ref(ctx, element, ctx.tenant.candidate(attachment.candidate_wid))
        candidate_attachment(ctx, element, attachment)


def _referenced(ctx: Context, references: etree._Element) -> list[Attachment]:
    """The candidate-level attachments named by Candidate_Attachment_Reference (WID)."""
    check_children(references, ("Candidate_Attachment_Reference",))
    skip = skip_missing(references)
    chosen = []
    for ref in children(references, "Candidate_Attachment_Reference"):
        found: Attachment | None = resolve(ctx, ref, "Candidate_Attachment", skip=skip)
        if found is not None and found.application_wid is not None:
            # A résumé on an application is not a candidate attachment for this operation.
            if not skip:
                raise invalid_id_value(found.wid, "WID", ref)
            found = None
        if found is not None:
            chosen.append(found)
    return chosen


@dataclass(frozen=True)
class FileUpload:
    """A validated Attachment_Data."""

    filename: str
    content: bytes
    content_type: str
    comment: str | None


def parse_attachment_data(ctx: Context, element: etree._Element | None, parent: etree._Element) -> FileUpload:
    """Validate an Attachment_Data: Filename, base64 File_Content within 30 MB, a known mime type."""
    if element is None:
        raise ValidationFault.at(f"Invalid request: {parent.tag.split('}')[-1]} requires Attachment_Data", parent)
    check_children(element, ATTACHMENT)
    filename = child_text(element, "Filename")
    if filename is None:
        raise ValidationFault.at("Invalid request: Filename is required", element)
    content_el = child(element, "File_Content")
    if content_el is None or not (content_el.text or "").strip():
        raise ValidationFault.at("Invalid request: File_Content is required", element)
    encoded = _WHITESPACE.sub(b"", content_el.text.encode("ascii", "replace") if content_el.text else b"")
    if len(encoded) // 4 * 3 - encoded[-2:].count(b"=") > MAX_ATTACHMENT_BYTES:
        raise ValidationFault.at("File exceeds maximum size", content_el)
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFault.at("Invalid request: File_Content is not valid base64", content_el) from None
    mime_el = child(element, "Mime_Type_Reference")
    if mime_el is not None:
        mime: Lookup = require(ctx, mime_el, "Mime_Type")
        content_type = mime.value
    else:
        guessed = mimetypes.guess_type(filename)[0]
        content_type = guessed if guessed in MIME_TYPES else "application/octet-stream"
    return FileUpload(filename, content, content_type, child_text(element, "Comment"))


@dataclass(frozen=True)
class ApplicationUpload:
    """A validated Job_Application_Attachment_Data."""

    application: Application
    file: FileUpload


def _application_upload(ctx: Context, element: etree._Element, candidate: Candidate | None) -> ApplicationUpload:
    check_children(element, ("Job_Requisition_Reference", "Job_Application_Reference", "Attachment_Data"))
    app_ref, req_ref = child(element, "Job_Application_Reference"), child(element, "Job_Requisition_Reference")
    application: Application | None = None
    if app_ref is not None:
        application = require(ctx, app_ref, "Job_Application")
    elif req_ref is not None:
        requisition = require(ctx, req_ref, "Job_Requisition")
        if candidate is None:
            raise ValidationFault.at(
                "Invalid request: Candidate_Reference is required to attach by requisition", req_ref
            )
        application = next((a for a in candidate.applications if a.requisition is requisition), None)
        if application is None:
            raise ValidationFault.at(
                f"Candidate '{candidate.candidate_id}' has no job application for "
                f"requisition '{requisition.requisition_id}'",
                req_ref,
            )
    if application is None:
        raise ValidationFault.at(
            "Invalid request: Job_Application_Reference or Job_Requisition_Reference is required", element
        )
    if candidate is not None and application.candidate is not candidate:
        raise ValidationFault.at(
            f"Job application '{application.application_id}' does not belong to candidate '{candidate.candidate_id}'",
            app_ref if app_ref is not None else element,
        )
    return ApplicationUpload(application, parse_attachment_data(ctx, child(element, "Attachment_Data"), element))


def put_candidate_attachment(ctx: Context, response: etree._Element) -> None:
    """Answer Put_Candidate_Attachment: validate everything first, then create (or replace) the files."""
    request = ctx.request
    check_children(request, PUT_TOP)
    if ctx.chaos.attachments_read_only:
        raise ProcessingFault(NOT_AUTHORIZED)
    add_only = parse_bool(wd_attribute(request, "Add_Only")) is True
    candidate_el, data_el = child(request, "Candidate_Reference"), child(request, "Candidate_Attachment_Data")
    per_application = children(request, "Job_Application_Attachment_Data")
    prospect = child(request, "Prospect_Resume_Attachments_Data")
    if prospect is not None:
        raise ValidationFault.at(
            "Invalid request: the candidate is not a prospect; use Candidate_Attachment_Data", prospect
        )
    if data_el is None and not per_application:
        raise ValidationFault.at(
            "Invalid request: Candidate_Attachment_Data or Job_Application_Attachment_Data is required", request
        )
    candidate: Candidate | None = require(ctx, candidate_el, "Candidate") if candidate_el is not None else None
    if data_el is not None and candidate is None:
        raise ValidationFault.at(
            "Invalid request: Candidate_Reference is required with Candidate_Attachment_Data", request
        )
    uploads = [_application_upload(ctx, element, candidate) for element in per_application]
    if candidate is None:
        candidate = uploads[0].application.candidate
        if any(u.application.candidate is not candidate for u in uploads):
            raise ValidationFault.at(
                "Invalid request: every job application must belong to the same candidate", request
            )
    new_attachment = _candidate_file(ctx, data_el, candidate, add_only) if data_el is not None else None
    created = [
        ctx.tenant.add_resume(
            u.application.application_id,
            u.file.filename,
            u.file.content,
            u.file.content_type,
            comment=u.file.comment,
            origin="upload",
        )
        for u in uploads
    ]
    candidate_ref(ctx, response, candidate)
    if new_attachment is not None:
        add_ref(ctx, response, "Attachment_Reference", [("WID", new_attachment.wid)], new_attachment.filename)
    for upload, attachment in zip(uploads, created, strict=True):
        element = sub(response, "Job_Application_Attachment_Data")
        application_ref(ctx, element, upload.application)
        add_ref(ctx, element, "Job_Application_Attachment_Reference", [("WID", attachment.wid)], attachment.filename)
        sub(element, "Job_Applications_Updated", "1")


def _candidate_file(ctx: Context, data: etree._Element, candidate: Candidate, add_only: bool) -> Attachment:
    """Validate Candidate_Attachment_Data and store it; only after the whole request has been checked."""
    check_children(data, ("Candidate_Attachment_Reference", "Attachment_Data", "Document_Category_Reference"))
    target: Attachment | None = None
    target_ref = child(data, "Candidate_Attachment_Reference")
    if target_ref is not None and not add_only:
        target = resolve(ctx, target_ref, "Candidate_Attachment")
        if target is None or target.candidate_wid != candidate.wid or target.application_wid is not None:
            first = child(target_ref, "ID")
            raise invalid_id_value((first.text or "").strip() if first is not None else "", "WID", target_ref)
    upload = parse_attachment_data(ctx, child(data, "Attachment_Data"), data)
    category_el = child(data, "Document_Category_Reference")
    if category_el is None:
        raise ValidationFault.at("Invalid request: Document_Category_Reference is required", data)
    category: Lookup = require(ctx, category_el, "Document_Category")
    if target is not None:
        return ctx.tenant.replace_attachment(
            target.wid,
            filename=upload.filename,
            content=upload.content,
            content_type=upload.content_type,
            comment=upload.comment,
            category=category.value,
        )
    return ctx.tenant.add_candidate_attachment(
        candidate.candidate_id,
        upload.filename,
        upload.content,
        upload.content_type,
        category=category.value,
        comment=upload.comment,
        origin="upload",
    )
