"""The `send_interview` processor: one interview, one email with a working link, the token only hashed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from airecruiter.adapters.email.outbox import OutboxMailer
from airecruiter.adapters.email.smtp import SmtpMailer
from airecruiter.db.interviews import interview_by_token_hash
from airecruiter.domain.interview_tokens import hash_interview_token
from airecruiter.errors import IllegalTransitionError, StorageError, ValidationError, policy_for
from airecruiter.ports.mail import InterviewInvitation
from airecruiter.sandbox import seed
from tests.integration.aws_fakes import SmtpServer, parse_message, smtp_server
from tests.integration.conftest import execute
from tests.integration.pipeline_fixtures import (
    FRONTEND_URL,
    SENDER,
    Pipeline,
    actions,
    analyzed,
    application,
    interview_links,
    rows,
    synced,
    value,
)

__all__ = ["smtp_server"]  # a fixture used by name

STRONG_ANALYST = "JA-000109"  # Oliver Hughes
NOW = datetime(2026, 3, 9, 9, 30, tzinfo=UTC)


async def _interviews(pipeline: Pipeline, app_id: int) -> list[object]:
    return await rows(pipeline.db, "SELECT * FROM interviews WHERE application_id = :a", a=app_id)


async def test_the_candidate_gets_one_email_with_a_link_that_opens_their_interview(pipeline: Pipeline) -> None:
    pipeline = pipeline.with_context(now=lambda: NOW)
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("send_interview", application_id=app_id)

    [message] = pipeline.emails()
    assert "oliver.hughes@example.org" in message["To"]
    assert SENDER in message["From"]
    assert "Data Analyst" in message["Subject"] and "Acme Logistics" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Dear Oliver Hughes" in body and "Marcus Lee" in body  # the requisition's recruiter
    [token] = interview_links([message])
    assert f"{FRONTEND_URL}/interview/{token}" in body

    [interview] = await _interviews(pipeline, app_id)
    assert interview.status == "scheduled"
    assert interview.token_hash == hash_interview_token(token)
    assert interview.expires_at == NOW + timedelta(days=7)
    assert interview.invitation_message_id == message["Message-ID"]
    assert interview.invitation_sent_at == NOW
    async with pipeline.db.connect() as conn:
        opened = await interview_by_token_hash(conn, token_hash=hash_interview_token(token))
    assert opened is not None and opened.id == interview.id
    # The clear token is in the email only, never in the database.
    for table in ("interviews", "activities", "applications", "queue_items", "email_outbox"):
        assert not await value(pipeline.db, f"SELECT count(*) FROM {table} t WHERE t::text LIKE :t", t=f"%{token}%")
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "interview_pending"
    assert (await actions(pipeline.db, app_id))[-3:] == ["interview_created", "interview_invited", "status_changed"]


async def test_running_it_again_sends_no_second_email(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("send_interview", application_id=app_id)
    before = await actions(pipeline.db, app_id)
    await pipeline.run("send_interview", application_id=app_id)
    assert len(pipeline.emails()) == 1
    assert len(await _interviews(pipeline, app_id)) == 1
    assert await actions(pipeline.db, app_id) == before


async def test_a_retry_after_the_mailer_failed_sends_one_email_with_a_fresh_working_link(
    pipeline: Pipeline,
    tmp_path: Path,
) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("an outbox cannot live here")
    broken = pipeline.with_context(mailer=OutboxMailer(blocked / "outbox", from_email=SENDER))
    with pytest.raises(StorageError) as failure:
        await broken.run("send_interview", application_id=app_id)
    assert policy_for(failure.value).retries
    [unsent] = await _interviews(pipeline, app_id)
    assert unsent.invitation_message_id is None
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "analyzed"

    await pipeline.run("send_interview", application_id=app_id)
    [message] = pipeline.emails()
    [token] = interview_links([message])
    [interview] = await _interviews(pipeline, app_id)
    assert interview.id == unsent.id  # the same interview, with a new token
    assert interview.token_hash == hash_interview_token(token) != unsent.token_hash
    assert interview.invitation_message_id == message["Message-ID"]


async def test_an_email_sent_but_not_recorded_whose_link_the_candidate_used_is_taken_as_delivered(
    pipeline: Pipeline,
) -> None:
    # Found by the chaos soak: the database restarted after the mailer accepted the invitation and
    # before its message id was committed; the candidate opened the link meanwhile. Every retry then
    # failed ("invited or started by another job") until the job reached the dead letter.
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("send_interview", application_id=app_id)
    await execute(
        pipeline.db,
        "UPDATE interviews SET invitation_message_id = NULL, invitation_sent_at = NULL, status = 'in_progress',"
        " started_at = now() WHERE application_id = :a",
        a=app_id,
    )
    await execute(pipeline.db, "UPDATE applications SET status = 'analyzed' WHERE id = :a", a=app_id)

    await pipeline.run("send_interview", application_id=app_id)
    assert len(pipeline.emails()) == 1  # no second email: the candidate is already in the interview
    [interview] = await _interviews(pipeline, app_id)
    assert interview.status == "in_progress"
    assert interview.invitation_message_id == "unrecorded"
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "interview_pending"
    assert "interview_invitation_presumed" in await actions(pipeline.db, app_id)


async def test_an_application_without_an_email_address_is_refused_with_the_fix(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await execute(pipeline.db, "UPDATE applications SET candidate_email = NULL WHERE id = :a", a=app_id)
    with pytest.raises(ValidationError, match="no email address in Workday") as failure:
        await pipeline.run("send_interview", application_id=app_id)
    assert not policy_for(failure.value).retries
    assert pipeline.emails() == []
    assert await _interviews(pipeline, app_id) == []


async def test_an_application_not_analysed_yet_is_not_invited(pipeline: Pipeline) -> None:
    await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    app = await application(pipeline.db, STRONG_ANALYST)
    with pytest.raises(IllegalTransitionError, match="'new' to 'interview_pending'"):
        await pipeline.run("send_interview", application_id=app.id)
    assert pipeline.emails() == []
    assert await _interviews(pipeline, app.id) == []


# A database failure injected exactly between the mailer accepting the email and its recording.
_FAIL_MARKING_SENT = (
    """CREATE FUNCTION fail_marking_sent() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'the database went away after the mailer accepted the invitation'; END $$""",
    "CREATE TRIGGER fail_marking_sent BEFORE UPDATE ON email_outbox FOR EACH ROW EXECUTE FUNCTION fail_marking_sent()",
)
_HEAL = ("DROP TRIGGER fail_marking_sent ON email_outbox", "DROP FUNCTION fail_marking_sent()")


async def _fail_marking_sent(pipeline: Pipeline, *, on: bool) -> None:
    async with pipeline.db.begin() as conn:
        for statement in _FAIL_MARKING_SENT if on else _HEAL:
            await conn.exec_driver_sql(statement)


async def test_a_database_failure_after_the_mailer_accepted_leaves_the_candidate_one_invitation(
    pipeline: Pipeline,
) -> None:
    # The window the outbox closes: the mailer accepted the email, then recording it failed. The
    # retry finds the outbox row pending, the twin says that Message-ID went out: nothing is sent.
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await _fail_marking_sent(pipeline, on=True)
    try:
        with pytest.raises(DBAPIError, match="database went away"):
            await pipeline.run("send_interview", application_id=app_id)
    finally:
        await _fail_marking_sent(pipeline, on=False)
    [pending] = await rows(pipeline.db, "SELECT * FROM email_outbox WHERE application_id = :a", a=app_id)
    assert pending.state == "pending" and pending.message_id == pipeline.emails()[0]["Message-ID"]
    [unrecorded] = await _interviews(pipeline, app_id)
    assert unrecorded.invitation_message_id is None

    await pipeline.run("send_interview", application_id=app_id)
    [message] = pipeline.emails()  # the candidate's mailbox holds one invitation
    [token] = interview_links([message])
    [interview] = await _interviews(pipeline, app_id)
    assert interview.token_hash == hash_interview_token(token)  # and its link works
    assert interview.invitation_message_id == message["Message-ID"]
    [sent] = await rows(pipeline.db, "SELECT * FROM email_outbox WHERE application_id = :a", a=app_id)
    assert (sent.id, sent.state, sent.attempts) == (pending.id, "sent", 1)
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "interview_pending"
    [invited] = await rows(
        pipeline.db,
        "SELECT details FROM activities WHERE application_id = :a AND action = 'interview_invited'",
        a=app_id,
    )
    assert "found_sent" in invited.details


async def test_the_outbox_row_is_committed_before_the_mailer_is_called(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    seen: list[object] = []

    class WatchedOutbox(OutboxMailer):
        async def send_interview_invitation(
            self, invitation: InterviewInvitation, *, message_id: str | None = None
        ) -> str:
            seen.extend(await rows(pipeline.db, "SELECT * FROM email_outbox WHERE message_id = :m", m=message_id))
            return await super().send_interview_invitation(invitation, message_id=message_id)

    watched = pipeline.with_context(mailer=WatchedOutbox(pipeline.outbox, from_email=SENDER))
    await watched.run("send_interview", application_id=app_id)
    [row] = seen  # visible to another connection while the mailer runs: committed
    assert row.state == "pending" and row.kind == "interview_invitation"
    [message] = pipeline.emails()
    assert message["Message-ID"] == row.message_id


async def test_a_mailer_that_cannot_tell_resends_once_with_a_new_link_and_a_new_message_id(
    pipeline: Pipeline, smtp_server: SmtpServer
) -> None:
    # SMTP cannot be asked whether it accepted a Message-ID: the documented window. The second
    # email carries a new link under a new Message-ID, and the first link stops working.
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    smtp = pipeline.with_context(
        mailer=SmtpMailer(host=smtp_server.host, port=smtp_server.port, from_email=SENDER, starttls=False, timeout=10)
    )
    await _fail_marking_sent(pipeline, on=True)
    try:
        with pytest.raises(DBAPIError):
            await smtp.run("send_interview", application_id=app_id)
    finally:
        await _fail_marking_sent(pipeline, on=False)
    await smtp.run("send_interview", application_id=app_id)
    await smtp.run("send_interview", application_id=app_id)  # recorded now: no third email

    first, second = (parse_message(bytes(e.content or b"")) for e in smtp_server.recorder.envelopes)
    assert first["Message-ID"] != second["Message-ID"]
    [old_token], [new_token] = interview_links([first]), interview_links([second])
    [interview] = await _interviews(pipeline, app_id)
    assert interview.token_hash == hash_interview_token(new_token) != hash_interview_token(old_token)
    assert interview.invitation_message_id == second["Message-ID"]
    [sent] = await rows(pipeline.db, "SELECT * FROM email_outbox WHERE application_id = :a", a=app_id)
    assert (sent.state, sent.attempts, sent.message_id) == ("sent", 2, second["Message-ID"])


async def test_a_pending_email_whose_link_the_candidate_opened_is_recorded_under_its_message_id(
    pipeline: Pipeline,
) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await _fail_marking_sent(pipeline, on=True)
    try:
        with pytest.raises(DBAPIError):
            await pipeline.run("send_interview", application_id=app_id)
    finally:
        await _fail_marking_sent(pipeline, on=False)
    await execute(
        pipeline.db,
        "UPDATE interviews SET status = 'in_progress', started_at = now() WHERE application_id = :a",
        a=app_id,
    )

    await pipeline.run("send_interview", application_id=app_id)
    [message] = pipeline.emails()
    [interview] = await _interviews(pipeline, app_id)
    assert interview.invitation_message_id == message["Message-ID"]
    [sent] = await rows(pipeline.db, "SELECT * FROM email_outbox WHERE application_id = :a", a=app_id)
    assert (sent.state, sent.message_id) == ("sent", message["Message-ID"])
    assert "interview_invitation_presumed" in await actions(pipeline.db, app_id)
