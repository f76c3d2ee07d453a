"""Advance notice: the notice email first and once, and no AI step until its period has passed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.exc import DBAPIError

from airecruiter.db.candidate_tokens import application_for_token
from airecruiter.processors.registry import PIPELINE_JOB_TYPES
from airecruiter.processors.scheduling import plan_pipeline
from airecruiter.queue.scheduler import SchedulerConfig
from airecruiter.sandbox import seed
from airecruiter.services import candidate_texts
from tests.integration.conftest import execute
from tests.integration.pipeline_fixtures import (
    FRONTEND_URL,
    Pipeline,
    actions,
    activity,
    analyzed,
    application,
    live_jobs,
    requisition_id,
    rows,
)

STRONG_ANALYST = "JA-000109"  # Oliver Hughes, Data Analyst
MONDAY = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)  # ten business days later: Monday 23 March


async def _synced_with_notice(pipeline: Pipeline, *, days: int = 10, given_on: date | None = None) -> int:
    """The requisition list, the Data Analyst requisition given a notice period, then its sync; the app id."""
    await pipeline.run("sync")
    rid = await requisition_id(pipeline.db, seed.DATA_ANALYST_REQUISITION_ID)
    await execute(
        pipeline.db,
        "UPDATE requisitions SET notice_period_days = :d, notice_given_on = :g WHERE id = :r",
        d=days,
        g=given_on,
        r=rid,
    )
    await pipeline.run("sync", requisition_id=rid)
    return (await application(pipeline.db, STRONG_ANALYST)).id


async def _planned(pipeline: Pipeline, app_id: int) -> set[str]:
    async with pipeline.db.connect() as conn:
        due = await plan_pipeline(conn, job_types=frozenset(PIPELINE_JOB_TYPES), config=SchedulerConfig())
    return {job.job_type for job in due.follow_ups if job.application_id == app_id}


def _plain(message: object) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[attr-defined, no-any-return]


async def test_the_notice_goes_first_and_nothing_ai_runs_until_its_period_has_passed(pipeline: Pipeline) -> None:
    pipeline = pipeline.with_context(now=lambda: MONDAY)
    app_id = await _synced_with_notice(pipeline)
    # The sync queues the notice, not the analysis.
    assert ("send_notice", app_id, None) in await live_jobs(pipeline.db)
    assert ("analyze", app_id, None) not in await live_jobs(pipeline.db)
    await execute(pipeline.db, "DELETE FROM queue_items")
    assert await _planned(pipeline, app_id) == {"send_notice"}

    # An analysis queued anyway (an admin, an old item) refuses before the model sees anything.
    await pipeline.run("analyze", application_id=app_id)
    assert pipeline.llm.sent("analyze_resume") == []
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "new"
    assert (await activity(pipeline.db, app_id, "analysis_deferred"))[-1] == {"notice": "to_send", "until": None}

    await pipeline.run("send_notice", application_id=app_id)
    [message] = pipeline.emails()
    assert "oliver.hughes@example.org" in message["To"] and "How we use AI" in message["Subject"]
    body = _plain(message)
    flat = " ".join(body.split())
    assert "Dear Oliver Hughes" in flat and "application for Data Analyst at Acme Logistics" in flat
    assert "What the AI assesses" in flat and "How long we keep it: up to 730 days" in flat
    [link] = [line for line in body.splitlines() if line.startswith(f"{FRONTEND_URL}/candidate/")]
    async with pipeline.db.connect() as conn:
        assert await application_for_token(conn, link.rsplit("/", 1)[1]) == app_id
    [row] = await rows(pipeline.db, "SELECT * FROM email_outbox WHERE application_id = :a", a=app_id)
    assert (row.kind, row.state, row.text_version, row.sent_at) == ("notice", "sent", 1, MONDAY)

    # The period runs: not planned, and a queued analysis still refuses, naming the end.
    friday = pipeline.with_context(now=lambda: datetime(2026, 3, 20, 23, 0, tzinfo=UTC))
    await friday.run("analyze", application_id=app_id)
    assert pipeline.llm.sent("analyze_resume") == []
    assert (await activity(pipeline.db, app_id, "analysis_deferred"))[-1] == {
        "notice": "waiting",
        "until": "2026-03-23T00:00:00+00:00",
    }
    # Ten business days on, the analysis runs.
    later = pipeline.with_context(now=lambda: datetime(2026, 3, 23, 0, 0, tzinfo=UTC))
    await later.run("analyze", application_id=app_id)
    assert len(pipeline.llm.sent("analyze_resume")) == 1
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "analyzed"
    assert len(pipeline.emails()) == 1


async def test_the_scheduler_holds_the_analysis_while_the_period_runs_and_plans_it_after(pipeline: Pipeline) -> None:
    app_id = await _synced_with_notice(pipeline)
    await execute(pipeline.db, "DELETE FROM queue_items")
    await pipeline.run("send_notice", application_id=app_id)  # sent now, by the real clock
    assert await _planned(pipeline, app_id) == set()
    await execute(pipeline.db, "UPDATE email_outbox SET sent_at = now() - interval '30 days'")
    assert await _planned(pipeline, app_id) == {"analyze"}


async def test_the_notice_is_sent_once_under_retries_and_reruns(pipeline: Pipeline) -> None:
    app_id = await _synced_with_notice(pipeline)
    fail = (
        """CREATE FUNCTION fail_marking_sent() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION 'the database went away after the mailer accepted the notice'; END $$""",
        "CREATE TRIGGER fail_marking_sent BEFORE UPDATE ON email_outbox"
        " FOR EACH ROW EXECUTE FUNCTION fail_marking_sent()",
    )
    async with pipeline.db.begin() as conn:
        for statement in fail:
            await conn.exec_driver_sql(statement)
    try:
        with pytest.raises(DBAPIError, match="database went away"):
            await pipeline.run("send_notice", application_id=app_id)
    finally:
        async with pipeline.db.begin() as conn:
            await conn.exec_driver_sql("DROP TRIGGER fail_marking_sent ON email_outbox")
            await conn.exec_driver_sql("DROP FUNCTION fail_marking_sent()")
    [pending] = await rows(pipeline.db, "SELECT * FROM email_outbox WHERE application_id = :a", a=app_id)
    assert pending.state == "pending"
    await pipeline.run("send_notice", application_id=app_id)  # the retry: the twin says it went out
    await pipeline.run("send_notice", application_id=app_id)  # and a rerun
    assert len(pipeline.emails()) == 1
    [sent] = await rows(pipeline.db, "SELECT * FROM email_outbox WHERE application_id = :a", a=app_id)
    assert (sent.id, sent.state, sent.attempts) == (pending.id, "sent", 1)
    assert [d["found_sent"] for d in await activity(pipeline.db, app_id, "notice_sent")] == [True]


async def test_notice_given_in_the_job_posting_sends_no_email_and_counts_from_its_date(pipeline: Pipeline) -> None:
    app_id = await _synced_with_notice(pipeline, given_on=date(2020, 1, 6))
    assert ("analyze", app_id, None) in await live_jobs(pipeline.db)  # long past: the analysis at once
    await pipeline.run("send_notice", application_id=app_id)
    assert pipeline.emails() == []

    await execute(pipeline.db, "TRUNCATE applications, queue_items CASCADE")
    today = datetime.now(UTC).date()
    app_id = await _synced_with_notice(pipeline, given_on=today)
    assert {job for job, app, _ in await live_jobs(pipeline.db) if app == app_id} == set()
    assert await _planned(pipeline, app_id) == set()
    await pipeline.run("analyze", application_id=app_id)
    assert pipeline.llm.sent("analyze_resume") == [] and pipeline.emails() == []
    assert "analysis_deferred" in await actions(pipeline.db, app_id)


async def test_the_notice_carries_the_active_text_version_and_records_it(pipeline: Pipeline) -> None:
    await candidate_texts.save_new_version(
        pipeline.db,
        kind="notice",
        content="We use AI to read résumés for {role} at {company} <b>carefully</b>. Ask {contact}.",
        actor="console:admin",
        activate=True,
    )
    app_id = await _synced_with_notice(pipeline)
    await pipeline.run("send_notice", application_id=app_id)
    [message] = pipeline.emails()
    flat = " ".join(_plain(message).split())
    assert "We use AI to read résumés for Data Analyst at Acme Logistics <b>carefully</b>." in flat
    # One plain-text part and no HTML: the markup in the text reaches the candidate as the characters typed.
    assert message.get_content_type() == "text/plain" and not message.is_multipart()  # type: ignore[attr-defined]
    [row] = await rows(pipeline.db, "SELECT text_version FROM email_outbox WHERE application_id = :a", a=app_id)
    assert row.text_version == 2
    assert (await activity(pipeline.db, app_id, "notice_sent"))[0]["wording_version"] == 2


async def test_the_invitation_carries_the_active_ai_use_text_and_records_its_version(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("send_interview", application_id=app_id)  # the seeded version 1
    await candidate_texts.save_new_version(
        pipeline.db,
        kind="invitation_ai_use",
        content="An AI asks the questions for {role} & more; write to {contact} for a person.",
        actor="console:admin",
        activate=True,
    )
    other = (await application(pipeline.db, "JA-000110")).id
    await pipeline.run("analyze", application_id=other)
    await pipeline.run("send_interview", application_id=other)
    first, second = pipeline.emails()
    assert "a person makes every decision" in " ".join(_plain(first).split())
    flat = " ".join(_plain(second).split())
    assert "An AI asks the questions for Data Analyst & more; write to recruiting@example.test for a person." in flat
    assert (
        "An AI asks the questions for Data Analyst &amp; more"
        in second.get_body(  # type: ignore[union-attr]
            preferencelist=("html",)
        ).get_content()
    )
    versions = await rows(pipeline.db, "SELECT application_id, text_version FROM email_outbox ORDER BY id")
    assert [(r.application_id, r.text_version) for r in versions] == [(app_id, 1), (other, 2)]
