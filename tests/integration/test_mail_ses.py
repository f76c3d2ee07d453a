"""SesMailer against moto's SES v2: the raw MIME SES received, read back, and refusals classified."""

from __future__ import annotations

import pytest

from airecruiter.adapters.email.ses import SesMailer
from airecruiter.errors import ConfigurationError, NetworkError, PermanentError, TransientError, ValidationError
from tests.integration.aws_fakes import (
    CREDENTIALS,
    REGION,
    alternatives,
    make_invitation,
    moto_endpoint,
    parse_message,
    ses_sender,
    ses_sent_raw,
)
from tests.integration.processes import free_port

__all__ = ["moto_endpoint", "ses_sender"]  # fixtures used by name


def mailer(endpoint: str, sender: str, **overrides: object) -> SesMailer:
    args: dict[str, object] = {
        "region": REGION,
        "from_email": sender,
        "from_name": "Analytical Engines Recruiting",
        "endpoint_url": endpoint,
        **CREDENTIALS,
        **overrides,
    }
    return SesMailer(**args)  # type: ignore[arg-type]


async def test_the_invitation_reaches_ses_as_raw_mime_with_both_alternatives(
    moto_endpoint: str, ses_sender: str
) -> None:
    async with mailer(moto_endpoint, ses_sender) as ses:
        message_id = await ses.send_interview_invitation(make_invitation())
    received = parse_message(ses_sent_raw(message_id))
    assert received["From"] == f"Analytical Engines Recruiting <{ses_sender}>"
    assert received["To"] == "Ada Lovelace <ada.lovelace@candidates.example>"
    assert received["Reply-To"] == "Grace Hopper <grace.hopper@airecruiter.example>"
    plain, html = alternatives(received)
    for body in (plain, html):
        assert "https://jobs.airecruiter.example/interview/tok_4f9a2c" in body
        assert "Monday 12 May 2031 at 14:00 (UTC)" in body
        assert "conducted by an AI interviewer" in body


async def test_each_send_gets_its_own_provider_message_id(moto_endpoint: str, ses_sender: str) -> None:
    async with mailer(moto_endpoint, ses_sender) as ses:
        first = await ses.send_interview_invitation(make_invitation())
        second = await ses.send_interview_invitation(make_invitation(to_email="alan@candidates.example"))
    assert first and second and first != second
    assert b"alan@candidates.example" in ses_sent_raw(second)


async def test_an_unverified_sender_is_refused_permanently(moto_endpoint: str) -> None:
    async with mailer(moto_endpoint, "nobody@unverified.example") as ses:
        with pytest.raises(PermanentError) as caught:
            await ses.send_interview_invitation(make_invitation())
    assert isinstance(caught.value, ValidationError)
    assert "nobody@unverified.example" in str(caught.value)


async def test_an_unreachable_ses_is_a_transient_network_error() -> None:
    async with mailer(f"http://127.0.0.1:{free_port()}", "r@airecruiter.example", max_attempts=1) as ses:
        with pytest.raises(NetworkError) as caught:
            await ses.send_interview_invitation(make_invitation())
    assert isinstance(caught.value, TransientError)


def test_a_malformed_sender_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="SES_FROM_EMAIL"):
        SesMailer(region=REGION, from_email="not-an-address")
    with pytest.raises(ConfigurationError, match="SES_FROM_NAME"):
        SesMailer(region=REGION, from_email="r@airecruiter.example", from_name="AI\r\nBcc: x@evil.example")


async def test_our_message_id_goes_into_the_raw_message_and_ses_cannot_be_asked_about_it(
    moto_endpoint: str, ses_sender: str
) -> None:
    async with mailer(moto_endpoint, ses_sender) as ses:
        ours = ses.new_message_id()
        provider_id = await ses.send_interview_invitation(make_invitation(), message_id=ours)
        assert await ses.delivered(ours) is None
    assert parse_message(ses_sent_raw(provider_id))["Message-ID"] == ours  # (real SES overwrites it)
