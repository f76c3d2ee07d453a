"""Read model of the pipeline's progress as `airecruiter demo` shows it: counts, results, the dead letter."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

SELECT_APPLICATIONS_BY_STATUS = text("SELECT status, count(*) FROM applications GROUP BY status")
COUNT_LIVE_ITEMS = text("SELECT count(*) FROM queue_items WHERE status IN ('pending', 'running', 'failed')")
SELECT_DEAD_ITEMS = text("""
    SELECT q.job_type, q.last_error, a.external_application_id, a.candidate_name
      FROM queue_items q LEFT JOIN applications a ON a.id = q.application_id
     WHERE q.status = 'dead' ORDER BY q.id
""")
# Invitations sent and not yet answered: the pipeline waits on the candidates, not on a job.
COUNT_WAITING_ON_CANDIDATES = text("""
    SELECT count(*) FROM applications a JOIN interviews i ON i.application_id = a.id
     WHERE a.status = 'interview_pending' AND i.status IN ('scheduled', 'in_progress')
       AND i.invitation_message_id IS NOT NULL
""")
SELECT_CANDIDATE_RESULTS = text("""
    SELECT a.candidate_name, r.external_id AS requisition, r.name AS title, a.status,
           (SELECT risk_score FROM analyses WHERE application_id = a.id ORDER BY id DESC LIMIT 1) AS risk,
           (SELECT overall_score FROM evaluations WHERE application_id = a.id ORDER BY id DESC LIMIT 1) AS overall,
           (SELECT recommendation FROM evaluations WHERE application_id = a.id ORDER BY id DESC LIMIT 1) AS advice,
           (SELECT s3_key FROM reports WHERE application_id = a.id ORDER BY id DESC LIMIT 1) AS report
      FROM applications a JOIN requisitions r ON r.id = a.requisition_id
     ORDER BY r.external_id, a.external_application_id
""")


@dataclass(frozen=True)
class Progress:
    """Applications per status, and what the pipeline still waits for."""

    by_status: dict[str, int]
    live_items: int  # queue items pending, running or waiting for a retry
    waiting_on_candidates: int
    dead_items: int


@dataclass(frozen=True)
class DeadItem:
    """A dead-letter item with the application it was for (when it had one)."""

    job_type: str
    last_error: str | None
    external_application_id: str | None
    candidate_name: str | None


@dataclass(frozen=True)
class CandidateResult:
    """One application's outcome: its latest risk score, evaluation and report."""

    candidate_name: str
    requisition: str
    title: str
    status: str
    risk: float | None
    overall: float | None
    advice: str | None
    report: str | None


async def progress(conn: AsyncConnection) -> Progress:
    """The counts the demo's progress table shows."""
    by_status = {str(status): int(n) for status, n in (await conn.execute(SELECT_APPLICATIONS_BY_STATUS)).all()}
    return Progress(
        by_status=by_status,
        live_items=int(await conn.scalar(COUNT_LIVE_ITEMS) or 0),
        waiting_on_candidates=int(await conn.scalar(COUNT_WAITING_ON_CANDIDATES) or 0),
        dead_items=len(await dead_items(conn)),
    )


async def dead_items(conn: AsyncConnection) -> list[DeadItem]:
    """The dead letter, oldest item first."""
    return [DeadItem(**row._mapping) for row in await conn.execute(SELECT_DEAD_ITEMS)]


async def candidate_results(conn: AsyncConnection) -> list[CandidateResult]:
    """Every application's outcome, by requisition and application id."""
    return [CandidateResult(**row._mapping) for row in await conn.execute(SELECT_CANDIDATE_RESULTS)]
