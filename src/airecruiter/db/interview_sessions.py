"""What the request-time interview engine reads beyond `db.interviews`: a link's whole context, the row lock,
and the recent answers the rate limit counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.interviews import InterviewRecord, interview_from_row

_SELECT_SESSION = text("""
    SELECT i.id, i.application_id, i.token_hash, i.expires_at, i.status, i.invitation_message_id, i.invitation_sent_at,
           i.started_at, i.completed_at, i.created_at,
           a.requisition_id, a.candidate_name, a.status AS application_status, r.name AS position,
           r.detailed_description AS job_description, r.recruiter_name, r.recruiter_email
      FROM interviews i
      JOIN applications a ON a.id = i.application_id
      JOIN requisitions r ON r.id = a.requisition_id
     WHERE i.token_hash = :token_hash
""")
_LOCK_INTERVIEW = text("""
    SELECT i.id, i.application_id, i.token_hash, i.expires_at, i.status, i.invitation_message_id, i.invitation_sent_at,
           i.started_at, i.completed_at, i.created_at
      FROM interviews i WHERE i.id = :id FOR UPDATE
""")
# now() is the transaction's start, the same clock that stamped the messages' created_at.
_SELECT_RECENT_ANSWERS = text("""
    SELECT now() AS now,
           ARRAY(SELECT created_at FROM interview_messages
                  WHERE interview_id = :id AND role = 'candidate'
                    AND created_at > now() - make_interval(secs => :window)
                  ORDER BY created_at) AS answered_at
""")


@dataclass(frozen=True)
class InterviewSession:
    """An interview with what its page shows and its interviewer needs: candidate, job and recruiter."""

    interview: InterviewRecord
    requisition_id: int
    candidate_name: str
    position: str
    job_description: str
    recruiter_name: str | None
    recruiter_email: str | None
    application_status: str = "interview_pending"


async def interview_session(conn: AsyncConnection, *, token_hash: str) -> InterviewSession | None:
    """The interview a link's token hash opens, with its application's and requisition's details; or None."""
    row = (await conn.execute(_SELECT_SESSION, {"token_hash": token_hash})).first()
    if row is None:
        return None
    return InterviewSession(
        interview=interview_from_row(row),
        requisition_id=int(row.requisition_id),
        candidate_name=row.candidate_name,
        position=row.position,
        job_description=row.job_description,
        recruiter_name=row.recruiter_name,
        recruiter_email=row.recruiter_email,
        application_status=row.application_status,
    )


async def lock_interview(conn: AsyncConnection, *, interview_id: int) -> InterviewRecord | None:
    """The interview, locked `FOR UPDATE` until the caller's transaction ends; None when it is gone."""
    row = (await conn.execute(_LOCK_INTERVIEW, {"id": interview_id})).first()
    return None if row is None else interview_from_row(row)


async def recent_answer_times(
    conn: AsyncConnection,
    *,
    interview_id: int,
    window_seconds: float,
) -> tuple[datetime, list[datetime]]:
    """The database's now, and when the candidate's answers of the last `window_seconds` were stored."""
    row = (await conn.execute(_SELECT_RECENT_ANSWERS, {"id": interview_id, "window": float(window_seconds)})).one()
    return row.now, list(row.answered_at)
