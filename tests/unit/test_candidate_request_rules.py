"""Rules of the person-instead-of-AI flow that need no I/O: no next job, safe plain emails."""

from __future__ import annotations

import pytest

from airecruiter.adapters.email.plain_message import build_plain_message
from airecruiter.domain.stages import StageFacts, next_job
from airecruiter.domain.statuses import check_transition
from airecruiter.errors import IllegalTransitionError, ValidationError
from airecruiter.ports.mail import PlainEmail
from tests.unit.test_mail_invitation import invitation, sent


@pytest.mark.parametrize("status", ["new", "analyzed", "interview_pending", "interview_complete", "report_pending"])
def test_any_status_may_go_to_a_person_and_nothing_leaves_human_review(status: str) -> None:
    assert check_transition(status, "human_review") == "human_review"
    with pytest.raises(IllegalTransitionError):
        check_transition("human_review", status)


def test_the_scheduler_queues_nothing_for_an_application_a_person_assesses() -> None:
    facts = StageFacts(
        status="human_review",
        workday_status="Screen",
        auto_send_interview=True,
        auto_send_on_status=None,
        has_interview=True,
        interview_status="completed",
        has_evaluation=False,
    )
    assert next_job(facts) is None


def _email(**changes: str) -> PlainEmail:
    values = {
        "to_email": "ada@example.test",
        "to_name": "Ada Lovelace",
        "subject": "Backend Engineer at Acme: a person will assess your application",
        "body": "Dear Ada,\n\nWe received your request.",
        "reply_to_name": "Riley",
        "reply_to_email": "riley@acme.example",
    }
    return PlainEmail(**{**values, **changes})


@pytest.mark.parametrize("field", ["to_name", "subject", "reply_to_name"])
def test_a_line_break_in_a_header_value_is_refused(field: str) -> None:
    with pytest.raises(ValidationError):
        _email(**{field: "Ada\r\nBcc: everyone@evil.example"})


def test_the_plain_message_carries_the_reply_to_and_our_message_id() -> None:
    message = build_plain_message(
        _email(), from_email="jobs@acme.example", from_name="Acme", message_id="<abc@acme.example>"
    )
    assert message["Message-ID"] == "<abc@acme.example>"
    assert str(message["Reply-To"]) == "Riley <riley@acme.example>"
    assert "We received your request." in message.get_content()


def test_the_invitation_offers_a_person_through_the_candidate_link() -> None:
    link = "https://jobs.airecruiter.example/candidate/cand_7d1e"
    message = sent(invitation(candidate_url=link))
    plain = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert f"I would rather be assessed by a person (or need an adjustment):\n{link}" in plain
    assert f'<a href="{link}">I would rather be assessed by a person</a>' in html
    without = sent(invitation()).get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "/candidate/" not in without


def test_a_candidate_link_that_is_not_a_web_address_is_refused() -> None:
    with pytest.raises(ValidationError):
        invitation(candidate_url="javascript:alert(1)")
