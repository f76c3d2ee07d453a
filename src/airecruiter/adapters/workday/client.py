"""`WorkdayClient`: the Workday port over Workday's SOAP Recruiting service (docs/architecture.md: Workday, 2 and 3)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import structlog

from airecruiter.adapters.workday import envelope
from airecruiter.adapters.workday.auth import ClientCredentials, RefreshTokenStore, TokenManager
from airecruiter.adapters.workday.envelope import Paging, Request
from airecruiter.adapters.workday.parse import (
    RECRUITER_ROLES,
    CandidateRecord,
    InlineAttachments,
    PageInfo,
    data_items,
    inline_attachments,
    page_info,
    parse_attachment_info,
    parse_candidate,
    parse_candidate_attachment,
    parse_requisition,
    prospect_resumes,
    same_id,
    uploaded_attachment_id,
)
from airecruiter.adapters.workday.transport import Pacer, SoapTransport, WorkdayValidationError
from airecruiter.adapters.workday.xml import Element
from airecruiter.errors import AIRecruiterError, describe
from airecruiter.ports.workday import Application, Attachment, AttachmentInfo, Requisition, UploadResult

log = structlog.get_logger(__name__)

RESUME_CATEGORIES = ("CANDIDATE_RESUME_AND_COVER_LETTER", "RESUME", "Resume")  # WORKDAY_RESUME_CATEGORIES
PROBE_CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class WorkdayOptions:
    """How this tenant is spoken to; each choice the protocol notes mark uncertain is a switch."""

    version: str = "v45.0"
    page_size: int = 100
    timeout: float = 60.0
    min_interval: float = 0.2  # seconds between calls to one tenant (§8 pacing)
    max_in_flight: int = 2
    report_category_type: str = "Document_Category__Workday_Owned__ID"
    report_category_id: str = "OTHER_DOCUMENTS"
    # §5.2: some tenants refuse Get_Candidates by requisition; then scan by application date.
    requisition_filter: bool = True
    recruiter_roles: tuple[str, ...] = RECRUITER_ROLES  # Organization_Role_IDs that name the recruiter
    open_status: str = "Open"  # the Job_Requisition_Status_ID of an open requisition on this tenant
    resume_categories: tuple[str, ...] = RESUME_CATEGORIES  # document categories of a candidate-level résumé
    fallback_lookback_days: int = 90


@dataclass(frozen=True)
class _CandidateFiles:
    """One candidate read with its attachments: record, prospect résumés, inline candidate attachments."""

    record: CandidateRecord
    prospect: list[Attachment]
    inline: InlineAttachments


def refuses_requisition_filter(error: WorkdayValidationError) -> bool:
    """True when a Get_Candidates validation fault is about the requisition criterion (§5.2), and only then.

    Workday names the offending element in Xpath (…/Request_Criteria/Job_Requisition_Reference…); an
    invalid-ID message about the requisition's ID types says the same without one.
    """
    if any("Request_Criteria" in x and "Job_Requisition_Reference" in x for x in error.xpaths):
        return True
    return not error.xpaths and any(
        "Job_Requisition_Reference" in d or "type = 'Job_Requisition_ID'" in d for d in error.details
    )


def recruiting_endpoint(tenant_url: str, tenant_id: str, version: str) -> str:
    """`{base}/ccx/service/{tenant}/Recruiting/{version}`."""
    return f"{tenant_url.rstrip('/')}/ccx/service/{tenant_id}/Recruiting/{version}"


def token_endpoint(tenant_url: str, tenant_id: str) -> str:
    """`{base}/ccx/oauth2/{tenant}/token`."""
    return f"{tenant_url.rstrip('/')}/ccx/oauth2/{tenant_id}/token"


class WorkdayClient:
    """Requisitions, applications, résumés and report uploads through Workday's SOAP API."""

    def __init__(
        self,
        *,
        tenant_url: str,
        tenant_id: str,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        store: RefreshTokenStore,
        options: WorkdayOptions | None = None,
        token_url: str | None = None,
        now: Callable[[], datetime] | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        self.options = options or WorkdayOptions()
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(self.options.timeout, connect=10.0),
            limits=httpx.Limits(max_connections=max(4, self.options.max_in_flight)),
        )
        credentials = ClientCredentials(
            token_url=token_url or token_endpoint(tenant_url, tenant_id),
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
        )
        self._tokens = TokenManager(self._http, credentials, store)
        self._transport = SoapTransport(
            self._http,
            recruiting_endpoint(tenant_url, tenant_id, self.options.version),
            self._tokens,
            min_interval=self.options.min_interval,
            max_in_flight=self.options.max_in_flight,
            pacer=pacer,
        )
        self._now = now or (lambda: datetime.now(UTC))
        self._requisition_filter = self.options.requisition_filter
        self._probe: tuple[float, bool] | None = None

    @property
    def endpoint(self) -> str:
        """The Recruiting service URL this client calls."""
        return self._transport.endpoint

    async def grant_token(self) -> None:
        """Obtain an access token now (the first step of `airecruiter workday check`)."""
        await self._tokens.access_token()

    async def call(self, request: Request) -> Element:
        """One raw call within the client's limits, for diagnostics that read more than the port exposes."""
        return await self._transport.call(request)

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._http.aclose()

    async def _pages(self, build: Callable[[Paging], Request], *, count: int | None = None) -> AsyncIterator[Element]:
        """Each page's response, every page pinned to page 1's As_Of_Entry_DateTime (§4)."""
        snapshot = self._now()
        page = 1
        while True:
            response = await self._transport.call(build(Paging(page, count or self.options.page_size, snapshot)))
            info: PageInfo = page_info(response)
            yield response
            if info.page >= info.total_pages or info.page_results == 0:
                return
            page = info.page + 1

    async def requisitions(
        self, *, updated_from: datetime | None = None, updated_through: datetime | None = None, open_only: bool = True
    ) -> list[Requisition]:
        """Requisitions (open ones by default), optionally only those updated in a window."""
        window = None
        if updated_from is not None:
            window = (updated_from, updated_through or self._now())
        version = self.options.version
        found: list[Requisition] = []
        async for response in self._pages(
            lambda p: envelope.get_job_requisitions(
                version, p, status=self.options.open_status if open_only else None, updated=window
            )
        ):
            found.extend(
                parse_requisition(e, recruiter_roles=self.options.recruiter_roles)
                for e in data_items(response, "Job_Requisition")
            )
        return found

    async def requisition(self, requisition_id: str) -> Requisition | None:
        """One requisition by id; None when Workday has none by that id."""
        version = self.options.version
        async for response in self._pages(
            lambda p: envelope.get_job_requisitions(
                version, p, status=None, updated=None, requisition_ids=[requisition_id]
            )
        ):
            for element in data_items(response, "Job_Requisition"):
                found = parse_requisition(element, recruiter_roles=self.options.recruiter_roles)
                if found.requisition_id == requisition_id:
                    return found
        return None

    async def applications(
        self, requisition_id: str, *, applied_from: datetime | None = None
    ) -> AsyncIterator[Application]:
        """Every application to the requisition, streamed one page at a time."""
        if self._requisition_filter:
            yielded = 0
            try:
                async for application in self._by_requisition(requisition_id):
                    yielded += 1
                    yield application
                return
            except WorkdayValidationError as exc:
                if yielded or not refuses_requisition_filter(exc):
                    raise  # a refusal after some pages, or of something else, is not the filter being unsupported
                # §5.2: the tenant refuses the requisition filter itself; remember and fall back.
                log.warning(
                    "workday_requisition_filter_refused",
                    requisition=requisition_id,
                    error=describe(exc),
                    why="Workday's validation fault points at Request_Criteria/Job_Requisition_Reference; "
                    "reading candidates by application date from now on",
                )
                self._requisition_filter = False
        start = applied_from or self._now() - timedelta(days=self.options.fallback_lookback_days)
        async for application in self._by_applied_window(requisition_id, start):
            yield application

    async def _by_requisition(self, requisition_id: str) -> AsyncIterator[Application]:
        version = self.options.version
        async for response in self._pages(lambda p: envelope.get_candidates_by_requisition(version, p, requisition_id)):
            for element in data_items(response, "Candidate"):
                # A candidate carries every application of theirs, not only this requisition's.
                for application in parse_candidate(element).applications:
                    if application.requisition_id == requisition_id:
                        yield application

    async def _by_applied_window(self, requisition_id: str, start: datetime) -> AsyncIterator[Application]:
        version = self.options.version
        through = self._now()
        async for response in self._pages(lambda p: envelope.get_candidates_applied(version, p, start, through)):
            for element in data_items(response, "Candidate"):
                for application in parse_candidate(element).applications:
                    if application.requisition_id == requisition_id:
                        yield application

    async def _candidate(self, candidate_id: str) -> _CandidateFiles | None:
        response = await self._transport.call(
            envelope.get_candidate_with_attachments(self.options.version, candidate_id)
        )
        for element in data_items(response, "Candidate"):
            record = parse_candidate(element)
            if record.candidate_id == candidate_id:
                inline = inline_attachments(element, categories=self.options.resume_categories)
                return _CandidateFiles(record, prospect_resumes(element), inline)
        return None

    async def resume(self, *, candidate_id: str, application_id: str) -> Attachment | None:
        """The application's résumé; else the candidate's résumé-category attachment (§5.3).

        A v4x tenant sends the candidate's attachments with the same Get_Candidates answer
        (`Candidate_Attachment_Data`); only when none came is Get_Candidate_Attachments asked.
        """
        found = await self._candidate(candidate_id)
        if found is not None and found.record.resumes.get(application_id):
            return found.record.resumes[application_id][0]
        if found is not None and found.prospect:
            return found.prospect[0]
        if found is not None and found.inline.complete:
            return found.inline.matching[0] if found.inline.matching else None
        candidate_level = [a async for a in self._candidate_attachments(candidate_id, with_content=True)]
        for attachment in candidate_level:
            if isinstance(attachment, Attachment) and same_id(attachment.category, self.options.resume_categories):
                return attachment
        return None

    async def _candidate_attachments(
        self, candidate_id: str, *, with_content: bool
    ) -> AsyncIterator[Attachment | AttachmentInfo]:
        version = self.options.version
        async for response in self._pages(
            lambda p: envelope.get_candidate_attachments(version, p, candidate_id), count=10
        ):
            for element in data_items(response, "Candidate_Attachment"):
                yield parse_candidate_attachment(element) if with_content else parse_attachment_info(element)

    async def attachments(self, candidate_id: str) -> list[AttachmentInfo]:
        """The candidate's candidate-level attachments, without their bytes."""
        return [
            a
            async for a in self._candidate_attachments(candidate_id, with_content=False)
            if isinstance(a, AttachmentInfo)
        ]

    async def upload_report(
        self, *, candidate_id: str, filename: str, content: bytes, comment: str | None = None
    ) -> UploadResult:
        """Attach the PDF unless an attachment of that filename is already there (§5.4 idempotency)."""
        for existing in await self.attachments(candidate_id):
            if existing.filename == filename:
                log.info("workday_upload_already_present", candidate=candidate_id, filename=filename)
                return UploadResult(document_id=existing.attachment_id, created=False)
        o = self.options
        response = await self._transport.call(
            envelope.put_candidate_attachment(
                o.version,
                candidate_id=candidate_id,
                filename=filename,
                content=content,
                content_type="application/pdf",
                category_type=o.report_category_type,
                category_id=o.report_category_id,
                comment=comment,
            )
        )
        return UploadResult(document_id=uploaded_attachment_id(response), created=True)

    async def connected(self) -> bool:
        """True when a one-item Get_Job_Requisitions succeeded within the last half minute."""
        now = time.monotonic()
        if self._probe is not None and now - self._probe[0] < PROBE_CACHE_SECONDS:
            return self._probe[1]
        try:
            await self._transport.call(
                envelope.get_job_requisitions(
                    self.options.version, Paging(1, 1, self._now()), status=self.options.open_status, updated=None
                )
            )
            ok = True
        except AIRecruiterError as exc:
            log.warning("workday_unreachable", error=describe(exc))
            ok = False
        self._probe = (now, ok)
        return ok
