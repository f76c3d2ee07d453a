"""The candidate simulator takes the interviews invited in the outbox, over the real HTTP endpoints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.adapters.email.outbox import OutboxMailer
from airecruiter.adapters.llm.offline_interview import FOLLOW_UP
from airecruiter.db.prompts import seed_default_prompts
from airecruiter.domain.interview_tokens import interview_url
from airecruiter.ports.mail import InterviewInvitation
from airecruiter.sandbox import seed
from airecruiter.sandbox.candidate_simulator import CandidateSimulator, find_invitations
from airecruiter.services.interviews import InterviewEngine
from airecruiter.web.app import create_app
from tests.integration.interview_fixtures import RECRUITER_EMAIL, rows, runtime_for, seed_interview, serving
from tests.integration.pipeline_fixtures import FRONTEND_URL, Pipeline, application, invited

SENDER = "interviews@example.test"


async def _invite(db: AsyncEngine, outbox: Path, count: int) -> list[int]:
    """`count` scheduled interviews, each invited by the real outbox mailer; their interview ids."""
    mailer = OutboxMailer(outbox, from_email=SENDER, from_name="Acme Recruiting")
    ids = []
    for n in range(count):
        seeded = await seed_interview(db, candidate_name=f"Candidate {n} Example")
        await mailer.send_interview_invitation(
            InterviewInvitation(
                to_email=f"candidate{n}@example.test",
                candidate_name=f"Candidate {n} Example",
                position="Backend Engineer",
                company_name="Acme Logistics",
                interview_url=interview_url(FRONTEND_URL, seeded.token),
                expires_at=datetime.now(UTC) + timedelta(days=7),
                recruiter_name="Riley Recruiter",
                recruiter_email=RECRUITER_EMAIL,
            )
        )
        ids.append(seeded.interview_id)
    return ids


async def _no_sleep(_: float) -> None:
    return None


async def test_the_simulator_completes_every_invited_interview(
    db: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    await seed_default_prompts(db)
    outbox = tmp_path / "outbox"
    interview_ids = await _invite(db, outbox, 3)
    (outbox / "unrelated.eml").write_bytes(b"Subject: hello\r\n\r\nNo link in here, only https://example.test/.\r\n")
    assert len(find_invitations(outbox, FRONTEND_URL)) == 3
    assert find_invitations(outbox, "https://elsewhere.example.test") == []

    async with serving(create_app(runtime_for(database_url, db))) as base_url:
        simulator = CandidateSimulator(base_url, seed=3, thin_share=0.5, sleep=_no_sleep)
        summary = await simulator.run(outbox, FRONTEND_URL)
        again = await CandidateSimulator(base_url, seed=3, sleep=_no_sleep).run(outbox, FRONTEND_URL)

    assert summary.interviews_completed == 3, summary.outcomes
    stored = await rows(db, "SELECT interview_id, role, content FROM interview_messages ORDER BY interview_id, seq")
    answers = [r for r in stored if r.role == "candidate"]
    assert summary.answers_sent == len(answers)
    assert sum(o.thin_answers for o in summary.outcomes) > 0
    assert any(r.content == FOLLOW_UP for r in stored)  # the thin answers got their follow-up
    statuses = await rows(db, "SELECT status FROM interviews WHERE id = ANY(:ids)", ids=interview_ids)
    assert {r.status for r in statuses} == {"completed"}
    assert len(await rows(db, "SELECT 1 FROM queue_items WHERE job_type = 'evaluate'")) == 3
    assert summary.as_dict() == {
        "invitations": 3,
        "answers_sent": len(answers),
        "completed": 3,
        "closed": 0,
        "unknown": 0,
        "stuck": 0,
        "failed": 0,
    }
    # Nothing is left to do on a second run: every link is closed now.
    assert (again.interviews_completed, again.answers_sent, again.as_dict()["closed"]) == (0, 0, 3)


async def test_the_same_seed_gives_the_same_answers(db: AsyncEngine, database_url: str, tmp_path: Path) -> None:
    await seed_default_prompts(db)
    transcripts = []
    for run in range(2):
        outbox = tmp_path / f"outbox{run}"
        await _invite(db, outbox, 1)
        async with serving(create_app(runtime_for(database_url, db))) as base_url:
            await CandidateSimulator(base_url, seed=11, thin_share=0.4, sleep=_no_sleep).run(outbox, FRONTEND_URL)
        latest = await rows(
            db,
            "SELECT content FROM interview_messages WHERE role = 'candidate' AND interview_id ="
            " (SELECT max(id) FROM interviews) ORDER BY seq",
        )
        transcripts.append([r.content for r in latest])
    assert transcripts[0] and transcripts[0] == transcripts[1]


async def test_the_simulator_takes_an_interview_the_pipeline_invited_and_evaluate_scores_it(
    pipeline: Pipeline,
    database_url: str,
) -> None:
    app_id = await invited(pipeline, seed.DATA_ANALYST_REQUISITION_ID, "JA-000109")
    engine = InterviewEngine(
        pipeline.db, pipeline.ctx.queue, pipeline.llm, redactor=pipeline.ctx.redactor, company_name="Acme Logistics"
    )
    async with serving(create_app(runtime_for(database_url, pipeline.db, interview_engine=engine))) as base_url:
        summary = await CandidateSimulator(base_url, seed=5, sleep=_no_sleep).run(pipeline.outbox, FRONTEND_URL)
    assert summary.interviews_completed == 1, summary.outcomes

    turns = pipeline.llm.sent("interview_turn")
    assert turns and turns[0].inputs["suggested_questions"]  # the analysis's questions reached the interviewer
    await pipeline.run("evaluate", application_id=app_id)
    assert (await application(pipeline.db, "JA-000109")).status == "interview_complete"
