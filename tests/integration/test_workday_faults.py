"""Workday's failures, as the sandbox produces them over HTTP, become the right error classes.

Each class carries the retry policy the queue applies (DESIGN §5), so these tests are what keeps
a throttled sync waiting a minute, a refused upload out of a retry loop, and a revoked refresh
token in front of a person.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.adapters.workday.auth import MemoryTokenStore, RefreshTokenRejectedError
from airecruiter.adapters.workday.client import WorkdayClient
from airecruiter.errors import (
    ConfigurationError,
    NetworkError,
    PermanentError,
    ValidationError,
    WorkdayRateLimitError,
    WorkdayUnexpectedError,
)
from airecruiter.queue.manager import QueueManager
from airecruiter.sandbox import seed
from tests.conftest import make_requisitions
from tests.integration.conftest import WORKER
from tests.integration.sandbox_fixtures import running_sandbox
from tests.integration.workday_helpers import calls, client_for, failure

REPORT = b"%PDF-1.7\n% report\n%%EOF\n"


async def test_read_only_attachments_are_a_permanent_error_carrying_workdays_words() -> None:
    raised = await failure(
        PermanentError,
        lambda c: c.upload_report(
            candidate_id=seed.INJECTION_CANDIDATE_ID, filename="CandidateReport_1.pdf", content=REPORT
        ),
        attachments_read_only=True,
    )
    assert "The task submitted is not authorized." in str(raised)
    assert not isinstance(raised, ValidationError)
    assert not type(raised).policy.retries


async def test_an_unknown_candidate_is_a_validation_error_that_is_never_retried() -> None:
    raised = await failure(ValidationError, lambda c: c.resume(candidate_id="C999999", application_id="JA-999999"))
    assert "C999999" in str(raised) and "Candidate_ID" in str(raised)
    assert not type(raised).policy.retries


async def test_a_version_the_tenant_does_not_serve_names_the_setting_to_fix() -> None:
    raised = await failure(ConfigurationError, lambda c: c.requisitions(), client_options={"version": "v30.0"})
    assert "WORKDAY_API_VERSION" in str(raised)
    assert "Invalid request service version" in str(raised)
    assert not type(raised).policy.retries


async def test_a_missing_recruiting_grant_says_what_to_grant() -> None:
    raised = await failure(ConfigurationError, lambda c: c.requisitions(), ungranted_operations="Get_Job_Requisitions")
    assert "security grant for the Recruiting web service" in str(raised)
    assert "Job Requisition Data" in str(raised) and "integration system user" in str(raised)
    assert not type(raised).policy.retries


async def _applications(client: WorkdayClient, requisition_id: str) -> set[str]:
    return {a.application_id async for a in client.applications(requisition_id)}


@pytest.mark.parametrize(
    ("chaos", "client_options"),
    [({"ungranted_operations": "Get_Candidates"}, {}), ({"supported_versions": "v44.0"}, {"version": "v45.0"})],
)
async def test_version_and_grant_faults_leave_the_requisition_filter_on(
    chaos: dict[str, str], client_options: dict[str, str]
) -> None:
    async with running_sandbox() as sandbox:
        client = client_for(sandbox, **client_options)
        try:
            for name, value in chaos.items():
                setattr(sandbox.chaos, name, value)
            with pytest.raises(ConfigurationError):
                await _applications(client, seed.BACKEND_REQUISITION_ID)
            sandbox.chaos.reset()
            sandbox.chaos.reject_requisition_filter = True
            before = calls(sandbox, "Get_Candidates")
            await _applications(client, seed.BACKEND_REQUISITION_ID)
            # Still filtering by requisition: the tenant's refusal of the filter costs one call, then the window.
            assert calls(sandbox, "Get_Candidates") == before + 2
        finally:
            await client.aclose()


async def test_a_validation_fault_about_something_else_does_not_switch_off_the_requisition_filter() -> None:
    async with running_sandbox() as sandbox:
        client = client_for(sandbox, page_size=0)  # Count 0 is refused at Response_Filter/Count, not the filter
        try:
            with pytest.raises(ValidationError) as raised:
                await _applications(client, seed.BACKEND_REQUISITION_ID)
            assert "Job_Requisition_Reference" not in str(raised.value)
            client.options = dataclasses.replace(client.options, page_size=100)
            sandbox.chaos.reject_requisition_filter = True
            before = calls(sandbox, "Get_Candidates")
            await _applications(client, seed.BACKEND_REQUISITION_ID)
            assert calls(sandbox, "Get_Candidates") == before + 2  # the filter was still tried
        finally:
            await client.aclose()


@pytest.mark.parametrize("style", ["http429", "http500_empty", "http500_html"])
async def test_throttling_in_each_of_its_shapes_is_a_workday_rate_limit(style: str) -> None:
    raised = await failure(WorkdayRateLimitError, lambda c: c.requisitions(), throttle_every=1, throttle_style=style)
    policy = type(raised).policy
    assert (policy.backoff, policy.max_attempts, policy.base_seconds) == ("fixed", 10, 60.0)
    if style == "http429":
        assert raised.retry_after == 2.0


async def test_a_throttled_sync_is_retried_when_workday_said_not_sooner(db: AsyncEngine) -> None:
    queue = QueueManager(db)
    [requisition] = await make_requisitions(db, 1)
    await queue.enqueue("sync", requisition_id=requisition)
    [job] = await queue.claim(WORKER, 1, ["sync"])
    raised = await failure(
        WorkdayRateLimitError, lambda c: c.requisitions(), throttle_every=1, throttle_style="http429"
    )
    decision = await queue.fail(job, raised, worker=WORKER, started_at=datetime.now(UTC), duration_ms=5.0)
    assert decision.retry and decision.delay_seconds == pytest.approx(2.0)


async def test_a_dropped_connection_and_a_timeout_are_network_errors() -> None:
    await failure(NetworkError, lambda c: c.requisitions(), drop_connection_every=1)
    raised = await failure(NetworkError, lambda c: c.requisitions(), client_options={"timeout": 0.3}, latency_ms=1500)
    assert "in time" in str(raised)
    assert type(raised).policy.max_attempts == 5


async def test_the_generic_processing_fault_is_retried_three_times_with_workdays_text() -> None:
    raised = await failure(WorkdayUnexpectedError, lambda c: c.requisitions(), server_error_every=1)
    assert "An unexpected error occurred." in str(raised)
    policy = type(raised).policy
    assert (policy.retries, policy.backoff, policy.max_attempts) == (True, "exponential", 3)


async def test_an_upload_that_met_the_generic_fault_checks_for_its_filename_before_it_uploads_again() -> None:
    async with running_sandbox(server_error_every=2) as sandbox:  # the 2nd call, the upload itself, fails
        client = client_for(sandbox)
        try:
            upload = client.upload_report(
                candidate_id=seed.INJECTION_CANDIDATE_ID, filename="CandidateReport_77.pdf", content=REPORT
            )
            with pytest.raises(WorkdayUnexpectedError):
                await upload
            assert calls(sandbox, "Put_Candidate_Attachment") == 1
            sandbox.chaos.server_error_every = 0
            result = await client.upload_report(
                candidate_id=seed.INJECTION_CANDIDATE_ID, filename="CandidateReport_77.pdf", content=REPORT
            )
            again = await client.upload_report(
                candidate_id=seed.INJECTION_CANDIDATE_ID, filename="CandidateReport_77.pdf", content=REPORT
            )
        finally:
            await client.aclose()
    assert result.created and not again.created and again.document_id == result.document_id
    assert calls(sandbox, "Get_Candidate_Attachments") == 3  # the check ran before every upload
    assert calls(sandbox, "Put_Candidate_Attachment") == 2  # the failed one and the retry, no duplicate


@pytest.mark.parametrize("style", ["http401", "fault500"])
async def test_an_expired_access_token_is_refreshed_once_and_the_call_goes_through(style: str) -> None:
    async with running_sandbox(expire_token_after_n_calls=2, auth_failure_style=style) as sandbox:
        client = client_for(sandbox)
        try:
            for _ in range(5):
                assert len(await client.requisitions()) == len(seed.OPEN_REQUISITION_IDS)
        finally:
            await client.aclose()
        assert calls(sandbox, "token") >= 3  # the first grant, then a refresh after every second call


async def test_an_access_token_without_expires_in_lasts_the_default_hour() -> None:
    async with running_sandbox(omit_expires_in=True) as sandbox:
        client = client_for(sandbox)
        try:
            await client.requisitions()
            await client.requisitions()
        finally:
            await client.aclose()
        assert calls(sandbox, "token") == 1


async def test_a_rotated_refresh_token_is_kept_and_wins_over_the_configured_one() -> None:
    async with running_sandbox(rotate_refresh_token=True) as sandbox:
        configured = sandbox.settings_env()["WORKDAY_REFRESH_TOKEN"]
        store = MemoryTokenStore()
        first = client_for(sandbox, store=store)
        try:
            await first.requisitions()
        finally:
            await first.aclose()
        rotated = await store.load()
        assert rotated and rotated != configured
        # A new process with the same store starts from the rotated token: the configured one is revoked.
        second = client_for(sandbox, store=store)
        try:
            assert await second.requisitions()
        finally:
            await second.aclose()
        stale = client_for(sandbox, refresh_token=configured)
        try:
            with pytest.raises(RefreshTokenRejectedError) as raised:
                await stale.requisitions()
        finally:
            await stale.aclose()
    assert "re-authorise the API client" in str(raised.value)
    assert configured not in str(raised.value)


@pytest.mark.parametrize("html_error", [False, True])
async def test_a_revoked_refresh_token_is_one_clear_permanent_error(html_error: bool) -> None:
    raised = await failure(
        RefreshTokenRejectedError,
        lambda c: c.requisitions(),
        client_options={"refresh_token": "rt-revoked-long-ago"},
        html_error=html_error,
    )
    assert "Workday rejected the refresh token — re-authorise the API client" in str(raised)
    assert "rt-revoked-long-ago" not in str(raised)
    assert not type(raised).policy.retries


async def test_a_wrong_client_secret_names_the_client_settings() -> None:
    raised = await failure(
        RefreshTokenRejectedError, lambda c: c.requisitions(), client_options={"client_secret": "not-the-secret"}
    )
    assert "WORKDAY_CLIENT_SECRET" in str(raised) and "not-the-secret" not in str(raised)


async def test_a_token_refused_even_after_a_refresh_is_one_clear_permanent_error() -> None:
    # Tokens come from one tenant, the calls go to another that never accepts them.
    async with running_sandbox() as issuer, running_sandbox() as refuser:
        client = client_for(refuser, token_url=issuer.token_url)
        try:
            with pytest.raises(RefreshTokenRejectedError) as raised:
                await client.requisitions()
        finally:
            await client.aclose()
        assert calls(refuser, "Get_Job_Requisitions") == 2  # the call, and exactly one retry
        assert calls(issuer, "token") == 2  # the first grant, and exactly one refresh
    assert "re-authorise the API client" in str(raised.value)
