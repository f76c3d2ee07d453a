"""The sandbox tenant's records (spec 9.2), with entry-time history so paged snapshots stay consistent."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Generic, Literal, TypeVar

if TYPE_CHECKING:
    from airecruiter.sandbox.self_id import SelfId

T = TypeVar("T")
Origin = Literal["seed", "upload"]


@dataclass
class History(Generic[T]):
    """Values keyed by the entry time they were recorded at; `at(t)` is the value as of t."""

    times: list[datetime] = field(default_factory=list)
    values: list[T] = field(default_factory=list)

    def record(self, when: datetime, value: T) -> datetime:
        """Append a value; entry times never go backwards, so an early clock cannot rewrite the past."""
        if self.times and when < self.times[-1]:
            when = self.times[-1]
        self.times.append(when)
        self.values.append(value)
        return when

    def at(self, when: datetime) -> T | None:
        """The value as of `when`; None before the first entry."""
        index = bisect.bisect_right(self.times, when)
        return self.values[index - 1] if index else None

    @property
    def current(self) -> T:
        """The latest value."""
        return self.values[-1]

    @property
    def first_time(self) -> datetime:
        """When the record came into existence."""
        return self.times[0]

    def last_change_until(self, when: datetime) -> datetime | None:
        """Entry time of the latest change at or before `when`."""
        index = bisect.bisect_right(self.times, when)
        return self.times[index - 1] if index else None


@dataclass(frozen=True)
class Lookup:
    """A small reference object: stage, status, disposition, source, mime type, document category."""

    kind: str  # Recruiting_Stage, Job_Requisition_Status, Document_Category, …
    wid: str
    id_type: str  # the business ID type, e.g. Recruiting_Stage_ID
    value: str
    name: str  # the Descriptor


@dataclass(frozen=True)
class Worker:
    """An employee who can hold a role on a requisition."""

    wid: str
    employee_id: str
    name: str


@dataclass(frozen=True)
class RoleAssignment:
    """A role on a requisition (e.g. Primary_Recruiter) and who holds it."""

    role: Lookup  # kind Organization_Role, id type Organization_Role_ID
    worker: Worker


@dataclass(frozen=True)
class Location:
    """A work location."""

    wid: str
    location_id: str
    name: str


@dataclass(frozen=True)
class Organization:
    """A supervisory organization."""

    wid: str
    org_id: str  # Organization_Reference_ID
    name: str


@dataclass(frozen=True)
class RequisitionState:
    """What changes on a requisition over time."""

    status: Lookup
    updated_at: datetime  # the transaction-log time that Updated_From/Through filter on


@dataclass(eq=False)
class Requisition:
    """A job requisition."""

    wid: str
    requisition_id: str
    title: str
    job_description: str  # HTML
    summary: str
    positions_allocated: int
    positions_available: int
    recruiting_start_date: date
    target_hire_date: date | None
    location: Location
    organization: Organization
    roles: tuple[RoleAssignment, ...]
    state: History[RequisitionState] = field(default_factory=History, repr=False)
    applications: list[Application] = field(default_factory=list, repr=False)

    def descriptor(self, at: datetime | None = None) -> str:
        """'R-00042 Senior Data Engineer (Open)', as Workday labels requisitions."""
        state = self.state.current if at is None else self.state.at(at) or self.state.current
        return f"{self.requisition_id} {self.title} ({state.status.name})"


@dataclass(eq=False)
class Attachment:
    """A file held by the tenant: a résumé on an application, or a candidate-level attachment."""

    wid: str
    filename: str
    content_type: str
    created_at: datetime
    candidate_wid: str
    application_wid: str | None  # set for application résumés (Resume_Attachment_Data)
    category: Lookup | None  # candidate-level attachments carry a document category
    comment: str | None = None
    origin: Origin = "seed"
    lazy: bool = False  # bytes generated on first use (the scale mode's résumés)
    _content: bytes | None = field(default=None, repr=False)
    _factory: Callable[[], bytes] | None = field(default=None, repr=False)

    @property
    def content(self) -> bytes:
        """The file's bytes, generated on first use when the seed gave a factory."""
        if self._content is None:
            if self._factory is None:
                raise RuntimeError(f"attachment {self.wid} has no content")
            self._content = self._factory()
            self._factory = None
        return self._content

    @property
    def generated(self) -> bool:
        """True once the bytes exist in memory."""
        return self._content is not None

    def replace(
        self, *, filename: str, content: bytes, content_type: str, comment: str | None, category: Lookup | None
    ) -> None:
        """Overwrite the file in place (Put_Candidate_Attachment with Add_Only=false)."""
        self.filename, self.content_type, self.comment, self.category = filename, content_type, comment, category
        self._content, self._factory = content, None


@dataclass(frozen=True)
class ApplicationState:
    """Where an application stands; a new value is recorded on every stage change."""

    stage: Lookup
    disposition: Lookup | None
    status_timestamp: datetime


@dataclass(eq=False)
class Application:
    """One candidate's application to one requisition."""

    wid: str
    application_id: str
    candidate: Candidate = field(repr=False)
    requisition: Requisition
    applied_at: datetime
    source: Lookup | None
    created_at: datetime  # entry time: the application exists in snapshots from here on
    state: History[ApplicationState] = field(default_factory=History, repr=False)
    resumes: list[Attachment] = field(default_factory=list, repr=False)
    self_id: SelfId | None = field(default=None, repr=False)  # voluntary self-identification, when given

    def state_at(self, at: datetime) -> ApplicationState | None:
        """The state as of `at`; None when the application did not exist yet."""
        return self.state.at(at) if self.created_at <= at else None


@dataclass(eq=False)
class Candidate:
    """A person in the recruiting system, with their applications and candidate-level files."""

    wid: str
    candidate_id: str
    first_name: str
    last_name: str
    email: str
    phone: str | None
    created_at: datetime
    withdrawn: bool = False
    do_not_hire: bool = False
    applications: list[Application] = field(default_factory=list, repr=False)
    attachments: list[Attachment] = field(default_factory=list, repr=False)

    @property
    def name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"

    def applications_at(self, at: datetime) -> list[tuple[Application, ApplicationState]]:
        """Applications that existed at `at`, each with its state then."""
        found = []
        for application in self.applications:
            state = application.state_at(at)
            if state is not None:
                found.append((application, state))
        return found

    def attachments_at(self, at: datetime) -> list[Attachment]:
        """Candidate-level attachments that existed at `at`."""
        return [a for a in self.attachments if a.created_at <= at]

    def updated_at(self, at: datetime) -> datetime:
        """The candidate's last transaction at or before `at` (creation, stage change, new file)."""
        latest = self.created_at
        for application in self.applications:
            change = application.state.last_change_until(at) if application.created_at <= at else None
            if change is not None and change > latest:
                latest = change
            for resume in application.resumes:
                if latest < resume.created_at <= at:
                    latest = resume.created_at
        for attachment in self.attachments:
            if latest < attachment.created_at <= at:
                latest = attachment.created_at
        return latest
