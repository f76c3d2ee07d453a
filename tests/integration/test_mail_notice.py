"""The advance notice through the real mailers on loopback (aiosmtpd, moto's SES): content, escaping, refusals."""

from __future__ import annotations

import pytest

from airecruiter.adapters.email.ses import SesMailer
from airecruiter.adapters.email.smtp import SmtpMailer
from airecruiter.errors import ValidationError
from airecruiter.ports.mail import CandidateNotice
from tests.integration.aws_fakes import (
    CREDENTIALS,
    REGION,
    SmtpServer,
    alternatives,
    moto_endpoint,
    parse_message,
    ses_sender,
    ses_sent_raw,
    smtp_server,
)

__all__ = ["moto_endpoint", "ses_sender", "smtp_server"]  # fixtures used by name

SENDER = "recruiting@airecruiter.example"
LINK = "https://jobs.airecruiter.example/candidate/ctok_9b1e"


def make_notice(**changes: str) -> CandidateNotice:
    values = {
        "to_email": "ada.lovelace@candidates.example",
        "candidate_name": "Ada Lovelace",
        "position": "Senior Backend Engineer",
        "company_name": "Analytical Engines",
        "body": "We use AI to read résumés <b>for</b> this job.\n\nAsk grace.hopper@airecruiter.example for a person.",
        "candidate_url": LINK,
        "recruiter_name": "Grace Hopper",
        "recruiter_email": "grace.hopper@airecruiter.example",
    }
    return CandidateNotice(**{**values, **changes})


async def test_the_notice_reaches_the_smtp_server_with_its_text_escaped_in_html(smtp_server: SmtpServer) -> None:
    mailer = SmtpMailer(host=smtp_server.host, port=smtp_server.port, from_email=SENDER, starttls=False, timeout=10)
    message_id = await mailer.send_notice(make_notice(), message_id=mailer.new_message_id())
    received = smtp_server.recorder.last_message()
    assert received["Message-ID"] == message_id
    assert received["Reply-To"] == "Grace Hopper <grace.hopper@airecruiter.example>"
    assert "Senior Backend Engineer" in received["Subject"]
    plain, html = alternatives(received)
    assert "We use AI to read résumés <b>for</b> this job." in plain and LINK in plain
    assert "&lt;b&gt;for&lt;/b&gt;" in html and f'href="{LINK}"' in html


async def test_the_notice_reaches_ses_as_raw_mime(moto_endpoint: str, ses_sender: str) -> None:
    async with SesMailer(
        region=REGION,
        from_email=ses_sender,
        endpoint_url=moto_endpoint,
        **CREDENTIALS,  # type: ignore[arg-type]
    ) as ses:
        provider_id = await ses.send_notice(make_notice())
    received = parse_message(ses_sent_raw(provider_id))
    plain, html = alternatives(received)
    assert LINK in plain and LINK in html and "How we use AI in hiring" in received["Subject"]


def test_a_notice_with_a_header_injection_or_no_link_is_refused() -> None:
    with pytest.raises(ValidationError, match="position"):
        make_notice(position="Engineer\r\nBcc: x@evil.example")
    with pytest.raises(ValidationError, match="candidate link"):
        make_notice(candidate_url="javascript:alert(1)")
    with pytest.raises(ValidationError, match="notice text"):
        make_notice(body="  ")
