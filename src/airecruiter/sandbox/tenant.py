"""The sandbox tenant: its records, their references, and the changes tests and the CLI make.

Every WID comes from one seeded RNG, so a restarted sandbox hands out the same ids. Every change
is recorded with its entry time (see `model.History`), which is what lets a paged run see the data
as of its page 1. Changes worth keeping across restarts are announced to listeners as events
(`persistence.Journal` writes them down and replays them).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from airecruiter.sandbox.model import (
    Application,
    ApplicationState,
    Attachment,
    Candidate,
    Location,
    Lookup,
    Organization,
    Origin,
    Requisition,
    RequisitionState,
    RoleAssignment,
    Worker,
)

ID_TYPES: dict[str, tuple[str, ...]] = {
    "Candidate": ("WID", "Candidate_ID"),
    "Job_Requisition": ("WID", "Job_Requisition_ID"),
    "Job_Application": ("WID", "Job_Application_ID"),
    "Candidate_Attachment": ("WID",),
    "Recruiting_Stage": ("WID", "Recruiting_Stage_ID"),
    "Recruiting_Disposition": ("WID", "Recruiting_Disposition_ID"),
    "Job_Requisition_Status": ("WID", "Job_Requisition_Status_ID"),
    "Document_Category": ("WID", "Document_Category__Workday_Owned__ID", "Document_Category_ID"),
    "Mime_Type": ("WID", "Content_Type_ID"),
    "Applicant_Source": ("WID", "Applicant_Source_ID"),
    "Supervisory_Organization": ("WID", "Organization_Reference_ID"),
    "Location": ("WID", "Location_ID"),
    "Organization_Role": ("WID", "Organization_Role_ID"),
    "Worker": ("WID", "Employee_ID"),
    # Criteria the sandbox accepts but holds no instances of: any value is an invalid ID.
    "Pre-Hire": ("WID", "Applicant_ID"),
    "Candidate_Tag": ("WID", "Candidate_Tag_ID"),
    "Criteria_Match_Score_Category": ("WID", "Criteria_Match_Score_Category_ID"),
    "Static_Candidate_Pool": ("WID", "Candidate_Pool_ID"),
}

STAGES = ("Review", "Screen", "Assessment", "Interview", "Offer", "Background_Check", "Ready_for_Hire")
DISPOSITIONS = {
    "Experience/Skills": "Experience/Skills",
    "Location": "Location",
    "Salary_Expectations": "Salary Expectations",
    "Withdrew_Application": "Candidate Withdrew Application",
    "Position_Filled": "Position Filled",
    "Duplicate_Application": "Duplicate Application",
}
REQUISITION_STATUSES = ("Open", "Filled", "Closed", "Frozen")
SOURCES = {
    "LinkedIn": "LinkedIn",
    "Company_Website": "Company Website",
    "Referral": "Employee Referral",
    "Indeed": "Indeed",
    "Agency": "Recruiting Agency",
}
MIME_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "text/plain",
    "image/png",
    "image/jpeg",
    "application/octet-stream",
)
# (ID type, value, label): Workday-owned categories and one the tenant defined for screening reports.
DOCUMENT_CATEGORIES = (
    ("Document_Category__Workday_Owned__ID", "CANDIDATE_RESUME_AND_COVER_LETTER", "Candidate Resume and Cover Letter"),
    ("Document_Category__Workday_Owned__ID", "OTHER_DOCUMENTS", "Other Documents"),
    ("Document_Category__Workday_Owned__ID", "EDUCATION", "Education"),
    ("Document_Category__Workday_Owned__ID", "REFERENCE_LETTER", "Reference Letter"),
    ("Document_Category__Workday_Owned__ID", "ASSESSMENT", "Assessment"),
    ("Document_Category_ID", "AI_SCREENING_REPORT", "AI Screening Report"),
)
RESUME_CATEGORY = "CANDIDATE_RESUME_AND_COVER_LETTER"

# Kinds whose IDs a tenant with upper-case conventions spells in capitals (OPEN, REVIEW, PRIMARY_RECRUITER).
_CASED_KINDS = ("Job_Requisition_Status", "Recruiting_Stage", "Recruiting_Disposition", "Organization_Role")


@dataclass(frozen=True)
class Conventions:
    """How a tenant spells its reference IDs: tenant data that real tenants configure differently.

    The sandbox's own code names statuses, stages and categories by the default spelling; the
    tenant emits, and resolves requests by, its own. `settings` are the WORKDAY_* values a client
    of this tenant needs.
    """

    name: str = "default"
    upper_case: bool = False
    categories: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # default value → (type, value)
    settings: Mapping[str, str] = field(default_factory=dict)

    def spell(self, kind: str, id_type: str, value: str) -> tuple[str, str]:
        """This tenant's (ID type, value) for a reference the default tenant spells (id_type, value)."""
        if kind == "Document_Category" and value in self.categories:
            return self.categories[value]
        if self.upper_case and kind in _CASED_KINDS:
            return id_type, value.upper()
        return id_type, value


