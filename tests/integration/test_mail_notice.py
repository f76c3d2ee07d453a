"""The advance notice through the real mailers on loopback (aiosmtpd, moto's SES): content, reply-to, refusals."""

from __future__ import annotations

import pytest

from airecruiter.adapters.email.ses import SesMailer
from airecruiter.adapters.email.smtp import SmtpMailer
from airecruiter.errors import ValidationError
from airecruiter.ports.mail import PlainEmail
from airecruiter.services.notice_email import notice_email
from tests.integration.aws_fakes import (
    CREDENTIALS,
    REGION,
    SmtpServer,
    moto_endpoint,
    parse_message,
    ses_sender,
    ses_sent_raw,
    smtp_server,
)

__all__ = ["moto_endpoint", "ses_sender", "smtp_server"]  # fixtures used by name

SENDER = "recruiting@airecruiter.example"
LINK = "https://jobs.airecruiter.example/candidate/ctok_9b1e"


def make_notice(**changes: str) -> PlainEmail:
    values = {
        "to_email": "ada.lovelace@candidates.example",
        "candidate_name": "Ada Lovelace",
        "position": "Senior Backend Engineer",
        "company_name": "Analytical Engines",
        "text": "We use AI to read résumés <b>for</b> this job.\n\nAsk grace.hopper@airecruiter.example for a person.",
        "candidate_url": LINK,
        "recruiter_name": "Grace Hopper",
        "recruiter_email": "grace.hopper@airecruiter.example",
    }
    return notice_email(**{**values, **changes})


async def test_the_notice_reaches_the_smtp_server_as_plain_text_with_the_link(smtp_server: SmtpServer) -> None:
    mailer = SmtpMailer(host=smtp_server.host, port=smtp_server.port, from_email=SENDER, starttls=False, timeout=10)
    message_id = await mailer.send_plain_email(make_notice(), message_id=mailer.new_message_id())
    assert len(smtp_server.recorder.envelopes) == 1  # one email only
    received = smtp_server.recorder.last_message()
    assert received["Message-ID"] == message_id
    assert received["To"] == "Ada Lovelace <ada.lovelace@candidates.example>"
    assert received["Reply-To"] == "Grace Hopper <grace.hopper@airecruiter.example>"
    assert received["Subject"] == (
        "How we use AI in hiring: your application for Senior Backend Engineer at Analytical Engines"
    )
    # One plain-text part, no HTML: the markup in the text is shown as typed, never rendered.
    assert received.get_content_type() == "text/plain"
    body = received.get_content().replace("\r\n", "\n")  # SMTP carries CRLF line ends
    assert body.startswith("Dear Ada Lovelace,\n\nWe use AI to read résumés <b>for</b> this job.\n\n")
    assert f"To ask for a person instead of the AI, or for an accommodation:\n{LINK}\n" in body
    assert body.endswith("Kind regards,\nGrace Hopper\nAnalytical Engines\n")


async def test_the_notice_reaches_ses_as_raw_mime(moto_endpoint: str, ses_sender: str) -> None:
    async with SesMailer(
        region=REGION,
        from_email=ses_sender,
        endpoint_url=moto_endpoint,
        **CREDENTIALS,  # type: ignore[arg-type]
    ) as ses:
        provider_id = await ses.send_plain_email(make_notice(), message_id=ses.new_message_id())
    received = parse_message(ses_sent_raw(provider_id))
    assert received["Reply-To"] == "Grace Hopper <grace.hopper@airecruiter.example>"
    assert LINK in received.get_content() and "How we use AI in hiring" in received["Subject"]


def test_the_notice_wraps_its_text_but_never_the_link() -> None:
    long_link = "https://jobs.airecruiter.example/candidate/" + "t" * 90
    body = make_notice(text="word " * 40, candidate_url=long_link).body
    assert f"\n{long_link}\n" in body
    assert all(len(line) <= 72 for line in body.splitlines() if line != long_link)


def test_a_notice_with_a_header_injection_a_bad_link_or_no_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="position"):
        make_notice(position="Engineer\r\nBcc: x@evil.example")
    with pytest.raises(ValidationError, match="company name"):
        make_notice(company_name="Engines\nBcc: x@evil.example")
    with pytest.raises(ValidationError, match="candidate link"):
        make_notice(candidate_url="javascript:alert(1)")
    with pytest.raises(ValidationError, match="candidate link"):
        make_notice(candidate_url=LINK + "\r\nBcc: x@evil.example")
    with pytest.raises(ValidationError, match="notice text"):
        make_notice(text="  ")
    with pytest.raises(ValidationError, match="candidate's email address"):
        make_notice(to_email="ada@candidates.example\r\nBcc: x@evil.example")
    with pytest.raises(ValidationError, match="recruiter's email address"):
        make_notice(recruiter_email="not an address")
    with pytest.raises(ValidationError, match="recruiter name"):
        make_notice(recruiter_name="Grace\nHopper")
