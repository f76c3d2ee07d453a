"""Workday port: requisitions, their applications, résumés, and the report upload.

The records are what the processors need from Workday's Recruiting service, whatever response
shape (v4x or the older v31) the tenant speaks. Errors every implementation raises:
- `ValidationError` (permanent) when Workday refused the request as invalid (a validation fault);
- `WorkdayRateLimitError` (transient, fixed 60 s) when Workday throttled us;
- `NetworkError` (transient) on timeouts and connection failures;
- `PermanentError` for processing faults (the message carries Workday's text) and for a refresh
  token Workday rejected (a person has to re-authorise the API client);
- `ParseError` (permanent) for a response that is not the XML Workday sends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Requisition:
    """A job requisition: what is being hired for, and who recruits for it."""

    requisition_id: str  # Job_Requisition_ID, e.g. R-00042
    title: str
    description: str  # the job description as Workday holds it (HTML)
    status: str | None  # Job_Requisition_Status_ID, e.g. Open
    recruiter_name: str | None = None
    recruiter_id: str | None = None  # the recruiter's Employee_ID (or WID)
    summary: str | None = None
    wid: str | None = None


@dataclass(frozen=True)
class SelfIdentification:
    """The candidate's voluntary self-identification on one application, as tenant reference IDs only.

    Read from `Job_Applied_To_Data/Personal_Information_Data`; nothing else that element carries
    (veteran or disability status, ...) and nothing observer-recorded is kept. Never shown in a repr.
    """

    gender_id: str | None = None  # Gender_Code (or WID) of Gender_Reference
    ethnicity_ids: tuple[str, ...] = ()  # Ethnicity_ID (or WID) of each Ethnicity_Reference
    hispanic_or_latino: bool | None = None

    def __repr__(self) -> str:
        return "SelfIdentification(<withheld>)"


@dataclass(frozen=True)
class Application:
    """One candidate's application to one requisition, with where it stands in the process."""

    application_id: str  # Job_Application_ID
    candidate_id: str  # Candidate_ID
    requisition_id: str
    first_name: str
    last_name: str
    email: str | None
    stage: str | None  # Recruiting_Stage_ID, e.g. Screen
    disposition: str | None  # Recruiting_Disposition_ID when rejected or withdrawn
    status_changed_at: datetime | None  # Status_Timestamp
    applied_at: datetime | None = None
    phone: str | None = None
    withdrawn: bool = False
    do_not_hire: bool = False
    # Voluntary self-ID (None: Workday sent none); for the demographics store only, never a model input.
    self_identification: SelfIdentification | None = field(default=None, repr=False)

    @property
    def candidate_name(self) -> str:
        """First and last name as one display name."""
        return " ".join(p for p in (self.first_name, self.last_name) if p).strip()

    @property
    def status(self) -> str | None:
        """The status a recruiter sees: the disposition when there is one, else the stage."""
        return self.disposition or self.stage


@dataclass(frozen=True)
class Attachment:
    """A file held by Workday (a résumé, or a report we uploaded)."""

    filename: str
    content_type: str | None
    content: bytes
    attachment_id: str | None = None  # WID of the attachment when Workday gives one
    category: str | None = None  # document category id


@dataclass(frozen=True)
class AttachmentInfo:
    """An attachment's identity without its bytes (for the duplicate-upload check)."""

    filename: str
    attachment_id: str | None
    category: str | None


@dataclass(frozen=True)
class UploadResult:
    """What an upload left in Workday."""

    document_id: str | None  # the attachment's WID
    created: bool  # False when an attachment of the same filename was already there


class Workday(Protocol):
    """Workday's Recruiting service, as the processors use it."""

    async def requisitions(
        self,
        *,
        updated_from: datetime | None = None,
        updated_through: datetime | None = None,
        open_only: bool = True,
    ) -> list[Requisition]:
        """Requisitions (open ones by default), optionally only those updated in a time window."""
        ...

    async def requisition(self, requisition_id: str) -> Requisition | None:
        """One requisition by its Job_Requisition_ID; None when Workday has no such requisition."""
        ...

    def applications(
        self,
        requisition_id: str,
        *,
        applied_from: datetime | None = None,
    ) -> AsyncIterator[Application]:
        """Every application to the requisition, page by page from one consistent snapshot."""
        ...

    async def resume(self, *, candidate_id: str, application_id: str) -> Attachment | None:
        """The résumé the candidate sent with this application; None when there is none."""
        ...

    async def attachments(self, candidate_id: str) -> list[AttachmentInfo]:
        """The candidate's candidate-level attachments, without their bytes."""
        ...

    async def upload_report(
        self,
        *,
        candidate_id: str,
        filename: str,
        content: bytes,
        comment: str | None = None,
    ) -> UploadResult:
        """Attach a PDF report to the candidate; never a second copy of the same filename."""
        ...

    async def connected(self) -> bool:
        """True when Workday answered a lightweight request just now."""
        ...
