"""A recruiter's "regenerate report" and an admin's "re-analyze", carried out by the real processors.

A regenerated report must reach Workday as a new document (the first upload's filename is taken),
and a re-analysis must add the newest analysis without moving the application backwards.
"""

from __future__ import annotations

from airecruiter.sandbox import seed
from airecruiter.services.applications import reanalyze, regenerate_report
from tests.integration.pipeline_fixtures import Pipeline, activity, analyzed, application, invited, rows, value
from tests.integration.workday_helpers import calls

STRONG_ANALYST = "JA-000109"  # Oliver Hughes, candidate C000109
CANDIDATE = "C000109"
PUT = "Put_Candidate_Attachment"
ACTOR = "console:rita"


async def _complete(pipeline: Pipeline) -> int:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("generate_report", application_id=app_id)
    await pipeline.run("upload_report", application_id=app_id)
    return app_id


def _attachments(pipeline: Pipeline) -> dict[str, bytes]:
    return {
        a.filename: a.content
        for a in pipeline.sandbox.tenant.attachments(CANDIDATE)  # type: ignore[attr-defined]
        if a.filename.startswith("CandidateReport_")
    }


async def test_a_regenerated_report_reaches_workday_as_a_new_document(pipeline: Pipeline) -> None:
    app_id = await _complete(pipeline)
    await regenerate_report(pipeline.db, pipeline.ctx.queue, application_id=app_id, actor=ACTOR)
    await pipeline.run("generate_report", application_id=app_id)
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "report_pending"
    await pipeline.run("upload_report", application_id=app_id)

    first, second = await rows(pipeline.db, "SELECT * FROM reports WHERE application_id = :a ORDER BY id", a=app_id)
    attached = _attachments(pipeline)
    assert set(attached) == {f"CandidateReport_{app_id}.pdf", f"CandidateReport_{app_id}_v2.pdf"}
    assert attached[f"CandidateReport_{app_id}_v2.pdf"] == await pipeline.storage.get(second.s3_key)
    assert second.uploaded_to_workday and second.workday_document_id != first.workday_document_id
    assert calls(pipeline.sandbox, PUT) == 2
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "complete"
    uploads = await activity(pipeline.db, app_id, "report_uploaded")
    assert [u["filename"] for u in uploads] == [f"CandidateReport_{app_id}.pdf", f"CandidateReport_{app_id}_v2.pdf"]


async def test_a_regenerate_request_makes_one_report_however_often_the_job_runs(pipeline: Pipeline) -> None:
    app_id = await _complete(pipeline)
    await regenerate_report(pipeline.db, pipeline.ctx.queue, application_id=app_id, actor=ACTOR)
    for _ in range(3):  # at-least-once delivery
        await pipeline.run("generate_report", application_id=app_id)
    assert await value(pipeline.db, "SELECT count(*) FROM reports WHERE application_id = :a", a=app_id) == 2


async def test_a_retried_upload_of_a_regenerated_report_finds_it_instead_of_duplicating_it(
    pipeline: Pipeline,
) -> None:
    app_id = await _complete(pipeline)
    await regenerate_report(pipeline.db, pipeline.ctx.queue, application_id=app_id, actor=ACTOR)
    await pipeline.run("generate_report", application_id=app_id)
    [key] = [
        r.s3_key
        for r in await rows(
            pipeline.db, "SELECT s3_key FROM reports WHERE application_id = :a ORDER BY id DESC LIMIT 1", a=app_id
        )
    ]
    # Workday stored version 2, but its answer was lost: the retry must find it.
    lost = await pipeline.ctx.workday.upload_report(
        candidate_id=CANDIDATE, filename=f"CandidateReport_{app_id}_v2.pdf", content=await pipeline.storage.get(key)
    )
    await pipeline.run("upload_report", application_id=app_id)
    assert calls(pipeline.sandbox, PUT) == 2
    assert len(_attachments(pipeline)) == 2
    [uploaded] = (await activity(pipeline.db, app_id, "report_uploaded"))[1:]
    assert uploaded["already_in_workday"] is True and uploaded["workday_document_id"] == lost.document_id


async def test_a_reanalysis_adds_the_newest_analysis_and_leaves_the_status_alone(pipeline: Pipeline) -> None:
    app_id = await invited(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    changes_before = len(await activity(pipeline.db, app_id, "status_changed"))
    await pipeline.run("analyze", application_id=app_id)  # without a request, nothing happens
    assert await value(pipeline.db, "SELECT count(*) FROM analyses WHERE application_id = :a", a=app_id) == 1

    await reanalyze(pipeline.db, pipeline.ctx.queue, application_id=app_id, actor=ACTOR)
    await pipeline.run("analyze", application_id=app_id)
    await pipeline.run("analyze", application_id=app_id)  # a redelivery adds nothing

    analyses = await rows(pipeline.db, "SELECT id FROM analyses WHERE application_id = :a ORDER BY id", a=app_id)
    assert len(analyses) == 2
    stored = await activity(pipeline.db, app_id, "analysis_stored")
    assert stored[-1]["analysis_id"] == analyses[-1].id and stored[-1]["reanalysis"] is True
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "interview_pending"
    assert len(await activity(pipeline.db, app_id, "status_changed")) == changes_before
    assert len(pipeline.emails()) == 1  # no second invitation
