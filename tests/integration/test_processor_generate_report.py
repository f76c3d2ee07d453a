"""The `generate_report` processor: the PDF a recruiter reads, stored and recorded, queued for Workday."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest

from airecruiter.errors import IllegalTransitionError, policy_for
from airecruiter.sandbox import seed
from tests.integration.pipeline_fixtures import (
    ANSWERS,
    Pipeline,
    activity,
    analyzed,
    application,
    evaluated,
    live_jobs,
    rows,
    synced,
)
from tests.integration.test_processor_analyze import InventingLLM

STRONG_ANALYST = "JA-000109"


def pdf_text(pdf: bytes) -> str:
    """The report's text, whitespace collapsed so wrapped lines compare as one."""
    document = pdfium.PdfDocument(pdf)
    try:
        return re.sub(r"\s+", " ", " ".join(page.get_textpage().get_text_range() for page in document))
    finally:
        document.close()


async def _reports(pipeline: Pipeline, app_id: int) -> list[object]:
    return await rows(pipeline.db, "SELECT * FROM reports WHERE application_id = :a ORDER BY id", a=app_id)


async def test_the_full_report_shows_analysis_evaluation_and_transcript(pipeline: Pipeline) -> None:
    app_id = await evaluated(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("generate_report", application_id=app_id)

    [report] = await _reports(pipeline, app_id)
    assert report.s3_key == f"applications/{app_id}/reports/CandidateReport_{app_id}_1.pdf"
    assert (report.includes_analysis, report.includes_interview, report.uploaded_to_workday) == (True, True, False)
    pdf = await pipeline.storage.get(report.s3_key)
    text = pdf_text(pdf)
    [evaluation] = await rows(pipeline.db, "SELECT overall_score FROM evaluations WHERE application_id = :a", a=app_id)
    for shown in (
        "Oliver Hughes",
        "Data Analyst",
        seed.DATA_ANALYST_REQUISITION_ID,
        "Marcus Lee",
        f"{evaluation.overall_score:.1f}",
        ANSWERS[0][:40],
    ):
        assert shown in text, shown
    assert "no language model was used" in text  # the offline scorer is labelled as such
    assert "offline-rules-v1" in text

    assert (await application(pipeline.db, STRONG_ANALYST)).status == "report_pending"
    assert ("upload_report", app_id, None) in await live_jobs(pipeline.db)
    [generated] = await activity(pipeline.db, app_id, "report_generated")
    assert generated["key"] == report.s3_key and generated["includes_interview"] is True


async def test_an_analysis_only_report_is_made_from_analyzed(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("generate_report", application_id=app_id)
    [report] = await _reports(pipeline, app_id)
    assert (report.includes_analysis, report.includes_interview) == (True, False)
    text = pdf_text(await pipeline.storage.get(report.s3_key))
    assert "Oliver Hughes" in text and "Résumé analysis" in text
    assert "Interview evaluation" not in text
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "report_pending"


async def test_generating_again_makes_no_second_report(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("generate_report", application_id=app_id)
    await pipeline.run("generate_report", application_id=app_id)
    assert len(await _reports(pipeline, app_id)) == 1
    assert len(list((pipeline.storage.root / f"applications/{app_id}/reports").iterdir())) == 1


async def test_an_unverified_quote_is_shown_as_such_in_the_report(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline.with_context(llm=InventingLLM()), seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("generate_report", application_id=app_id)
    [report] = await _reports(pipeline, app_id)
    text = pdf_text(await pipeline.storage.get(report.s3_key))
    assert f"{InventingLLM.INVENTED} (unverified: this quote does not occur in the résumé)" in text


async def test_an_application_not_analysed_yet_gets_no_report(pipeline: Pipeline) -> None:
    await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    app = await application(pipeline.db, STRONG_ANALYST)
    with pytest.raises(IllegalTransitionError) as failure:
        await pipeline.run("generate_report", application_id=app.id)
    assert not policy_for(failure.value).retries
    assert await _reports(pipeline, app.id) == []
