"""Mail port: the interview invitation and short plain-text emails such as the advance notice (SES, SMTP, outbox).

Everything in an invitation may end up in a mail header, so the value type refuses control
characters (CR/LF above all: header injection) and malformed addresses when it is built.
Errors every mailer raises: `ValidationError` (permanent) for an invitation or recipient the
provider refused, `NetworkError` (transient) when the provider could not be reached or throttled
us, `ConfigurationError` when the sender is not allowed to send.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

from airecruiter.errors import ValidationError

MAX_HEADER_TEXT = 200
MAX_ADDRESS = 254
MAX_URL = 2000

# Any C0/C1 control character, plus Unicode line and paragraph separators that some mail
# readers treat as line breaks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# A deliberately plain address: ASCII dot-atom local part, a DNS host name with a dot in it.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    rf"@{_LABEL}(?:\.{_LABEL})+"
)


def check_header_text(value: str, field: str, *, limit: int = MAX_HEADER_TEXT) -> str:
    """`value` when it is safe inside a mail header: one line, no control characters, not too long."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"The {field} of an email must not be empty.")
    if _CONTROL.search(value):
        raise ValidationError(
            f"The {field} contains a line break or another control character and cannot go into an email."
        )
    if len(value) > limit:
        raise ValidationError(f"The {field} is longer than {limit} characters.")
    return value


def check_address(value: str, field: str) -> str:
    """`value` when it is a plain `local@domain.tld` address (no display name, no line breaks)."""
    if not isinstance(value, str) or len(value) > MAX_ADDRESS or not _ADDRESS.fullmatch(value):
        raise ValidationError(f"The {field} {value!r} is not a valid email address.")
    return value


_MESSAGE_ID = re.compile(r"<[!-;=?-~]{1,200}@[A-Za-z0-9.-]{1,253}>")


def check_message_id(value: str) -> str:
    """`value` when it is a `<local@domain>` Message-ID of printable ASCII, safe in a header and a file name."""
    if not isinstance(value, str) or not _MESSAGE_ID.fullmatch(value):
        raise ValidationError(f"{value!r} is not a usable Message-ID.")
    return value


def check_url(value: str, field: str) -> str:
    """`value` when it is an absolute http(s) URL without whitespace or control characters."""
    if not isinstance(value, str) or len(value) > MAX_URL or _CONTROL.search(value) or re.search(r"\s", value):
        raise ValidationError(f"The {field} is not a usable link.")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"The {field} must be an absolute http or https link.")
    return value


@dataclass(frozen=True)
class InterviewInvitation:
    """What the candidate is told: who invites them, to what, where, until when, whom to ask."""

    to_email: str
    candidate_name: str
    position: str
    company_name: str
    interview_url: str
    expires_at: datetime
    recruiter_name: str
    recruiter_email: str
    # The candidate's own page ("I would rather be assessed by a person", accommodations), when minted.
    candidate_url: str | None = None
    ai_use_text: str | None = None  # the active `invitation_ai_use` candidate text, filled in (plain text)

    def __post_init__(self) -> None:
        if self.candidate_url is not None:
            check_url(self.candidate_url, "candidate page link")
        check_address(self.to_email, "candidate's email address")
        check_address(self.recruiter_email, "recruiter's email address")
        check_header_text(self.candidate_name, "candidate name")
        check_header_text(self.position, "position")
        check_header_text(self.company_name, "company name")
        check_header_text(self.recruiter_name, "recruiter name")
        check_url(self.interview_url, "interview link")
        if not isinstance(self.expires_at, datetime) or self.expires_at.tzinfo is None:
            raise ValidationError("The interview expiry must be a date and time with a time zone.")


MAX_PLAIN_BODY = 20_000


@dataclass(frozen=True)
class PlainEmail:
    """A short plain-text email (advance notice, confirmation, notification): to whom, what, whom to reply to."""

    to_email: str
    to_name: str
    subject: str
    body: str
    reply_to_name: str
    reply_to_email: str

    def __post_init__(self) -> None:
        check_address(self.to_email, "recipient's email address")
        check_address(self.reply_to_email, "reply-to address")
        check_header_text(self.to_name, "recipient name")
        check_header_text(self.reply_to_name, "reply-to name")
        check_header_text(self.subject, "subject", limit=400)
        if not self.body.strip() or len(self.body) > MAX_PLAIN_BODY:
            raise ValidationError(f"The body of an email must hold 1 to {MAX_PLAIN_BODY} characters.")


class Mailer(Protocol):
    """Sends the interview invitation under a Message-ID we choose, and says what it knows of past sends.

    Exactly once needs the caller's help: it commits the Message-ID (`new_message_id`) to its
    outbox before calling `send_interview_invitation`, and after a crash asks `delivered` whether
    that message went out. Only a mailer that keeps what it sent can answer; one that hands the
    message to someone else (SMTP, SES) answers None, and the caller decides.
    """

    def new_message_id(self) -> str:
        """A fresh, globally unique Message-ID (`<...@sender-domain>`) for the next message."""
        ...

    async def send_interview_invitation(self, invitation: InterviewInvitation, *, message_id: str | None = None) -> str:
        """Send the invitation under `message_id` (a fresh one when None); the provider's id for it.

        A mailer that can tell (`delivered` answers True) sends a Message-ID at most once: sending
        it again returns the id of the first send and sends nothing.
        """
        ...

    async def send_plain_email(self, email: PlainEmail, *, message_id: str) -> str:
        """Send a plain-text email under `message_id`, with the same at-most-once promise; the provider's id."""
        ...

    async def delivered(self, message_id: str) -> bool | None:
        """Whether a message with this Message-ID was accepted before; None when this mailer cannot know."""
        ...
