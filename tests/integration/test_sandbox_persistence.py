"""A restarted sandbox with a state directory still has what clients uploaded and changed."""

from __future__ import annotations

import base64
from pathlib import Path

from airecruiter.sandbox import SandboxServer
from tests.integration.sandbox_fixtures import raw_client, ref, running_sandbox

REPORT = b"%PDF-1.4\n%report kept across restarts\n%%EOF\n"


def put_report(candidate: str, filename: str) -> str:
    return (
        '<bsvc:Put_Candidate_Attachment_Request bsvc:Add_Only="true" bsvc:version="v45.0">'
        f"{ref('Candidate_Reference', 'Candidate_ID', candidate)}<bsvc:Candidate_Attachment_Data>"
        f"<bsvc:Attachment_Data><bsvc:Filename>{filename}</bsvc:Filename>"
        f"<bsvc:File_Content>{base64.b64encode(REPORT).decode()}</bsvc:File_Content></bsvc:Attachment_Data>"
        f"{ref('Document_Category_Reference', 'Document_Category__Workday_Owned__ID', 'OTHER_DOCUMENTS')}"
        "</bsvc:Candidate_Attachment_Data></bsvc:Put_Candidate_Attachment_Request>"
    )


async def test_uploads_stage_changes_and_rotated_tokens_survive_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "sandbox"
    async with running_sandbox(state_dir=state, rotate_refresh_token=True) as first, raw_client(first) as wd:
        answer = await wd.call(put_report("C000101", "Report_JA-000101.pdf"))
        [wid] = answer.ids("Attachment_Reference", "WID")
        first.tenant.advance_stage("JA-000101", "Screen")
        await wd.control(
            "POST", "applications/JA-000102/stage", json={"stage": "Review", "disposition": "Experience/Skills"}
        )
        rotated = first.refresh_token
        seeded = {a.application_id: (a.wid, a.applied_at) for a in first.tenant.applications.values()}
    assert (state / "journal.jsonl").exists() and (state / "state.json").exists()

    async with running_sandbox(state_dir=state) as second, raw_client(second) as wd:
        assert second.refresh_token == rotated and rotated != "rt-sandbox-0001"
        assert {a.application_id: (a.wid, a.applied_at) for a in second.tenant.applications.values()} == seeded
        kept = second.tenant.attachment(wid)
        assert kept is not None and kept.content == REPORT and kept.filename == "Report_JA-000101.pdf"
        assert (await wd.control("GET", f"attachments/{wid}/content")).content == REPORT
        assert second.tenant.application("JA-000101").state.current.stage.value == "Screen"
        moved = second.tenant.application("JA-000102").state.current
        assert (moved.stage.value, moved.disposition and moved.disposition.value) == ("Review", "Experience/Skills")
        again = await wd.call(put_report("C000101", "Report_JA-000101_r2.pdf"))
        assert again.ids("Attachment_Reference", "WID") != [wid]

    async with running_sandbox(state_dir=state) as third:
        assert len([a for a in third.tenant.attachments("C000101") if a.origin == "upload"]) == 2


async def test_without_state_dir_nothing_is_kept(tmp_path: Path) -> None:
    async with running_sandbox() as first:
        first.tenant.advance_stage("JA-000101", "Offer")
    async with running_sandbox() as second:
        assert second.tenant.application("JA-000101").state.current.stage.value == "Review"


async def test_torn_journal_line_is_ignored(tmp_path: Path) -> None:
    state = tmp_path / "sandbox"
    async with running_sandbox(state_dir=state) as first:
        first.tenant.advance_stage("JA-000103", "Interview")
    with (state / "journal.jsonl").open("a") as journal:
        journal.write('{"event": "stage", "application_id": "JA-0001')  # a crash mid-write
    server = SandboxServer(state_dir=state)
    await server.start()
    try:
        assert server.tenant.application("JA-000103").state.current.stage.value == "Interview"
        server.tenant.advance_stage("JA-000104", "Screen")
    finally:
        await server.stop()
    async with running_sandbox(state_dir=state) as third:
        assert third.tenant.application("JA-000104").state.current.stage.value == "Screen"
