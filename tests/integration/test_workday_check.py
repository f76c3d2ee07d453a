"""`airecruiter workday check` against the sandbox tenant over HTTP, as an operator runs it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import httpx
from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.sandbox import seed
from airecruiter.sandbox.server import SandboxServer
from tests.integration.processes import ROOT
from tests.integration.sandbox_fixtures import running_sandbox

CANDIDATE = next(a.candidate_id for a in seed.seeded_applications())


async def _check(sandbox: SandboxServer, database_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        **sandbox.settings_env(),
        "DATABASE_URL": database_url,
        "AIRECRUITER_SECRET_KEY": Fernet.generate_key().decode(),
        "COLUMNS": "400",
        "LOG_LEVEL": "WARNING",
        **env,
    }
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "airecruiter", "workday", "check", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _lines(result: subprocess.CompletedProcess[str], mark: str) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith(f"[{mark}]")]


async def test_a_well_configured_tenant_passes_every_step_and_the_upload_is_left_unproven(
    db: AsyncEngine, database_url: str
) -> None:
    async with running_sandbox() as sandbox:
        result = await _check(sandbox, database_url)
        uploads = sandbox.calls.operations.get("Put_Candidate_Attachment", 0)
    assert result.returncode == 0, result.stdout + result.stderr
    said = result.stdout
    assert "[ok] token: Workday granted an access token" in said
    assert "[ok] open status: The open-status filter 'Open' works: 3 open requisition(s)." in said
    assert "the status IDs they use: 'Closed', 'Open'" in said
    assert "[ok] candidates: Read" in said and "stage IDs seen" in said
    assert (
        "[ok] recruiter roles: The requisitions read assign the role IDs 'Primary_Recruiter'; WORKDAY_RECRUITER_ROLES "
        "is 'Primary_Recruiter', 'Recruiter': the recruiter is read from 'Primary_Recruiter'." in said
    )
    assert "[ok] self-identification: This account can see self-identification data (" in said
    assert "AIRecruiter reads only the voluntary answers" in said
    assert "[note] decisions: Stage IDs seen that count as advanced (WORKDAY_ADVANCED_STAGES): " in said
    assert "[note] upload: The upload permission cannot be proven without writing" in said
    assert "0 problem(s)" in said
    assert uploads == 0  # the check writes nothing unless asked


async def test_an_open_status_id_the_tenant_does_not_use_is_named_with_the_ids_it_does(
    db: AsyncEngine, database_url: str
) -> None:
    async with running_sandbox() as sandbox:
        result = await _check(sandbox, database_url, "--open-status", "OPEN")
    assert result.returncode == 1
    (problem,) = _lines(result, "PROBLEM")
    assert problem.startswith("[PROBLEM] open status: Workday does not know the open-status ID 'OPEN'")
    assert "every requisition-list sync would fail" in problem
    assert "use the status IDs 'Closed', 'Open'" in problem


async def test_the_write_test_uploads_a_small_attachment_on_purpose(db: AsyncEngine, database_url: str) -> None:
    async with running_sandbox() as sandbox:
        result = await _check(sandbox, database_url, "--write-test", CANDIDATE)
        async with httpx.AsyncClient() as http:
            listed = (
                await http.get(
                    f"{sandbox.base_url}/_sandbox/attachments", params={"candidate": CANDIDATE, "origin": "upload"}
                )
            ).json()["attachments"]
    assert result.returncode == 0, result.stdout + result.stderr
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("[ok] upload:")]
    assert f"to candidate {CANDIDATE} under the category 'OTHER_DOCUMENTS'" in line
    assert len(listed) == 1 and listed[0]["filename"].startswith("airecruiter-write-test-")


async def test_a_refused_refresh_token_ends_the_check_with_one_sentence(db: AsyncEngine, database_url: str) -> None:
    async with running_sandbox() as sandbox:
        result = await _check(sandbox, database_url, WORKDAY_REFRESH_TOKEN="not-the-token")
    assert result.returncode == 1
    (problem,) = _lines(result, "PROBLEM")
    assert problem.startswith("[PROBLEM] token: Workday granted no access token:")
    assert not _lines(result, "ok")


async def test_a_tenant_refusing_the_requisition_filter_and_uploads_gets_a_sentence_for_each(
    db: AsyncEngine, database_url: str
) -> None:
    async with running_sandbox(reject_requisition_filter=True, attachments_read_only=True) as sandbox:
        result = await _check(sandbox, database_url, "--write-test", CANDIDATE)
    assert result.returncode == 1
    problems = _lines(result, "PROBLEM")
    assert any(p.startswith("[PROBLEM] candidates:") and "WORKDAY_REQUISITION_FILTER=false" in p for p in problems)
    assert any(
        p.startswith(f"[PROBLEM] upload: Uploading a test attachment to candidate {CANDIDATE} failed") for p in problems
    )


async def test_the_role_ids_a_tenant_uses_are_named_beside_the_configured_recruiter_roles(
    db: AsyncEngine, database_url: str
) -> None:
    async with running_sandbox(conventions="upper") as sandbox:
        right = await _check(sandbox, database_url)
        wrong = await _check(sandbox, database_url, WORKDAY_RECRUITER_ROLES="Talent_Partner")
    assert right.returncode == 0, right.stdout + right.stderr
    assert "[ok] recruiter roles:" in right.stdout and "read from 'PRIMARY_RECRUITER'" in right.stdout
    (warning,) = [line for line in _lines(wrong, "WARNING") if "recruiter roles" in line]
    assert "assign the role IDs 'PRIMARY_RECRUITER'; WORKDAY_RECRUITER_ROLES is 'Talent_Partner'" in warning
    assert "Set WORKDAY_RECRUITER_ROLES to the role ID of the requisition's recruiter" in warning
    # This tenant's own reading of the decision: REVIEW and SCREEN are no advance here.
    (decisions,) = [line for line in right.stdout.splitlines() if line.startswith("[note] decisions:")]
    assert "count as advanced (WORKDAY_ADVANCED_STAGES): none; not counted: 'REVIEW', 'SCREEN'" in decisions
    assert "('EXPERIENCE/SKILLS, LOCATION, SALARY_EXPECTATIONS, DUPLICATE_APPLICATION', WORKDAY_REJECTED" in decisions
