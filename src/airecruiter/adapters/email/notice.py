"""The advance notice as a MIME message: the active notice text, escaped, and the candidate's link."""

from __future__ import annotations

import html
import textwrap
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from airecruiter.adapters.email.invitation import MAX_SUBJECT, new_message_id
from airecruiter.domain.candidate_texts import paragraphs
from airecruiter.errors import ValidationError
from airecruiter.ports.mail import CandidateNotice, check_address, check_header_text, check_message_id


def notice_subject(notice: CandidateNotice) -> str:
    """The subject line, checked like every other header value."""
    subject = f"How we use AI in hiring: your application for {notice.position} at {notice.company_name}"
    return check_header_text(subject, "subject", limit=MAX_SUBJECT)


def _address(display_name: str, addr_spec: str, field: str) -> Address:
    check_header_text(display_name, f"{field} name")
    check_address(addr_spec, f"{field} address")
    try:
        return Address(display_name=display_name, addr_spec=addr_spec)
    except (ValueError, IndexError) as exc:  # the header registry's own parser disagreed
        raise ValidationError(f"The {field} address {addr_spec!r} is not a valid email address.") from exc


def notice_plain_text(notice: CandidateNotice) -> str:
    """The plain-text alternative, wrapped at 72 columns (the link stays on one line)."""
    n = notice
    blocks = [f"Dear {n.candidate_name},", *paragraphs(n.body)]
    wrapped = [textwrap.fill(b, width=72, break_long_words=False, break_on_hyphens=False) for b in blocks]
    link = "To ask for a person instead of the AI, or for an accommodation:\n" + n.candidate_url
    closing = f"Kind regards,\n{n.recruiter_name}\n{n.company_name}\n"
    return "\n\n".join([*wrapped, link, closing])


def notice_html(notice: CandidateNotice) -> str:
    """The HTML alternative; the text and every value are escaped."""
    e = {name: html.escape(str(value), quote=True) for name, value in vars(notice).items()}
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(notice.body))
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>How we use AI in hiring</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.5; color: #1a1a1a;">
<p>Dear {e["candidate_name"]},</p>
{body}
<p><a href="{e["candidate_url"]}">Ask for a person instead of the AI, or for an accommodation</a></p>
<p>If the link does not work, copy it into your browser:<br>{e["candidate_url"]}</p>
<p>Kind regards,<br>{e["recruiter_name"]}<br>{e["company_name"]}</p>
</body>
</html>
"""


def build_notice_message(
    notice: CandidateNotice, *, from_email: str, from_name: str, message_id: str | None = None
) -> EmailMessage:
    """The complete notice: headers checked, plain text and HTML as alternatives, a Message-ID."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = notice_subject(notice)
    message["From"] = _address(from_name, from_email, "sender")
    message["To"] = _address(notice.candidate_name, notice.to_email, "candidate")
    message["Reply-To"] = _address(notice.recruiter_name, notice.recruiter_email, "recruiter")
    message["Date"] = format_datetime(datetime.now().astimezone())
    message["Message-ID"] = check_message_id(message_id) if message_id else new_message_id(from_email)
    message.set_content(notice_plain_text(notice), subtype="plain", charset="utf-8")
    message.add_alternative(notice_html(notice), subtype="html", charset="utf-8")
    return message
