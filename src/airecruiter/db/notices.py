"""An application's advance-notice facts: its requisition's rule and when its notice email went out."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.domain.notice import NoticeFacts

NOTICE = "notice"  # the email_outbox kind of the advance notice (one per application: version 1)
NOTICE_VERSION = 1

_SELECT_NOTICE_FACTS = text("""
    SELECT r.notice_period_days, r.notice_given_on,
           (SELECT o.sent_at FROM email_outbox o
             WHERE o.application_id = a.id AND o.kind = 'notice' AND o.state = 'sent') AS notice_sent_at
      FROM applications a JOIN requisitions r ON r.id = a.requisition_id
     WHERE a.id = :id
""")


async def notice_facts(conn: AsyncConnection, *, application_id: int) -> NoticeFacts:
    """The notice facts of the application (no period when there is no such application)."""
    row = (await conn.execute(_SELECT_NOTICE_FACTS, {"id": application_id})).first()
    if row is None:
        return NoticeFacts()
    return NoticeFacts(
        period_days=row.notice_period_days, given_on=row.notice_given_on, notice_sent_at=row.notice_sent_at
    )
