"""The `send_interview` processor: one interview, one email with a working link, the token only hashed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from airecruiter.adapters.email.outbox import OutboxMailer
from airecruiter.db.interviews import interview_by_token_hash
from airecruiter.domain.interview_tokens import hash_interview_token
from airecruiter.errors import IllegalTransitionError, StorageError, ValidationError, policy_for
from airecruiter.sandbox import seed
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
    for table in ("interviews", "activities", "applications", "queue_items"):
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
