"""Read models for the scheduler: due requisitions and applications that need their next job."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.domain.notice import NoticeFacts
from airecruiter.domain.stages import StageFacts

_SELECT_DUE_REQUISITIONS = text("""
    SELECT id FROM requisitions
     WHERE active
       AND last_activity_at >= now() - make_interval(hours => COALESCE(lookback_hours, :default_hours))
       AND (last_synced_at IS NULL
            OR last_synced_at <= now() - make_interval(mins => min_sync_interval_minutes))
     ORDER BY last_activity_at DESC
""")

_SELECT_WAITING_APPLICATIONS = text("""
    SELECT a.id, a.status, a.workday_status, a.workday_inactive, r.auto_send_interview, r.auto_send_on_status,
           i.id IS NOT NULL AS has_interview, i.status AS interview_status,
           EXISTS (SELECT 1 FROM evaluations e WHERE e.interview_id = i.id) AS has_evaluation,
           r.notice_period_days, r.notice_given_on,
           (SELECT o.sent_at FROM email_outbox o
             WHERE o.application_id = a.id AND o.kind = 'notice' AND o.state = 'sent') AS notice_sent_at,
           ARRAY(SELECT q.job_type FROM queue_items q
                  WHERE q.application_id = a.id AND q.status IN ('dead', 'skipped')) AS ended_jobs
      FROM applications a
      JOIN requisitions r ON r.id = a.requisition_id
      LEFT JOIN LATERAL (SELECT id, status FROM interviews
                          WHERE application_id = a.id AND status <> 'expired'
                          ORDER BY id DESC LIMIT 1) i ON true
     WHERE a.status <> 'complete'
       AND NOT EXISTS (SELECT 1 FROM queue_items q
                        WHERE q.application_id = a.id AND q.status IN ('pending', 'running', 'failed'))
     ORDER BY a.id
""")


@dataclass(frozen=True)
class WaitingApplication:
    """An application with no live queue item, the facts that decide its next job."""

    id: int
    facts: StageFacts
    ended_jobs: frozenset[str]  # job types that died or were skipped: an operator decides
    notice: NoticeFacts = field(
        default_factory=NoticeFacts
    )  # the requisition's advance-notice rule and this application's notice


async def due_requisition_ids(conn: AsyncConnection, *, default_lookback_hours: int) -> list[int]:
    """Active requisitions with activity in their lookback window and past their sync interval."""
    rows = await conn.execute(_SELECT_DUE_REQUISITIONS, {"default_hours": default_lookback_hours})
    return [int(row[0]) for row in rows]


async def waiting_applications(conn: AsyncConnection) -> list[WaitingApplication]:
    """Applications not complete and with nothing queued for them."""
    rows = await conn.execute(_SELECT_WAITING_APPLICATIONS)
    return [
        WaitingApplication(
            id=int(row.id),
            facts=StageFacts(
                status=row.status,
                workday_status=row.workday_status,
                auto_send_interview=row.auto_send_interview,
                auto_send_on_status=row.auto_send_on_status,
                has_interview=row.has_interview,
                workday_inactive=row.workday_inactive,
                interview_status=row.interview_status,
                has_evaluation=row.has_evaluation,
            ),
            ended_jobs=frozenset(row.ended_jobs),
            notice=NoticeFacts(
                period_days=row.notice_period_days,
                given_on=row.notice_given_on,
                notice_sent_at=row.notice_sent_at,
            ),
        )
        for row in rows
    ]
