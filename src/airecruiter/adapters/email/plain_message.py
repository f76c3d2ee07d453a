"""A plain-text email (confirmations, notifications) as a MIME message, sent by every mailer."""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from airecruiter.ports.mail import PlainEmail, check_message_id


def build_plain_message(email: PlainEmail, *, from_email: str, from_name: str, message_id: str) -> EmailMessage:
    """The message: checked headers (the value type checked them), one UTF-8 plain-text part."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = email.subject
    message["From"] = Address(display_name=from_name, addr_spec=from_email)
    message["To"] = Address(display_name=email.to_name, addr_spec=email.to_email)
    message["Reply-To"] = Address(display_name=email.reply_to_name, addr_spec=email.reply_to_email)
    message["Date"] = format_datetime(datetime.now().astimezone())
    message["Message-ID"] = check_message_id(message_id)
    message.set_content(email.body, subtype="plain", charset="utf-8")
    return message
