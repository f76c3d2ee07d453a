"""What every pipeline processor works with: the database, the queue, the ports and a few plain values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.domain.business_days import NoticeCalendar
from airecruiter.domain.interview_tokens import INTERVIEW_VALID_DAYS
from airecruiter.domain.self_identification import DEFAULT_MAPS, DemographicMaps
from airecruiter.domain.workday_decision import DEFAULT_ADVANCED_STAGES
from airecruiter.ports.documents import DocumentReader
from airecruiter.ports.llm import LLM
from airecruiter.ports.mail import Mailer
from airecruiter.ports.redaction import TextRedactor
from airecruiter.ports.reports import ReportRenderer
from airecruiter.ports.storage import Storage
from airecruiter.ports.workday import Workday
from airecruiter.queue.manager import QueueManager
from airecruiter.services.data_deletion import DeletionStores


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class PipelineContext:
    """Built once by the composition root; processors receive it with every job."""

    engine: AsyncEngine
    queue: QueueManager
    workday: Workday
    llm: LLM
    storage: Storage
    mailer: Mailer
    documents: DocumentReader
    reports: ReportRenderer
    redactor: TextRedactor  # off the event loop, under a time limit
    frontend_url: str  # interview links are {frontend_url}/interview/{token}
    recruiter_email: str  # whom candidates may write to when the requisition names no recruiter email
    company_name: str = "AIRecruiter"
    recruiter_name: str = "Recruiting team"  # used when Workday names no recruiter
    interview_valid_days: int = INTERVIEW_VALID_DAYS
    open_status: str = "Open"  # WORKDAY_OPEN_STATUS: what this tenant calls an open requisition
    rejected_dispositions: tuple[str, ...] = ()  # WORKDAY_REJECTED_DISPOSITIONS; empty: any disposition
    advanced_stages: tuple[str, ...] = DEFAULT_ADVANCED_STAGES  # WORKDAY_ADVANCED_STAGES
    demographic_maps: DemographicMaps = DEFAULT_MAPS  # WORKDAY_GENDER_MAP, WORKDAY_ETHNICITY_MAP
    # Workday calls the client lets through at once; a sync keeps twice that many résumé fetches going.
    workday_concurrency: int = 2
    # Seconds a requisition sync may spend on applications before it pauses (under its job time limit).
    sync_time_budget: float | None = None
    # Retention and tombstones: days after last activity (RETENTION_DAYS), where outbox files and the key are.
    retention_days: int = 730
    retention_days_files: int | None = None  # RETENTION_DAYS_FILES: résumé and report files, when shorter
    deletion: DeletionStores | None = None  # None: storage only, a tombstone key kept in the database
    notice_calendar: NoticeCalendar = field(default_factory=NoticeCalendar)  # NOTICE_TIME_ZONE, NOTICE_HOLIDAYS
    now: Callable[[], datetime] = field(default=utc_now)

    @property
    def deletion_stores(self) -> DeletionStores:
        """Where deleting an application's data reaches beyond the database."""
        return self.deletion or DeletionStores(storage=self.storage)