CONVENTIONS = {
    "default": Conventions(),
    # Upper-case IDs and the tenant's own document categories instead of Workday-owned ones.
    "upper": Conventions(
        "upper",
        upper_case=True,
        categories={
            "CANDIDATE_RESUME_AND_COVER_LETTER": ("Document_Category_ID", "CV_AND_LETTER"),
            "OTHER_DOCUMENTS": ("Document_Category_ID", "HR_MISC"),
        },
        settings={
            "WORKDAY_OPEN_STATUS": "OPEN",
            "WORKDAY_RECRUITER_ROLES": "PRIMARY_RECRUITER",
            "WORKDAY_RESUME_CATEGORIES": "CV_AND_LETTER",
            "WORKDAY_REPORT_CATEGORY": "Document_Category_ID=HR_MISC",
            # This tenant counts a candidate as advanced only from the interview on, and position filled
            # is no rejection of the candidate.
            "WORKDAY_ADVANCED_STAGES": "INTERVIEW,OFFER,BACKGROUND_CHECK,READY_FOR_HIRE",
            "WORKDAY_REJECTED_DISPOSITIONS": "EXPERIENCE/SKILLS,LOCATION,SALARY_EXPECTATIONS,DUPLICATE_APPLICATION",
        },
    ),
}

Listener = Callable[[dict[str, Any]], None]
Content = bytes | Callable[[], bytes]


class UnknownRecord(LookupError):
    """No record with that id (the message names it)."""


