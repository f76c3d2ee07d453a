"""SmtpMailer against aiosmtpd on loopback: what the server received, STARTTLS with login, refusals."""

from __future__ import annotations

import pytest

from airecruiter.adapters.email.smtp import SmtpMailer
from airecruiter.errors import ConfigurationError, NetworkError, TransientError, ValidationError
from tests.integration.aws_fakes import (
    SMTP_PASSWORD,
    SMTP_USER,
    SmtpServer,
    alternatives,
    make_invitation,
    smtp_server,
    smtp_tls_server,
)
from tests.integration.processes import free_port

__all__ = ["smtp_server", "smtp_tls_server"]  # fixtures used by name

SENDER = "recruiting@airecruiter.example"


def plain_mailer(server: SmtpServer) -> SmtpMailer:
    return SmtpMailer(host=server.host, port=server.port, from_email=SENDER, starttls=False, timeout=10)


async def test_the_server_receives_the_invitation_with_both_alternatives(smtp_server: SmtpServer) -> None:
    message_id = await plain_mailer(smtp_server).send_interview_invitation(make_invitation())
    envelope = smtp_server.recorder.envelopes[-1]
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == ["ada.lovelace@candidates.example"]
    received = smtp_server.recorder.last_message()
    assert received["Message-ID"] == message_id
    assert received["To"] == "Ada Lovelace <ada.lovelace@candidates.example>"
    plain, html = alternatives(received)
    for body in (plain, html):
        assert "Senior Backend Engineer" in body
        assert "https://jobs.airecruiter.example/interview/tok_4f9a2c" in body
        assert "conducted by an AI interviewer" in body
        assert "grace.hopper@airecruiter.example" in body


async def test_a_name_carrying_a_bcc_header_is_refused_before_anything_is_sent(smtp_server: SmtpServer) -> None:
    with pytest.raises(ValidationError):
        await plain_mailer(smtp_server).send_interview_invitation(
            make_invitation(candidate_name="Ada\r\nBcc: x@evil.example")
        )
    assert smtp_server.recorder.envelopes == []


async def test_a_refused_recipient_is_a_permanent_validation_error(smtp_server: SmtpServer) -> None:
    with pytest.raises(ValidationError, match=r"gone@refused\.example"):
        await plain_mailer(smtp_server).send_interview_invitation(make_invitation(to_email="gone@refused.example"))


async def test_a_deferred_recipient_is_retried_later(smtp_server: SmtpServer) -> None:
    with pytest.raises(NetworkError):
        await plain_mailer(smtp_server).send_interview_invitation(make_invitation(to_email="busy@deferred.example"))


async def test_starttls_and_login_deliver(smtp_tls_server: SmtpServer) -> None:
    mailer = SmtpMailer(
        host=smtp_tls_server.host,
        port=smtp_tls_server.port,
        from_email=SENDER,
        username=SMTP_USER,
        password=SMTP_PASSWORD,
        starttls=True,
        tls_context=smtp_tls_server.client_tls,
        timeout=10,
    )
    await mailer.send_interview_invitation(make_invitation())
    assert smtp_tls_server.recorder.envelopes[-1].rcpt_tos == ["ada.lovelace@candidates.example"]


async def test_a_wrong_password_is_a_configuration_error(smtp_tls_server: SmtpServer) -> None:
    mailer = SmtpMailer(
        host=smtp_tls_server.host,
        port=smtp_tls_server.port,
        from_email=SENDER,
        username=SMTP_USER,
        password="wrong",
        starttls=True,
        tls_context=smtp_tls_server.client_tls,
        timeout=10,
    )
    with pytest.raises(ConfigurationError, match="password"):
        await mailer.send_interview_invitation(make_invitation())
    assert smtp_tls_server.recorder.envelopes == []


async def test_an_untrusted_certificate_is_not_accepted(smtp_tls_server: SmtpServer) -> None:
    # The default trust store does not know the test's self-signed certificate.
    mailer = SmtpMailer(
        host=smtp_tls_server.host,
        port=smtp_tls_server.port,
        from_email=SENDER,
        username=SMTP_USER,
        password=SMTP_PASSWORD,
        starttls=True,
        timeout=10,
    )
    with pytest.raises(NetworkError):
        await mailer.send_interview_invitation(make_invitation())
    assert smtp_tls_server.recorder.envelopes == []


async def test_no_server_listening_is_a_transient_network_error() -> None:
    mailer = SmtpMailer(host="127.0.0.1", port=free_port(), from_email=SENDER, timeout=5)
    with pytest.raises(TransientError):
        await mailer.send_interview_invitation(make_invitation())


def test_contradictory_settings_are_refused() -> None:
    with pytest.raises(ConfigurationError):
        SmtpMailer(host="127.0.0.1", port=465, from_email=SENDER, use_tls=True, starttls=True)
    with pytest.raises(ConfigurationError):
        SmtpMailer(host="127.0.0.1", port=587, from_email=SENDER, username="only-a-user")


async def test_the_message_goes_out_under_the_message_id_the_caller_committed(smtp_server: SmtpServer) -> None:
    mailer = plain_mailer(smtp_server)
    message_id = mailer.new_message_id()
    assert message_id.endswith("@airecruiter.example>")
    assert await mailer.send_interview_invitation(make_invitation(), message_id=message_id) == message_id
    assert smtp_server.recorder.last_message()["Message-ID"] == message_id
    assert await mailer.delivered(message_id) is None  # an SMTP server cannot be asked
