"""A person's decision on record: stored with its history, refused when incomplete, shown in a new report
uploaded to Workday as a new version, counted against the AI's recommendation, never written to Workday's stage.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.read_models.agreement import agreement_figures
from airecruiter.domain.decisions import DEFAULT_REASON_CODES, NOTE_MAX_CHARS
from airecruiter.errors import ValidationError
from airecruiter.sandbox import seed
from airecruiter.services.decisions import record_decision
from tests.integration.pipeline_fixtures import Pipeline, activity, analyzed, application, evaluated, rows, value
from tests.integration.test_processor_generate_report import pdf_text

STRONG_ANALYST = "JA-000109"  # Oliver Hughes, candidate C000109
CANDIDATE = "C000109"
ACTOR = "console:rita"
NOTE = "Strong SQL, but the role needs on-site presence three days a week, which the candidate declined."


async def _decide(pipeline: Pipeline, app_id: int, decision: str, reason: str, note: str | None = None) -> str:
    outcome = await record_decision(
        pipeline.db,
        pipeline.ctx.queue,
        application_id=app_id,
        decision=decision,
        reason_code=reason,
        note=note,
        actor=ACTOR,
        reason_codes=DEFAULT_REASON_CODES,
    )
    return outcome.message


async def _queued(db: AsyncEngine, app_id: int) -> list[str]:
    found = await rows(db, "SELECT job_type FROM queue_items WHERE application_id = :a ORDER BY id", a=app_id)
    return [r.job_type for r in found]


async def test_a_decision_is_stored_with_its_history_and_the_newest_is_current(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await _decide(pipeline, app_id, "hold", "needs_more_information")
    message = await _decide(pipeline, app_id, "reject", "missing_required_skill", NOTE)

    assert message.startswith("Decision recorded: Reject (missing required skill).")
    assert "not changed" in message  # Workday's stage is the recruiter's to move
    history = await rows(
        pipeline.db,
        "SELECT decision, reason_code, note, decided_by FROM decisions WHERE application_id = :a ORDER BY id",
        a=app_id,
    )
    assert [tuple(r) for r in history] == [
        ("hold", "needs_more_information", None, ACTOR),
        ("reject", "missing_required_skill", NOTE, ACTOR),
    ]
    assert (
        await value(pipeline.db, "SELECT console_decision FROM outcomes WHERE application_id = :a", a=app_id)
        == "reject"
    )
    entries = await activity(pipeline.db, app_id, "decision_recorded")
    assert [(e["decision"], e["reason_code"], e["annotated"]) for e in entries] == [
        ("hold", "needs_more_information", False),
        ("reject", "missing_required_skill", True),
    ]
    assert all(NOTE not in str(e) for e in entries)  # the note is personal: it stays out of the log
    # No report exists yet, so nothing is queued: the pipeline's own report will show the decision.
    assert "generate_report" not in await _queued(pipeline.db, app_id)


@pytest.mark.parametrize(
    ("decision", "reason", "note", "says"),
    [
        ("", "meets_requirements", None, "Choose a decision"),
        ("promote", "meets_requirements", None, "Choose a decision"),
        ("advance", "", None, "Choose a reason"),
        ("advance", "looked_nice", None, "Choose a reason"),
        ("advance", "meets_requirements", "x" * (NOTE_MAX_CHARS + 1), "shorten it to 4000"),
    ],
)
async def test_an_incomplete_decision_is_refused_and_nothing_is_stored(
    pipeline: Pipeline, decision: str, reason: str, note: str | None, says: str
) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    with pytest.raises(ValidationError) as refused:
        await _decide(pipeline, app_id, decision, reason, note)
    assert says in refused.value.message
    assert await value(pipeline.db, "SELECT count(*) FROM decisions") == 0
    assert await activity(pipeline.db, app_id, "decision_recorded") == []


async def test_a_note_of_exactly_the_limit_is_kept_whole(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await _decide(pipeline, app_id, "advance", "meets_requirements", "n" * NOTE_MAX_CHARS)
    assert (
        await value(pipeline.db, "SELECT length(note) FROM decisions WHERE application_id = :a", a=app_id)
        == NOTE_MAX_CHARS
    )


async def test_a_decision_makes_a_new_report_version_in_workday_beside_the_ai_recommendation(
    pipeline: Pipeline,
) -> None:
    app_id = await evaluated(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("generate_report", application_id=app_id)
    await pipeline.run("upload_report", application_id=app_id)
    recommendation = await value(
        pipeline.db, "SELECT recommendation FROM evaluations WHERE application_id = :a", a=app_id
    )
    workday_app = pipeline.sandbox.tenant.application(STRONG_ANALYST)  # type: ignore[attr-defined]
    stages_before = list(workday_app.state.values)
    operations_before = dict(pipeline.sandbox.calls.operations)

    message = await _decide(pipeline, app_id, "reject", "missing_required_skill", NOTE)
    assert "new report" in message
    assert "generate_report" in await _queued(pipeline.db, app_id)
    await pipeline.run("generate_report", application_id=app_id)
    await pipeline.run("upload_report", application_id=app_id)

    first, second = await rows(pipeline.db, "SELECT * FROM reports WHERE application_id = :a ORDER BY id", a=app_id)
    shown = pdf_text(await pipeline.storage.get(second.s3_key))
    assert "DECISION BY A PERSON" in shown
    assert "Reject" in shown and "Missing required skill" in shown and ACTOR in shown
    assert NOTE in shown
    label = {"strong_hire": "Strong hire", "hire": "Hire", "maybe": "Maybe", "no_hire": "No hire"}[recommendation]
    assert f"AI recommendation {label}" in shown  # beside the decision, not replaced by it
    assert "No decision recorded yet" in pdf_text(await pipeline.storage.get(first.s3_key))

    attached = {a.filename for a in pipeline.sandbox.tenant.attachments(CANDIDATE)}  # type: ignore[attr-defined]
    assert {f"CandidateReport_{app_id}.pdf", f"CandidateReport_{app_id}_v2.pdf"} <= attached  # never overwritten
    assert second.uploaded_to_workday and second.workday_document_id != first.workday_document_id
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "complete"
    # Workday saw only reads and the one new attachment; the candidate's stage did not move.
    new_calls = {
        op: n - operations_before.get(op, 0)
        for op, n in pipeline.sandbox.calls.operations.items()
        if n != operations_before.get(op, 0)
    }
    assert set(new_calls) <= {"Put_Candidate_Attachment"} | {op for op in new_calls if op.startswith("Get_")}
    assert new_calls.get("Put_Candidate_Attachment") == 1
    assert list(workday_app.state.values) == stages_before


async def test_a_decision_recorded_again_while_the_report_waits_makes_one_more_report(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("generate_report", application_id=app_id)
    await pipeline.run("upload_report", application_id=app_id)
    await _decide(pipeline, app_id, "advance", "meets_requirements")
    for _ in range(2):  # at-least-once delivery: the second run finds the decision older than its report
        await pipeline.run("generate_report", application_id=app_id)
    assert await value(pipeline.db, "SELECT count(*) FROM reports WHERE application_id = :a", a=app_id) == 2


async def _outcome(
    db: AsyncEngine, app_id: int, model: str, version: int, ai: str | None, decision: str | None
) -> None:
    async with db.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO outcomes (application_id, requisition_id, applied_month, evaluation_model,"
                " evaluation_prompt_version, ai_recommendation, console_decision)"
                " VALUES (:a, 1, DATE '2026-11-01', :m, :v, :ai, :d)"
            ),
            {"a": app_id, "m": model, "v": version, "ai": ai, "d": decision},
        )


async def test_agreement_figures_per_model_and_prompt_version_match_a_count_by_hand(db: AsyncEngine) -> None:
    pairs = [
        # claude, v1: 3 agree (2 advance↔hire/strong_hire, 1 reject↔no_hire), 1 up, 2 down, 1 hold, 1 maybe
        ("claude", 1, "hire", "advance"),
        ("claude", 1, "strong_hire", "advance"),
        ("claude", 1, "no_hire", "reject"),
        ("claude", 1, "no_hire", "advance"),
        ("claude", 1, "hire", "reject"),
        ("claude", 1, "strong_hire", "reject"),
        ("claude", 1, "hire", "hold"),
        ("claude", 1, "maybe", "advance"),
        # claude, v2: 1 agree of 1
        ("claude", 2, "no_hire", "reject"),
        # offline, v1: only a hold: no rate
        ("offline", 1, "hire", "hold"),
        # not counted: no decision yet; a decision without an AI recommendation is counted aside
        ("claude", 1, "hire", None),
        ("claude", 1, None, "advance"),
    ]
    for app_id, (model, version, ai, decision) in enumerate(pairs, start=1):
        await _outcome(db, app_id, model, version, ai, decision)
    async with db.connect() as conn:
        figures = await agreement_figures(conn)

    by_key = {(r.model, r.prompt_version): r for r in figures.rows}
    v1 = by_key[("claude", 1)]
    assert (v1.agrees, v1.overruled_up, v1.overruled_down, v1.apart, v1.decided) == (3, 1, 2, 2, 8)
    assert v1.agreement_rate == pytest.approx(3 / 6)
    assert v1.share(v1.overruled_down) == pytest.approx(2 / 6)
    v2 = by_key[("claude", 2)]
    assert (v2.agrees, v2.comparable, v2.agreement_rate) == (1, 1, 1.0)
    offline = by_key[("offline", 1)]
    assert (offline.apart, offline.agreement_rate) == (1, None)
    assert (figures.rows[0].model, figures.rows[0].prompt_version) == ("claude", 1)  # most decisions first
    assert figures.without_recommendation == 1


async def test_a_decision_in_human_review_makes_no_ai_report(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("generate_report", application_id=app_id)
    async with pipeline.db.begin() as conn:  # the candidate asked for a person (another flow moves it there)
        await conn.execute(text("UPDATE applications SET status = 'human_review' WHERE id = :a"), {"a": app_id})
    message = await _decide(pipeline, app_id, "advance", "meets_requirements")
    assert "No AI report is made for an application in human review." in message
    assert "generate_report" not in await _queued(pipeline.db, app_id)
    assert (
        await value(pipeline.db, "SELECT console_decision FROM outcomes WHERE application_id = :a", a=app_id)
        == "advance"
    )