class Tenant:
    """All data of one sandbox tenant."""

    def __init__(
        self,
        tenant_id: str = "acme",
        *,
        seed: int = 20260308,
        anchor: datetime | None = None,
        clock: Callable[[], datetime] | None = None,
        conventions: Conventions | None = None,
    ) -> None:
        self.tenant_id = tenant_id
        self.conventions = conventions or CONVENTIONS["default"]
        self._by_default_id: dict[tuple[str, str], Lookup] = {}
        self.clock = clock or (lambda: datetime.now(UTC))
        self.anchor = anchor or self.clock()  # the instant the seed's relative times count back from
        self.rng = random.Random(seed)
        self.requisitions: dict[str, Requisition] = {}
        self.candidates: dict[str, Candidate] = {}
        self.applications: dict[str, Application] = {}
        self.all_attachments: dict[str, Attachment] = {}
        self.listeners: list[Listener] = []
        self._index: dict[tuple[str, str, str], Any] = {}
        self._wids: set[str] = set()
        self._next_candidate = 100001
        self._next_application = 100001
        self._configure()

    # ids and references -----------------------------------------------------------------------------------

    def new_wid(self) -> str:
        """A fresh 32-hex WID from the seeded RNG (skipping any already used, e.g. replayed uploads)."""
        while True:
            wid = f"{self.rng.getrandbits(128):032x}"
            if wid not in self._wids:
                self._wids.add(wid)
                return wid

    def register(self, kind: str, obj: Any, wid: str, **ids: str) -> None:
        """Make `obj` resolvable by its WID and business ids."""
        self._wids.add(wid)
        self._index[(kind, "WID", wid)] = obj
        for id_type, value in ids.items():
            self._index[(kind, id_type, value)] = obj

    def resolve(self, kind: str, id_type: str, value: str) -> Any | None:
        """The object of `kind` with that id, or None."""
        return self._index.get((kind, id_type, value))

    def now(self) -> datetime:
        """The tenant's clock (UTC)."""
        return self.clock()

    def _configure(self) -> None:
        for stage in STAGES:
            self._lookup("Recruiting_Stage", "Recruiting_Stage_ID", stage, stage.replace("_", " "))
        for value, label in DISPOSITIONS.items():
            self._lookup("Recruiting_Disposition", "Recruiting_Disposition_ID", value, label)
        for status in REQUISITION_STATUSES:
            self._lookup("Job_Requisition_Status", "Job_Requisition_Status_ID", status, status)
        for value, label in SOURCES.items():
            self._lookup("Applicant_Source", "Applicant_Source_ID", value, label)
        for mime in MIME_TYPES:
            self._lookup("Mime_Type", "Content_Type_ID", mime, mime)
        for id_type, value, label in DOCUMENT_CATEGORIES:
            self._lookup("Document_Category", id_type, value, label)
        self._lookup("Organization_Role", "Organization_Role_ID", "Primary_Recruiter", "Primary Recruiter")
        self._lookup("Organization_Role", "Organization_Role_ID", "Hiring_Manager", "Hiring Manager")

    def _lookup(self, kind: str, id_type: str, value: str, name: str) -> Lookup:
        spelled_type, spelled = self.conventions.spell(kind, id_type, value)
        item = Lookup(kind, self.new_wid(), spelled_type, spelled, name)
        self.register(kind, item, item.wid, **{spelled_type: spelled})
        self._by_default_id[(kind, value)] = item
        return item

    def lookup(self, kind: str, value: str) -> Lookup:
        """A configured stage, status, disposition, source, mime type or category by its business id.

        The default spelling (what the sandbox's code and seed use) or the tenant's own.
        """
        if (kind, value) in self._by_default_id:
            return self._by_default_id[(kind, value)]
        for id_type in ID_TYPES[kind][1:]:
            found = self._index.get((kind, id_type, value))
            if isinstance(found, Lookup):
                return found
        raise UnknownRecord(f"no {kind.replace('_', ' ').lower()} {value!r}")

    # requisitions ------------------------------------------------------------------------------------------

    def add_requisition(
        self,
        requisition_id: str,
        title: str,
        job_description: str,
        *,
        summary: str,
        status: str,
        updated_at: datetime,
        location: Location,
        organization: Organization,
        recruiter: Worker | None,
        recruiting_start_date: date,
        target_hire_date: date | None = None,
        positions: int = 1,
    ) -> Requisition:
        """Create a requisition (with its Primary_Recruiter, when given)."""
        roles = (RoleAssignment(self.lookup("Organization_Role", "Primary_Recruiter"), recruiter),) if recruiter else ()
        requisition = Requisition(
            self.new_wid(),
            requisition_id,
            title,
            job_description,
            summary,
            positions,
            positions,
            recruiting_start_date,
            target_hire_date,
            location,
            organization,
            roles,
        )
        status_lookup = self.lookup("Job_Requisition_Status", status)
        requisition.state.record(updated_at, RequisitionState(status_lookup, updated_at))
        self.requisitions[requisition.wid] = requisition
        self.register("Job_Requisition", requisition, requisition.wid, Job_Requisition_ID=requisition_id)
        return requisition

    def add_location(self, location_id: str, name: str) -> Location:
        """Create a location."""
        location = Location(self.new_wid(), location_id, name)
        self.register("Location", location, location.wid, Location_ID=location_id)
        return location

    def add_organization(self, org_id: str, name: str) -> Organization:
        """Create a supervisory organization."""
        org = Organization(self.new_wid(), org_id, name)
        self.register("Supervisory_Organization", org, org.wid, Organization_Reference_ID=org_id)
        return org

    def add_worker(self, employee_id: str, name: str) -> Worker:
        """Create an employee (a recruiter)."""
        worker = Worker(self.new_wid(), employee_id, name)
        self.register("Worker", worker, worker.wid, Employee_ID=employee_id)
        return worker

    def requisition(self, requisition_id: str) -> Requisition:
        """A requisition by Job_Requisition_ID or WID."""
        found = self.resolve("Job_Requisition", "Job_Requisition_ID", requisition_id) or self.resolve(
            "Job_Requisition", "WID", requisition_id
        )
        if found is None:
            raise UnknownRecord(f"no requisition {requisition_id!r}")
        return found  # type: ignore[no-any-return]

    def touch_requisition(
        self, requisition_id: str, *, status: str | None = None, at: datetime | None = None
    ) -> Requisition:
        """Record a transaction on the requisition (optionally a status change), now or at `at`."""
        requisition = self.requisition(requisition_id)
        when = at or self.now()
        new_status = self.lookup("Job_Requisition_Status", status) if status else requisition.state.current.status
        when = requisition.state.record(when, RequisitionState(new_status, when))
        self._emit(
            {
                "event": "requisition",
                "requisition_id": requisition.requisition_id,
                "status": new_status.value,
                "at": when.isoformat(),
            }
        )
        return requisition

    # candidates and applications ---------------------------------------------------------------------------

    def add_candidate(
        self,
        first_name: str,
        last_name: str,
        email: str,
        *,
        phone: str | None = None,
        candidate_id: str | None = None,
        created_at: datetime | None = None,
    ) -> Candidate:
        """Create a candidate; it shows up in snapshots taken from `created_at` (default now) on."""
        if candidate_id is None:
            candidate_id = f"C{self._next_candidate:06d}"
        if self.resolve("Candidate", "Candidate_ID", candidate_id) is not None:
            raise ValueError(f"candidate {candidate_id} already exists")
        self._next_candidate = max(self._next_candidate, _number(candidate_id) + 1)
        candidate = Candidate(
            self.new_wid(), candidate_id, first_name, last_name, email, phone, created_at or self.now()
        )
        self.candidates[candidate.wid] = candidate
        self.register("Candidate", candidate, candidate.wid, Candidate_ID=candidate_id)
        return candidate

    def candidate(self, candidate_id: str) -> Candidate:
        """A candidate by Candidate_ID or WID."""
        found = self.resolve("Candidate", "Candidate_ID", candidate_id) or self.resolve(
            "Candidate", "WID", candidate_id
        )
        if found is None:
            raise UnknownRecord(f"no candidate {candidate_id!r}")
        return found  # type: ignore[no-any-return]

    def add_application(
        self,
        candidate_id: str,
        requisition_id: str,
        *,
        stage: str = "Review",
        disposition: str | None = None,
        applied_at: datetime | None = None,
        status_timestamp: datetime | None = None,
        source: str | None = None,
        application_id: str | None = None,
    ) -> Application:
        """Create an application; it exists in snapshots from `applied_at` (default now) on."""
        candidate = self.candidate(candidate_id)
        requisition = self.requisition(requisition_id)
        if application_id is None:
            application_id = f"JA-{self._next_application:06d}"
        if self.resolve("Job_Application", "Job_Application_ID", application_id) is not None:
            raise ValueError(f"application {application_id} already exists")
        self._next_application = max(self._next_application, _number(application_id) + 1)
        applied = applied_at or self.now()
        application = Application(
            self.new_wid(),
            application_id,
            candidate,
            requisition,
            applied,
            self.lookup("Applicant_Source", source) if source else None,
            applied,
        )
        changed = status_timestamp if status_timestamp is not None and status_timestamp > applied else applied
        if changed > applied:
            # It arrived in Review and moved later: snapshots between the two instants see it in Review.
            application.state.record(
                applied, ApplicationState(self.lookup("Recruiting_Stage", "Review"), None, applied)
            )
        state = ApplicationState(
            self.lookup("Recruiting_Stage", stage),
            self.lookup("Recruiting_Disposition", disposition) if disposition else None,
            changed,
        )
        application.state.record(changed, state)
        candidate.applications.append(application)
        requisition.applications.append(application)
        self.applications[application.wid] = application
        self.register("Job_Application", application, application.wid, Job_Application_ID=application_id)
        return application

    def application(self, application_id: str) -> Application:
        """An application by Job_Application_ID or WID."""
        found = self.resolve("Job_Application", "Job_Application_ID", application_id) or self.resolve(
            "Job_Application", "WID", application_id
        )
        if found is None:
            raise UnknownRecord(f"no application {application_id!r}")
        return found  # type: ignore[no-any-return]

    def advance_stage(
        self, application_id: str, stage: str, disposition: str | None = None, *, at: datetime | None = None
    ) -> Application:
        """Move an application to a stage (and disposition); Status_Timestamp becomes now (or `at`)."""
        application = self.application(application_id)
        state = ApplicationState(
            self.lookup("Recruiting_Stage", stage),
            self.lookup("Recruiting_Disposition", disposition) if disposition else None,
            at or self.now(),
        )
        when = application.state.record(state.status_timestamp, state)
        self._emit(
            {
                "event": "stage",
                "application_id": application.application_id,
                "stage": stage,
                "disposition": disposition,
                "at": when.isoformat(),
            }
        )
        return application

    # attachments -------------------------------------------------------------------------------------------

    def add_resume(
        self,
        application_id: str,
        filename: str,
        content: Content,
        content_type: str = "application/pdf",
        *,
        comment: str | None = None,
        origin: Origin = "seed",
        lazy: bool = False,
        created_at: datetime | None = None,
        wid: str | None = None,
    ) -> Attachment:
        """Attach a file to an application (it appears as Resume_Attachment_Data)."""
        application = self.application(application_id)
        attachment = self._attachment(
            filename,
            content,
            content_type,
            application.candidate,
            application,
            None,
            comment,
            origin,
            lazy,
            created_at or application.applied_at,
            wid,
        )
        application.resumes.append(attachment)
        return attachment

    def add_candidate_attachment(
        self,
        candidate_id: str,
        filename: str,
        content: Content,
        content_type: str = "application/pdf",
        *,
        category: str = RESUME_CATEGORY,
        comment: str | None = None,
        origin: Origin = "seed",
        created_at: datetime | None = None,
        wid: str | None = None,
    ) -> Attachment:
        """Attach a file to the candidate (Candidate_Attachment_Data, Get_Candidate_Attachments)."""
        candidate = self.candidate(candidate_id)
        attachment = self._attachment(
            filename,
            content,
            content_type,
            candidate,
            None,
            self.lookup("Document_Category", category),
            comment,
            origin,
            False,
            created_at or self.now(),
            wid,
        )
        candidate.attachments.append(attachment)
        return attachment

    def _attachment(
        self,
        filename: str,
        content: Content,
        content_type: str,
        candidate: Candidate,
        application: Application | None,
        category: Lookup | None,
        comment: str | None,
        origin: Origin,
        lazy: bool,
        created_at: datetime,
        wid: str | None,
    ) -> Attachment:
        data, factory = (content, None) if isinstance(content, bytes) else (None, content)
        attachment = Attachment(
            wid or self.new_wid(),
            filename,
            content_type,
            created_at,
            candidate.wid,
            application.wid if application else None,
            category,
            comment,
            origin,
            lazy,
            data,
            factory,
        )
        self.all_attachments[attachment.wid] = attachment
        self.register("Candidate_Attachment", attachment, attachment.wid)
        if origin == "upload":
            self._emit(attachment_event(attachment, self))
        return attachment

    def replace_attachment(
        self, wid: str, *, filename: str, content: bytes, content_type: str, comment: str | None, category: str | None
    ) -> Attachment:
        """Overwrite an attachment's file (Add_Only=false with a Candidate_Attachment_Reference)."""
        attachment = self.attachment(wid)
        if attachment is None:
            raise UnknownRecord(f"no attachment {wid!r}")
        attachment.replace(
            filename=filename,
            content=content,
            content_type=content_type,
            comment=comment,
            category=self.lookup("Document_Category", category) if category else attachment.category,
        )
        attachment.origin = "upload"
        self._emit(attachment_event(attachment, self) | {"event": "attachment_replaced"})
        return attachment

    def attachments(self, candidate_id: str | None = None) -> list[Attachment]:
        """Every attachment (résumés and candidate-level files), optionally only one candidate's."""
        if candidate_id is None:
            return list(self.all_attachments.values())
        candidate = self.candidate(candidate_id)
        return [a for a in self.all_attachments.values() if a.candidate_wid == candidate.wid]

    def attachment(self, wid: str) -> Attachment | None:
        """One attachment by WID."""
        return self.all_attachments.get(wid)

    # events ------------------------------------------------------------------------------------------------

    def _emit(self, event: dict[str, Any]) -> None:
        for listener in self.listeners:
            listener(event)


def attachment_event(attachment: Attachment, tenant: Tenant) -> dict[str, Any]:
    """The journal event that recreates an uploaded attachment (its bytes under 'content')."""
    candidate = tenant.candidate(attachment.candidate_wid)
    application = tenant.application(attachment.application_wid) if attachment.application_wid else None
    return {
        "event": "attachment",
        "wid": attachment.wid,
        "candidate_id": candidate.candidate_id,
        "application_id": application.application_id if application else None,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "category": attachment.category.value if attachment.category else None,
        "comment": attachment.comment,
        "created_at": attachment.created_at.isoformat(),
        "content": attachment.content,
    }


def _number(identifier: str) -> int:
    digits = "".join(ch for ch in identifier if ch.isdigit())
    return int(digits) if digits else 0
