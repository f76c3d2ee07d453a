"""The email outbox: one row per email we mean to send, committed before the mailer is called."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

INTERVIEW_INVITATION = "interview_invitation"

# A row already sent is never touched again; a pending one takes the message id of the next send.
_PREPARE_EMAIL = text("""
    INSERT INTO email_outbox (application_id, kind, version, message_id, text_version)
    VALUES (:application_id, :kind, :version, :message_id, :text_version)
    ON CONFLICT (application_id, kind, version) DO UPDATE
       SET message_id = EXCLUDED.message_id, attempts = email_outbox.attempts + 1,
           text_version = EXCLUDED.text_version
     WHERE email_outbox.state = 'pending'
    RETURNING id, application_id, kind, version, message_id, state, attempts, provider_message_id, created_at, sent_at,
           text_version
""")
_SELECT_EMAIL = text("""
    SELECT id, application_id, kind, version, message_id, state, attempts, provider_message_id, created_at, sent_at,
           text_version
      FROM email_outbox WHERE application_id = :application_id AND kind = :kind AND version = :version
""")
_MARK_EMAIL_SENT = text("""
    UPDATE email_outbox SET state = 'sent', sent_at = :sent_at, provider_message_id = :provider_message_id
     WHERE id = :id AND state = 'pending' AND message_id = :message_id
    RETURNING id, application_id, kind, version, message_id, state, attempts, provider_message_id, created_at, sent_at,
           text_version
""")


@dataclass(frozen=True)
class OutboxEmail:
    """One email of the outbox: `pending` until the mailer accepted it and that was recorded."""

    id: int
    application_id: int
    kind: str
    version: int
    message_id: str
    state: Literal["pending", "sent"]
    attempts: int
    provider_message_id: str | None
    created_at: datetime
    sent_at: datetime | None
    text_version: int | None = None  # the candidate text version the email carried (candidate_texts)


def _email(row: Row[Any] | None) -> OutboxEmail | None:
    return None if row is None else OutboxEmail(**row._mapping)


async def prepare_email(
    conn: AsyncConnection,
    *,
    application_id: int,
    kind: str,
    version: int,
    message_id: str,
    text_version: int | None = None,
) -> OutboxEmail | None:
    """The pending row for this email carrying `message_id`; None when the email was sent already.

    `text_version`: the version of the candidate text (notice, AI use) this send carries.
    """
    params = {
        "application_id": application_id,
        "kind": kind,
        "version": version,
        "message_id": message_id,
        "text_version": text_version,
    }
    return _email((await conn.execute(_PREPARE_EMAIL, params)).first())


async def find_email(conn: AsyncConnection, *, application_id: int, kind: str, version: int) -> OutboxEmail | None:
    """The outbox row of this email, if one was ever prepared."""
    params = {"application_id": application_id, "kind": kind, "version": version}
    return _email((await conn.execute(_SELECT_EMAIL, params)).first())


async def mark_email_sent(
    conn: AsyncConnection, *, email_id: int, message_id: str, provider_message_id: str, sent_at: datetime
) -> OutboxEmail | None:
    """Record that the mailer accepted `message_id`; None when the row was sent, or re-prepared, meanwhile."""
    params = {
        "id": email_id,
        "message_id": message_id,
        "provider_message_id": provider_message_id,
        "sent_at": sent_at,
    }
    return _email((await conn.execute(_MARK_EMAIL_SENT, params)).first())
