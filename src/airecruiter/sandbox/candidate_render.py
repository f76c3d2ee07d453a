"""Candidate and attachment elements in the two response shapes (spec 5.2: v4x, and the older v31)."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime

from lxml import etree

from airecruiter.sandbox.model import Application, ApplicationState, Attachment, Candidate, Lookup
from airecruiter.sandbox.requests import Context, add_lookup_ref, add_ref
from airecruiter.sandbox.self_id import render_self_id
from airecruiter.sandbox.tenant import UnknownRecord
from airecruiter.sandbox.xmlutil import format_bool, format_datetime, sub

# Calling codes of the seeded phones → Workday's Country_Phone_Code_ID country part.
PHONE_COUNTRIES = {
    "1": ("USA", "United States of America"),
    "33": ("FRA", "France"),
    "351": ("PRT", "Portugal"),
    "41": ("CHE", "Switzerland"),
    "44": ("GBR", "United Kingdom"),
    "46": ("SWE", "Sweden"),
    "49": ("DEU", "Germany"),
    "65": ("SGP", "Singapore"),
    "971": ("ARE", "United Arab Emirates"),
}


def _phone(ctx: Context, contact: etree._Element, phone: str, v4x: bool) -> None:
    """v4x: the calling code as Country_Phone_Code_Reference, the rest as Phone_Number, any extension apart."""
    number, _, extension = phone.partition(" ext. ")
    code, _, rest = number.partition(" ")
    country = PHONE_COUNTRIES.get(code.removeprefix("+")) if code.startswith("+") and rest else None
    if not v4x or country is None:
        sub(contact, "Phone_Number", phone)
        return
    iso, name = country
    ident = f"{iso}_{code.removeprefix('+')}"
    wid = hashlib.md5(ident.encode(), usedforsecurity=False).hexdigest()
    add_ref(
        ctx,
        contact,
        "Country_Phone_Code_Reference",
        [("WID", wid), ("Country_Phone_Code_ID", ident)],
        f"{name} ({code})",
    )
    sub(contact, "Phone_Number", rest)
    if extension:
        sub(contact, "Phone_Extension", extension)


def candidate_ref(
    ctx: Context, parent: etree._Element, candidate: Candidate, name: str = "Candidate_Reference"
) -> etree._Element:
    """Candidate_Reference: WID, Candidate_ID."""
    return add_ref(
        ctx, parent, name, [("WID", candidate.wid), ("Candidate_ID", candidate.candidate_id)], candidate.name
    )


def application_ref(
    ctx: Context, parent: etree._Element, application: Application, name: str = "Job_Application_Reference"
) -> etree._Element:
    """Job_Application_Reference: WID, Job_Application_ID."""
    label = f"{application.candidate.name} - {application.requisition.requisition_id} {application.requisition.title}"
    return add_ref(
        ctx, parent, name, [("WID", application.wid), ("Job_Application_ID", application.application_id)], label
    )


def requisition_ref(ctx: Context, parent: etree._Element, application: Application, at: datetime) -> None:
    """Job_Requisition_Reference of an application."""
    requisition = application.requisition
    add_ref(
        ctx,
        parent,
        "Job_Requisition_Reference",
        [("WID", requisition.wid), ("Job_Requisition_ID", requisition.requisition_id)],
        requisition.descriptor(at),
    )


def mime_lookup(ctx: Context, content_type: str) -> Lookup:
    """The tenant's Mime_Type object for a content type (octet-stream for types it does not know)."""
    try:
        return ctx.tenant.lookup("Mime_Type", content_type)
    except UnknownRecord:
        return ctx.tenant.lookup("Mime_Type", "application/octet-stream")


def attachment_data(ctx: Context, parent: etree._Element, name: str, attachment: Attachment) -> None:
    """An Attachment_WWS_Data element: Filename, base64 File_Content, Mime_Type_Reference, Comment."""
    element = sub(parent, name)
    sub(element, "Filename", attachment.filename)
    sub(element, "File_Content", base64.b64encode(attachment.content).decode("ascii"))
    add_lookup_ref(ctx, element, "Mime_Type_Reference", mime_lookup(ctx, attachment.content_type))
    if attachment.comment:
        sub(element, "Comment", attachment.comment)


def candidate_attachment(ctx: Context, parent: etree._Element, attachment: Attachment) -> None:
    """Candidate_Attachment_Data: reference, Attachment_Data, Document_Category_Reference."""
    element = sub(parent, "Candidate_Attachment_Data")
    add_ref(ctx, element, "Candidate_Attachment_Reference", [("WID", attachment.wid)], attachment.filename)
    attachment_data(ctx, element, "Attachment_Data", attachment)
    if attachment.category is not None:
        add_lookup_ref(ctx, element, "Document_Category_Reference", attachment.category)


def render_candidate(
    ctx: Context,
    parent: etree._Element,
    candidate: Candidate,
    at: datetime,
    *,
    include_reference: bool,
    attachments: bool,
    only_requisitions: set[str] | None,
) -> None:
    """One Candidate element as of `at`, in the shape the chaos switch selects."""
    v4x = ctx.chaos.shape == "v4x"
    element = sub(parent, "Candidate")
    if include_reference:
        candidate_ref(ctx, element, candidate)
    data = sub(element, "Candidate_Data")
    sub(data, "Candidate_ID", candidate.candidate_id)
    _name(data, candidate, v4x)
    contact = sub(data, "Contact_Data")
    if candidate.phone:
        _phone(ctx, contact, candidate.phone, v4x)
    sub(contact, "Email_Address", candidate.email)
    status = sub(data, "Status_Data")
    sub(status, "Do_Not_Hire", format_bool(candidate.do_not_hire))
    sub(status, "Withdrawn", format_bool(candidate.withdrawn))
    for application, state in candidate.applications_at(at):
        if only_requisitions is not None and application.requisition.wid not in only_requisitions:
            continue
        _application(ctx, data, application, state, at, v4x=v4x, attachments=attachments)
    if v4x and attachments:
        for attachment in candidate.attachments_at(at):
            candidate_attachment(ctx, data, attachment)


def _name(data: etree._Element, candidate: Candidate, v4x: bool) -> None:
    name = sub(data, "Name_Data")
    holder = sub(sub(name, "Legal_Name"), "Name_Detail_Data") if v4x else name
    sub(holder, "First_Name", candidate.first_name)
    sub(holder, "Last_Name", candidate.last_name)


def _application(
    ctx: Context,
    parent: etree._Element,
    application: Application,
    state: ApplicationState,
    at: datetime,
    *,
    v4x: bool,
    attachments: bool,
) -> None:
    element = sub(parent, "Job_Application_Data")
    if v4x:
        application_ref(ctx, element, application)
    applied = sub(element, "Job_Applied_To_Data")
    if v4x:
        sub(applied, "Job_Application_ID", application.application_id)
    else:
        application_ref(ctx, applied, application)
    requisition_ref(ctx, applied, application, at)
    sub(applied, "Job_Application_Date", format_datetime(application.applied_at))
    add_lookup_ref(ctx, applied, "Stage_Reference", state.stage)
    if state.disposition is not None:
        add_lookup_ref(ctx, applied, "Disposition_Reference", state.disposition)
    sub(applied, "Status_Timestamp", format_datetime(state.status_timestamp))
    if application.source is not None:
        add_lookup_ref(ctx, applied, "Source_Reference", application.source)
    if v4x and application.self_id is not None:
        render_self_id(ctx, applied, application.self_id)
    if attachments:
        for resume in application.resumes:
            if resume.created_at <= at:
                attachment_data(ctx, element, "Resume_Attachment_Data", resume)
