"""SMTP mailer through aiosmtplib: TLS, STARTTLS and login as configured, a connection per message."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

import aiosmtplib

from airecruiter.adapters.email.invitation import build_invitation_message, checked_sender, new_message_id
from airecruiter.adapters.email.plain_message import build_plain_message
from airecruiter.errors import ConfigurationError, NetworkError, PermanentError, ValidationError
from airecruiter.ports.mail import InterviewInvitation, PlainEmail


def _is_temporary(code: int) -> bool:
    return 400 <= code < 500


@contextmanager
def _translated(host: str, to_email: str) -> Iterator[None]:
    """Turn aiosmtplib's errors into ours: the one place SMTP failures are classified."""
    try:
        yield
    except aiosmtplib.SMTPRecipientsRefused as exc:
        codes = [refused.code for refused in exc.recipients]
        if codes and all(_is_temporary(code) for code in codes):
            raise NetworkError(f"The mail server deferred the invitation to {to_email}; it will be retried.") from exc
        raise ValidationError(f"The mail server refused the recipient {to_email}.") from exc
    except aiosmtplib.SMTPAuthenticationError as exc:
        raise ConfigurationError(
            f"The mail server {host} refused the login; check the SMTP username and password."
        ) from exc
    except aiosmtplib.SMTPNotSupported as exc:
        raise ConfigurationError(f"The mail server {host} does not support what is configured: {exc}") from exc
    except aiosmtplib.SMTPResponseException as exc:
        if _is_temporary(exc.code):
            raise NetworkError(f"The mail server {host} answered {exc.code} for now; it will be retried.") from exc
        if isinstance(exc, aiosmtplib.SMTPSenderRefused):
            raise ConfigurationError(f"The mail server {host} refused our sender address ({exc.code}).") from exc
        raise PermanentError(f"The mail server {host} refused the invitation to {to_email} ({exc.code}).") from exc
    except (aiosmtplib.SMTPException, ssl.SSLError, TimeoutError, OSError) as exc:
        # Connection refused or dropped, timeouts, TLS handshake failures.
        raise NetworkError(f"Could not deliver through the mail server {host}: {exc}") from exc


class SmtpMailer:
    """A `Mailer` that hands the invitation to an SMTP server."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        from_email: str,
        from_name: str = "AIRecruiter",
        username: str | None = None,
        password: str | None = None,
        use_tls: bool = False,
        starttls: bool | None = None,
        timeout: float = 30.0,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        """`use_tls`: implicit TLS (port 465); `starttls`: True requires it, None uses it when offered."""
        if use_tls and starttls:
            raise ConfigurationError("SMTP can use implicit TLS or STARTTLS, not both; choose one.")
        if (username is None) != (password is None):
            raise ConfigurationError("Set both the SMTP username and password, or neither.")
        self.from_email, self.from_name = checked_sender(from_email, from_name)
        self._host = host
        self._port = port
        self._username = username
        self._password = password
        self._use_tls = use_tls
        self._starttls = False if use_tls else starttls
        self._timeout = timeout
        self._tls_context = tls_context

    def new_message_id(self) -> str:
        """A fresh Message-ID in the sender's domain."""
        return new_message_id(self.from_email)

    async def delivered(self, message_id: str) -> None:
        """Unknowable: an SMTP server cannot be asked whether it accepted a Message-ID."""
        return None

    async def send_interview_invitation(self, invitation: InterviewInvitation, *, message_id: str | None = None) -> str:
        """Send the invitation; its Message-ID (SMTP servers return no id of their own)."""
        message = build_invitation_message(
            invitation, from_email=self.from_email, from_name=self.from_name, message_id=message_id
        )
        return await self._send(message, invitation.to_email)

    async def send_plain_email(self, email: PlainEmail, *, message_id: str) -> str:
        """Send a plain-text email; its Message-ID."""
        message = build_plain_message(
            email, from_email=self.from_email, from_name=self.from_name, message_id=message_id
        )
        return await self._send(message, email.to_email)

    async def _send(self, message: EmailMessage, to_email: str) -> str:
        with _translated(self._host, to_email):
            await aiosmtplib.send(
                message,
                sender=self.from_email,
                recipients=[to_email],
                hostname=self._host,
                port=self._port,
                username=self._username,
                password=self._password,
                use_tls=self._use_tls,
                start_tls=self._starttls,
                timeout=self._timeout,
                tls_context=self._tls_context,
            )
        return str(message["Message-ID"])
