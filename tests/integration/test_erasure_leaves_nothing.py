"""The whole pipeline for one candidate, then erasure: nothing of them is left anywhere, nor ever logged.

Sync → analyze → interview → evaluate → report → upload, with every log line and activity entry
captured from the start. After erasure the candidate's name, email, résumé text and interview
answers are in no table, no storage object, no outbox file; and no log line written during the run
held them at any time (the activity log is append-only, so its rows now are all it ever held).
"""

from __future__ import annotations

import logging

import pytest
import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.sandbox import seed
from airecruiter.services.erasure import erase_candidate
from tests.integration.erasure_fixtures import dump, files_under, stores_of, with_stores
from tests.integration.pipeline_fixtures import ANSWERS, Pipeline, application, evaluated

APPLICATION, CANDIDATE = "JA-000109", "C000109"  # Oliver Hughes, to the data analyst requisition


async def _resume_lines(pipeline: Pipeline, db: AsyncEngine, app_id: int) -> list[str]:
    """Lines of the candidate's résumé text that say something about them (not words of the job ad)."""
    record = await application(db, APPLICATION)
    artifacts = record.artifacts
    assert artifacts is not None and artifacts.resume is not None
    data = await pipeline.storage.get(artifacts.resume.key)
    extracted = await pipeline.ctx.documents.extract(data, filename=artifacts.resume.filename)
    shared = (await dump(db))["requisitions"] + (await dump(db))["prompts"]
    lines = {" ".join(line.split()).lower() for line in extracted.text.splitlines()}
    return sorted(line for line in lines if len(line) >= 25 and line not in shared)


async def test_after_the_whole_pipeline_and_erasure_nothing_of_the_candidate_is_left(
    pipeline: Pipeline, db: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    pipeline = with_stores(pipeline)
    caplog.set_level(logging.DEBUG)
    with structlog.testing.capture_logs() as events:
        app_id = await evaluated(pipeline, seed.DATA_ANALYST_REQUISITION_ID, APPLICATION)
        await pipeline.run("generate_report", application_id=app_id)
        await pipeline.run("upload_report", application_id=app_id)
        record = await application(db, APPLICATION)
        assert record.status == "complete"
        name, address = record.candidate_name.lower(), (record.candidate_email or "").lower()
        resume = await _resume_lines(pipeline, db, app_id)
        answers = [a.lower() for a in ANSWERS]
        assert name and address and len(resume) >= 5
        before = await dump(db)
        assert name in before["applications"]
        assert any(answers[0] in text for text in before.values())  # the transcript was there

        outcome = await erase_candidate(
            db, stores_of(pipeline), external_candidate_id=CANDIDATE, reason="Candidate's request", actor="admin"
        )

    assert outcome.status == "done" and outcome.contents["uploaded_to_workday"][0]["filename"] == (
        f"CandidateReport_{app_id}.pdf"
    )
    personal = [name, address, *resume, *answers]
    for table, text in (await dump(db)).items():
        assert not [p for p in personal if p in text], f"{table} still holds personal data"
    assert not [p for p in files_under(pipeline.storage.root) if f"applications/{app_id}/" in p.as_posix()]
    assert files_under(pipeline.outbox) == []
    logged = "\n".join([str(e).lower() for e in events] + [r.getMessage().lower() for r in caplog.records])
    assert events, "the run logged nothing: the capture is not working"
    assert not [p for p in personal if p in logged], "a log line held personal data"
