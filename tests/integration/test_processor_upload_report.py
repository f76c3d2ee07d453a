"""The `upload_report` processor: the report lands in the candidate's Workday attachments, exactly once."""

from __future__ import annotations

import pytest

from airecruiter.errors import ValidationError, WorkdayRateLimitError, policy_for
from airecruiter.sandbox import seed
from tests.integration.pipeline_fixtures import Pipeline, activity, analyzed, application, rows
from tests.integration.workday_helpers import calls

STRONG_ANALYST = "JA-000109"  # Oliver Hughes, candidate C000109
CANDIDATE = "C000109"
PUT = "Put_Candidate_Attachment"


async def _report_pending(pipeline: Pipeline) -> int:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("generate_report", application_id=app_id)
    return app_id


def _uploads(pipeline: Pipeline, filename: str) -> list[object]:
    return [a for a in pipeline.sandbox.tenant.attachments(CANDIDATE) if a.filename == filename]


async def test_the_report_is_attached_to_the_candidate_in_workday(pipeline: Pipeline) -> None:
    app_id = await _report_pending(pipeline)
    await pipeline.run("upload_report", application_id=app_id)

    filename = f"CandidateReport_{app_id}.pdf"
    [attachment] = _uploads(pipeline, filename)
    [report] = await rows(pipeline.db, "SELECT * FROM reports WHERE application_id = :a", a=app_id)
    assert attachment.content == await pipeline.storage.get(report.s3_key)  # type: ignore[attr-defined]
    assert report.uploaded_to_workday is True
    assert report.workday_document_id == attachment.wid  # type: ignore[attr-defined]
    assert report.uploaded_at is not None
    assert calls(pipeline.sandbox, PUT) == 1
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "complete"
    [uploaded] = await activity(pipeline.db, app_id, "report_uploaded")
    assert uploaded["filename"] == filename and uploaded["already_in_workday"] is False
    assert (await activity(pipeline.db, app_id, "status_changed"))[-1] == {"from": "report_pending", "to": "complete"}


async def test_uploading_again_sends_nothing(pipeline: Pipeline) -> None:
    app_id = await _report_pending(pipeline)
    await pipeline.run("upload_report", application_id=app_id)
    await pipeline.run("upload_report", application_id=app_id)
    assert calls(pipeline.sandbox, PUT) == 1
    assert len(_uploads(pipeline, f"CandidateReport_{app_id}.pdf")) == 1


async def test_a_retry_after_a_lost_answer_finds_the_upload_instead_of_duplicating_it(pipeline: Pipeline) -> None:
    app_id = await _report_pending(pipeline)
    [report] = await rows(pipeline.db, "SELECT * FROM reports WHERE application_id = :a", a=app_id)
    filename = f"CandidateReport_{app_id}.pdf"
    # Workday stored the file, but the answer never reached us (a timeout): nothing is recorded here.
    first = await pipeline.ctx.workday.upload_report(
        candidate_id=CANDIDATE, filename=filename, content=await pipeline.storage.get(report.s3_key)
    )
    assert first.created
    await pipeline.run("upload_report", application_id=app_id)
    assert calls(pipeline.sandbox, PUT) == 1
    assert len(_uploads(pipeline, filename)) == 1
    [marked] = await rows(pipeline.db, "SELECT * FROM reports WHERE application_id = :a", a=app_id)
    assert marked.uploaded_to_workday and marked.workday_document_id == first.document_id
    [uploaded] = await activity(pipeline.db, app_id, "report_uploaded")
    assert uploaded["already_in_workday"] is True
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "complete"


async def test_a_throttled_workday_leaves_the_report_pending_for_a_retry(pipeline: Pipeline) -> None:
    app_id = await _report_pending(pipeline)
    pipeline.sandbox.chaos.update({"throttle_every": 1, "throttle_style": "http500_empty"})
    with pytest.raises(WorkdayRateLimitError) as failure:
        await pipeline.run("upload_report", application_id=app_id)
    assert policy_for(failure.value).retries
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "report_pending"
    pipeline.sandbox.chaos.reset()
    await pipeline.run("upload_report", application_id=app_id)
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "complete"
    assert calls(pipeline.sandbox, PUT) == 1


async def test_an_application_without_a_report_is_not_uploaded(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    with pytest.raises(ValidationError, match="no report to upload") as failure:
        await pipeline.run("upload_report", application_id=app_id)
    assert not policy_for(failure.value).retries
    assert calls(pipeline.sandbox, PUT) == 0
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "analyzed"
