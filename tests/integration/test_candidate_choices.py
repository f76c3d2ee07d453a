"""A person instead of the AI, and accommodations: the service, its emails, and the processors that stop."""

from __future__ import annotations

import asyncio
import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.adapters.email.outbox import OutboxMailer
from airecruiter.queue.manager import QueueManager
from airecruiter.sandbox import seed
from airecruiter.services.candidate_choices import (
    RequestDesk,
    deliver_request_emails,
    request_accommodation,
    request_human_review,
)
from tests.integration.application_fixtures import seed_application
from tests.integration.pipeline_fixtures import Pipeline, interviewed, rows, value

CONTACT = "recruiting@acme.example"


class FlakyOutbox(OutboxMailer):
    """An outbox whose first `failures` plain emails fail, like a mail server that is down for a while."""

    failures = 0

    async def send_plain_email(self, message, *, message_id):  # type: ignore[no-untyped-def]
        if self.failures:
            self.failures -= 1
            raise OSError("mail server down")
        return await super().send_plain_email(message, message_id=message_id)


def _desk(db: AsyncEngine, outbox: Path, mailer: OutboxMailer | None = None) -> RequestDesk:
    return RequestDesk(
        engine=db,
        queue=QueueManager(db),
        mailer=mailer or OutboxMailer(outbox, from_email="jobs@acme.example", from_name="Acme"),
        frontend_url="https://jobs.acme.example",
        company_name="Acme Logistics",
        contact_name="Acme Recruiting",
        contact_email=CONTACT,
    )


def _emails(outbox: Path) -> list[EmailMessage]:
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
        for p in sorted(outbox.glob("*.eml"))
    ]


async def test_two_confirmations_at_once_make_one_request_and_one_email_each(db: AsyncEngine, tmp_path: Path) -> None:
    seeded = await seed_application(db, name="Ada Lovelace", status="interview_pending", interview_status="scheduled")
    desk = _desk(db, tmp_path)

    results = await asyncio.gather(
        *(
            request_human_review(desk, application_id=seeded.application_id, source="candidate", actor="candidate")
            for _ in range(2)
        )
    )

    assert sorted(r.created for r in results) == [False, True]
    assert await value(db, "SELECT status FROM applications WHERE id = :a", a=seeded.application_id) == "human_review"
    assert await value(db, "SELECT status FROM interviews WHERE id = :i", i=seeded.interview_id) == "expired"
    register = await rows(
        db, "SELECT kind, status FROM candidate_requests WHERE application_id = :a", a=seeded.application_id
    )
    assert [(r.kind, r.status) for r in register] == [("human_review", "open")]
    assert await value(db, "SELECT exclusion FROM outcomes WHERE application_id = :a", a=seeded.application_id) == (
        "human_review"
    )
    sent = _emails(tmp_path)
    assert sorted(str(m["To"]) for m in sent) == [
        "Acme Recruiting <recruiting@acme.example>",
        "Ada Lovelace <jane@example.test>",
    ]
    to_candidate = next(m for m in sent if "jane@" in str(m["To"]))
    body = to_candidate.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "no AI interview" in body and CONTACT in body
    entries = await rows(
        db, "SELECT action, details FROM activities WHERE application_id = :a ORDER BY id", a=seeded.application_id
    )
    requested = [e for e in entries if e.action == "human_review_requested"]
    assert len(requested) == 1 and requested[0].details["closed_interview_id"] == seeded.interview_id
    assert all("Ada" not in str(e.details) and "jane@" not in str(e.details) for e in entries)


async def test_an_email_that_failed_goes_out_once_on_the_next_attempt(db: AsyncEngine, tmp_path: Path) -> None:
    seeded = await seed_application(db, status="analyzed")
    mailer = FlakyOutbox(tmp_path, from_email="jobs@acme.example", from_name="Acme")
    mailer.failures = 1
    desk = _desk(db, tmp_path, mailer)
    # The request stands although the mail server is down; its emails wait in the outbox table.
    await request_human_review(desk, application_id=seeded.application_id, source="candidate", actor="candidate")
    assert _emails(tmp_path) == []
    assert await value(db, "SELECT status FROM applications WHERE id = :a", a=seeded.application_id) == "human_review"
    assert await deliver_request_emails(desk, application_id=seeded.application_id) >= 1
    assert await deliver_request_emails(desk, application_id=seeded.application_id) == 0
    assert len(_emails(tmp_path)) == 2
    states = await rows(db, "SELECT state FROM email_outbox WHERE application_id = :a", a=seeded.application_id)
    assert {s.state for s in states} == {"sent"}


async def test_an_accommodation_keeps_the_ai_process_unless_the_box_is_ticked(db: AsyncEngine, tmp_path: Path) -> None:
    kept = await seed_application(db, status="analyzed")
    desk = _desk(db, tmp_path)
    first = await request_accommodation(
        desk, application_id=kept.application_id, request_text="Extra time please", with_human_review=False
    )
    again = await request_accommodation(
        desk, application_id=kept.application_id, request_text="Extra time please", with_human_review=False
    )
    assert first.created and not again.created and first.request_id == again.request_id
    assert await value(db, "SELECT status FROM applications WHERE id = :a", a=kept.application_id) == "analyzed"
    assert len(_emails(tmp_path)) == 2  # the candidate's confirmation, the recruiter's notification

    ticked = await seed_application(db, status="analyzed", email="grace@example.test")
    await request_accommodation(
        desk, application_id=ticked.application_id, request_text="Screen reader", with_human_review=True
    )
    assert await value(db, "SELECT status FROM applications WHERE id = :a", a=ticked.application_id) == "human_review"
    kinds = await rows(
        db, "SELECT kind FROM candidate_requests WHERE application_id = :a ORDER BY id", a=ticked.application_id
    )
    assert [k.kind for k in kinds] == ["accommodation", "human_review"]
    assert len(_emails(tmp_path)) == 6


async def test_a_recruiter_takes_an_application_to_a_person_without_emails(db: AsyncEngine, tmp_path: Path) -> None:
    seeded = await seed_application(db, status="complete")
    await request_human_review(
        _desk(db, tmp_path), application_id=seeded.application_id, source="recruiter", actor="rita"
    )
    assert await value(db, "SELECT status FROM applications WHERE id = :a", a=seeded.application_id) == "human_review"
    assert (
        await value(db, "SELECT count(*) FROM candidate_requests WHERE application_id = :a", a=seeded.application_id)
        == 0
    )
    actor = await value(
        db,
        "SELECT actor FROM activities WHERE application_id = :a AND action = 'human_review_requested'",
        a=seeded.application_id,
    )
    assert actor == "rita" and _emails(tmp_path) == []


async def test_no_ai_step_runs_once_a_person_assesses_the_application(pipeline: Pipeline, tmp_path: Path) -> None:
    app_id = await interviewed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, "JA-000109")
    await request_human_review(
        _desk(pipeline.db, tmp_path), application_id=app_id, source="candidate", actor="candidate"
    )
    calls = len(pipeline.llm.calls)
    for job_type in ("analyze", "send_interview", "evaluate", "generate_report", "upload_report"):
        await pipeline.run(job_type, application_id=app_id)  # a job queued before the request
    assert len(pipeline.llm.calls) == calls
    assert await value(pipeline.db, "SELECT status FROM applications WHERE id = :a", a=app_id) == "human_review"
    assert await value(pipeline.db, "SELECT count(*) FROM evaluations WHERE application_id = :a", a=app_id) == 0
    assert await value(pipeline.db, "SELECT count(*) FROM reports WHERE application_id = :a", a=app_id) == 0
