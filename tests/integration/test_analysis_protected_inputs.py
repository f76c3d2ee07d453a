"""The analysis model reads a résumé without protected attributes; blind education follows the requisition."""

from __future__ import annotations

import pytest

from airecruiter.sandbox import seed
from tests.integration.conftest import execute
from tests.integration.pipeline_fixtures import Pipeline, application, synced

STRONG_ANALYST = "JA-000109"
RESUME = (
    "Summary\nShe led her team of five analysts as chairwoman of the reporting guild.\n"
    "Experience\nData Analyst, St. Mary's Hospital, Jan 2016 - Mar 2021\n"
    "Education\nBSc Statistics, University of Leeds, 2012 - 2015\n"
    "Activities\nTreasurer of the Society of Women Engineers\n"
)


async def _analysed(pipeline: Pipeline, *, blind_education: bool) -> str:
    await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    app = await application(pipeline.db, STRONG_ANALYST)
    assert app.artifacts.resume is not None
    await pipeline.storage.put(app.artifacts.resume.key, RESUME.encode(), content_type="text/plain")
    await execute(
        pipeline.db,
        "UPDATE requisitions SET blind_education = :b WHERE id = :r",
        b=blind_education,
        r=app.requisition_id,
    )
    await pipeline.run("analyze", application_id=app.id)
    [call] = pipeline.llm.sent("analyze_resume")
    sent: str = call.inputs["resume_text"]
    return sent


@pytest.mark.parametrize(("blind", "institution"), [(True, "[INSTITUTION]"), (False, "University of Leeds")])
async def test_the_model_reads_neutral_words_placeholders_and_the_requisitions_choice_of_blind_education(
    pipeline: Pipeline, blind: bool, institution: str
) -> None:
    sent = await _analysed(pipeline, blind_education=blind)

    assert "They led their team of five analysts as chair of the reporting guild." in sent
    assert "Data Analyst, St. Mary's Hospital, Jan 2016 - Mar 2021" in sent  # employer and dates stay
    assert f"BSc Statistics, {institution}, [YEAR] - [YEAR]" in sent
    assert "Treasurer of the [AFFINITY ORGANISATION]" in sent
