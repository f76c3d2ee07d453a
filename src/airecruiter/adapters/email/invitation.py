"""The interview invitation as a MIME message, built once here and sent by every mailer."""

from __future__ import annotations

import html
import textwrap
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from airecruiter.domain.candidate_texts import paragraphs
from airecruiter.errors import ConfigurationError, ValidationError
from airecruiter.ports.mail import InterviewInvitation, check_address, check_header_text, check_message_id

MAX_SUBJECT = 400


def format_expiry(moment: datetime) -> str:
    """`Monday 12 May 2025 at 14:00 (UTC)`: spelled out so no reader confuses day and month."""
    return f"{moment.strftime('%A %d %B %Y at %H:%M')} ({moment.tzname() or 'UTC'})"


def invitation_subject(invitation: InterviewInvitation) -> str:
    """The subject line, checked like every other header value."""
    subject = f"Interview invitation: {invitation.position} at {invitation.company_name}"
    return check_header_text(subject, "subject", limit=MAX_SUBJECT)


def _address(display_name: str, addr_spec: str, field: str) -> Address:
    check_header_text(display_name, f"{field} name")
    check_address(addr_spec, f"{field} address")
    try:
        return Address(display_name=display_name, addr_spec=addr_spec)
    except (ValueError, IndexError) as exc:  # the header registry's own parser disagreed
        raise ValidationError(f"The {field} address {addr_spec!r} is not a valid email address.") from exc


def _ai_use_plain(i: InterviewInvitation) -> list[str]:
    """How the AI is used: the console's active text when the caller rendered it, else the built-in one."""
    if i.ai_use_text:
        return paragraphs(i.ai_use_text)
    return [
        "Please note: this interview is conducted by an AI interviewer, not by a person. Your answers "
        "are reviewed by our recruiting team. If you would prefer to be interviewed by a person, or "
        f"need any adjustment, reply to this email or write to {i.recruiter_name} at "
        f"{i.recruiter_email} and we will arrange a human alternative."
    ]


def plain_text_body(invitation: InterviewInvitation) -> str:
    """The plain-text alternative, wrapped at 72 columns (the link stays on one line)."""
    i = invitation
    paragraphs = [
        f"Dear {i.candidate_name},",
        f"Thank you for applying for the {i.position} position at {i.company_name}. We would like to "
        "invite you to the next step: an online interview you can take whenever it suits you before "
        "the link expires.",
        "Start your interview here:",
        f"The link expires on {format_expiry(i.expires_at)}. You can pause and come back to it with "
        "the same link until then.",
        *_ai_use_plain(i),
        f"If you have any questions, contact {i.recruiter_name} ({i.recruiter_email}).",
    ]
    wrapped = [textwrap.fill(text, width=72, break_long_words=False, break_on_hyphens=False) for text in paragraphs]
    wrapped[2] += "\n" + i.interview_url
    if i.candidate_url:
        wrapped.insert(
            len(wrapped) - 1, f"I would rather be assessed by a person (or need an adjustment):\n{i.candidate_url}"
        )
    closing = f"Kind regards,\n{i.recruiter_name}\n{i.company_name}\n"
    return "\n\n".join([*wrapped, closing])


def html_body(invitation: InterviewInvitation) -> str:
    """The HTML alternative; every value from the invitation is escaped."""
    e = {name: html.escape(str(value), quote=True) for name, value in vars(invitation).items()}
    expiry = html.escape(format_expiry(invitation.expires_at))
    person = (
        f'<p><a href="{e["candidate_url"]}">I would rather be assessed by a person</a> (or need an adjustment)</p>\n'
        if invitation.candidate_url
        else ""
    )
    ai_use = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(invitation.ai_use_text or ""))
    default_ai_use = f"""<p><strong>Please note:</strong> this interview is conducted by an AI interviewer,
not by a person. Your answers are reviewed by our recruiting team. If you would prefer to be interviewed by a person,
or need any adjustment, reply to this email or write to {e["recruiter_name"]} at
<a href="mailto:{e["recruiter_email"]}">{e["recruiter_email"]}</a> and we will arrange a human
alternative.</p>"""
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Interview invitation</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.5; color: #1a1a1a;">
<p>Dear {e["candidate_name"]},</p>
<p>Thank you for applying for the <strong>{e["position"]}</strong> position at {e["company_name"]}.
We would like to invite you to the next step: an online interview you can take whenever it suits
you before the link expires.</p>
<p><a href="{e["interview_url"]}" style="display: inline-block; padding: 12px 20px; background: #1f5fbf;
color: #ffffff; text-decoration: none; border-radius: 4px;">Start your interview</a></p>
<p>If the button does not work, copy this link into your browser:<br>{e["interview_url"]}</p>
<p>The link expires on <strong>{expiry}</strong>. You can pause and come back to it with the same
link until then.</p>
{ai_use if invitation.ai_use_text else default_ai_use}
{person}<p>If you have any questions, contact {e["recruiter_name"]}
(<a href="mailto:{e["recruiter_email"]}">{e["recruiter_email"]}</a>).</p>
<p>Kind regards,<br>{e["recruiter_name"]}<br>{e["company_name"]}</p>
</body>
</html>
"""


def new_message_id(from_email: str) -> str:
    """A fresh Message-ID in the sender's domain."""
    return make_msgid(domain=from_email.rpartition("@")[2])


def build_invitation_message(
    invitation: InterviewInvitation, *, from_email: str, from_name: str, message_id: str | None = None
) -> EmailMessage:
    """The complete invitation: headers checked, plain text and HTML as alternatives, a Message-ID.

    `message_id` is the one the caller committed to its outbox before sending; a fresh one when None.
    """
    sender = _address(from_name, from_email, "sender")
    message = EmailMessage(policy=SMTP)
    message["Subject"] = invitation_subject(invitation)
    message["From"] = sender
    message["To"] = _address(invitation.candidate_name, invitation.to_email, "candidate")
    message["Reply-To"] = _address(invitation.recruiter_name, invitation.recruiter_email, "recruiter")
    message["Date"] = format_datetime(datetime.now().astimezone())
    message["Message-ID"] = check_message_id(message_id) if message_id else new_message_id(from_email)
    message.set_content(plain_text_body(invitation), subtype="plain", charset="utf-8")
    message.add_alternative(html_body(invitation), subtype="html", charset="utf-8")
    return message


def message_bytes(message: EmailMessage) -> bytes:
    """The message on the wire (CRLF line ends, as SMTP and SES expect)."""
    return message.as_bytes(policy=SMTP)


def checked_sender(from_email: str, from_name: str) -> tuple[str, str]:
    """The configured sender address and name, or a ConfigurationError naming the setting."""
    try:
        return (
            check_address(from_email, "sender address (SES_FROM_EMAIL)"),
            check_header_text(from_name, "sender name (SES_FROM_NAME)"),
        )
    except ValidationError as exc:
        raise ConfigurationError(exc.message) from exc
