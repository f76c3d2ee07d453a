"""The `send_request_emails` job: request emails go out exactly once, even after the mail server refused."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from airecruiter.adapters.email.outbox import OutboxMailer
from airecruiter.errors import MailDeferredError
from airecruiter.processors.send_request_emails import request_desk
from airecruiter.queue.retry import decide
from airecruiter.services.candidate_choices import request_accommodation, request_human_review
from tests.integration.application_fixtures import seed_application
from tests.integration.pipeline_fixtures import RECRUITING_CONTACT, Pipeline, live_jobs, rows, value

JOB = "send_request_emails"


class RefusingMailer(OutboxMailer):
    """An outbox behind a mail server that refuses the next `failures` emails and, like SMTP, cannot tell
    afterwards whether a Message-ID went out (so only the outbox table stands between a retry and a resend)."""

    failures = 0
    accepted = 0  # emails the server took: what a recipient receives, duplicates included

    async def send_plain_email(self, message, *, message_id):  # type: ignore[no-untyped-def]
        if self.failures:
            self.failures -= 1
            raise OSError("451 mail server busy, try again later")
        self.accepted += 1
        return await super().send_plain_email(message, message_id=message_id)

    async def delivered(self, message_id: str) -> bool:
        return False


def _refusing(pipeline: Pipeline, failures: int) -> tuple[Pipeline, RefusingMailer]:
    mailer = RefusingMailer(pipeline.outbox, from_email="jobs@acme.example", from_name="Acme")
    mailer.failures = failures
    return pipeline.with_context(mailer=mailer), mailer


async def _states(pipeline: Pipeline, application_id: int) -> list[str]:
    found = await rows(
        pipeline.db, "SELECT state FROM email_outbox WHERE application_id = :a ORDER BY id", a=application_id
    )
    return [r.state for r in found]


async def test_emails_the_mail_server_refused_at_the_request_go_out_from_the_queue_once(pipeline: Pipeline) -> None:
    seeded = await seed_application(pipeline.db, name="Ada Lovelace", status="analyzed", email="ada@example.test")
    down, mailer = _refusing(pipeline, failures=5)
    await request_human_review(
        request_desk(down.ctx), application_id=seeded.application_id, source="candidate", actor="candidate"
    )
    # The request stands, its emails wait, and the retry is already queued with it.
    assert pipeline.emails() == []
    assert await _states(pipeline, seeded.application_id) == ["pending", "pending"]
    assert (JOB, seeded.application_id, None) in await live_jobs(pipeline.db)

    with pytest.raises(MailDeferredError) as refused:  # still down: the queue retries with backoff
        await down.run(JOB, application_id=seeded.application_id)
    assert pipeline.emails() == []
    retry = decide(refused.value, 1, datetime.now(UTC), default_max_attempts=3)
    assert retry.retry and retry.delay_seconds >= 30 and retry.max_attempts == 10
    assert not decide(refused.value, 10, datetime.now(UTC), default_max_attempts=3).retry  # then the dead letter

    mailer.failures = 0  # the mail server is back
    await down.run(JOB, application_id=seeded.application_id)
    await down.run(JOB, application_id=seeded.application_id)  # a second run sends nothing twice
    assert sorted(str(m["To"]) for m in pipeline.emails()) == [
        "Ada Lovelace <ada@example.test>",
        f"Recruiting team <{RECRUITING_CONTACT}>",
    ]
    assert mailer.accepted == 2
    assert await _states(pipeline, seeded.application_id) == ["sent", "sent"]
    # The application is under human review, and the job ran all the same.
    assert await value(pipeline.db, "SELECT status FROM applications WHERE id = :a", a=seeded.application_id) == (
        "human_review"
    )


async def test_a_failure_on_the_second_email_never_resends_the_first(pipeline: Pipeline) -> None:
    seeded = await seed_application(pipeline.db, status="analyzed")
    down, mailer = _refusing(pipeline, failures=1)
    await request_accommodation(
        request_desk(down.ctx),
        application_id=seeded.application_id,
        request_text="Extra time please",
        with_human_review=False,
    )
    assert await _states(pipeline, seeded.application_id) == ["pending", "pending"]

    # The job sends the first email, then the server refuses the second: the first stays recorded as sent.
    mailer.failures = 0
    original = mailer.send_plain_email
    calls = 0

    async def second_refused(message, *, message_id):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("421 closing connection")
        return await original(message, message_id=message_id)

    mailer.send_plain_email = second_refused  # type: ignore[method-assign]
    with pytest.raises(MailDeferredError):
        await down.run(JOB, application_id=seeded.application_id)
    assert len(pipeline.emails()) == 1
    assert await _states(pipeline, seeded.application_id) == ["sent", "pending"]

    await down.run(JOB, application_id=seeded.application_id)
    await down.run(JOB, application_id=seeded.application_id)
    assert len(pipeline.emails()) == 2
    assert mailer.accepted == 2  # the first email was not sent a second time
    assert await _states(pipeline, seeded.application_id) == ["sent", "sent"]
    sent_entries = await value(
        pipeline.db,
        "SELECT count(*) FROM activities WHERE application_id = :a AND action = 'request_email_sent'",
        a=seeded.application_id,
    )
    assert sent_entries == 2


async def test_an_application_under_human_review_still_gets_its_request_emails(pipeline: Pipeline) -> None:
    seeded = await seed_application(pipeline.db, status="analyzed", email="grace@example.test")
    desk = request_desk(pipeline.ctx)
    # A recruiter took it to a person first (no emails for that); then the candidate asks for an adjustment.
    await request_human_review(desk, application_id=seeded.application_id, source="recruiter", actor="rita")
    down, _mailer = _refusing(pipeline, failures=5)
    await request_accommodation(
        request_desk(down.ctx),
        application_id=seeded.application_id,
        request_text="Screen reader",
        with_human_review=False,
    )
    assert pipeline.emails() == []

    await pipeline.run(JOB, application_id=seeded.application_id)
    assert len(pipeline.emails()) == 2
    assert any("grace@example.test" in str(m["To"]) for m in pipeline.emails())
    assert await _states(pipeline, seeded.application_id) == ["sent", "sent"]


class SlowMailer(RefusingMailer):
    """A mail server that keeps the first email's conversation open until the test lets it finish."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.talking = asyncio.Event()
        self.finish = asyncio.Event()

    async def send_plain_email(self, message, *, message_id):  # type: ignore[no-untyped-def]
        self.talking.set()
        await self.finish.wait()
        return await super().send_plain_email(message, message_id=message_id)


async def test_the_job_waits_for_the_requests_own_send_and_sends_nothing_twice(pipeline: Pipeline) -> None:
    seeded = await seed_application(pipeline.db, status="analyzed")
    slow = SlowMailer(pipeline.outbox, from_email="jobs@acme.example", from_name="Acme")
    request = asyncio.create_task(
        request_human_review(
            request_desk(pipeline.with_context(mailer=slow).ctx),
            application_id=seeded.application_id,
            source="candidate",
            actor="candidate",
        )
    )
    await asyncio.wait_for(slow.talking.wait(), 10)  # the request's own send holds the first email
    worker, job_mailer = _refusing(pipeline, failures=0)
    job = asyncio.create_task(worker.run(JOB, application_id=seeded.application_id))
    await asyncio.sleep(0.3)
    assert not job.done()  # waiting for that send, not failing for a retry

    slow.finish.set()
    await asyncio.wait_for(asyncio.gather(request, job), 10)  # the job succeeds: nothing left pending
    assert slow.accepted + job_mailer.accepted == 2
    assert await _states(pipeline, seeded.application_id) == ["sent", "sent"]
