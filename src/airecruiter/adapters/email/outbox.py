"""Outbox mailer (the local twin): each invitation or plain email becomes a real `.eml` file in a directory.

The file is named after the Message-ID, so the twin knows what it sent: a Message-ID it holds
already is not written again (`delivered` answers True), which makes a retry after a crash
between sending and recording exactly once.
"""

from __future__ import annotations

import asyncio
import re
from email.message import EmailMessage
from pathlib import Path

from airecruiter.adapters.email.invitation import (
    build_invitation_message,
    checked_sender,
    message_bytes,
    new_message_id,
)
from airecruiter.adapters.email.plain_message import build_plain_message
from airecruiter.adapters.storage.local import write_atomically
from airecruiter.errors import StorageError
from airecruiter.ports.mail import InterviewInvitation, PlainEmail, check_message_id

_UNSAFE = re.compile(r"[^A-Za-z0-9.@_-]")


def outbox_filename(message_id: str) -> str:
    """`<id@host>` → `id@host.eml`, with anything unsafe in a file name replaced."""
    return _UNSAFE.sub("_", message_id.strip().strip("<>")).lstrip(".") + ".eml"


class OutboxMailer:
    """A `Mailer` that writes each message to `directory` instead of sending it."""

    def __init__(self, directory: Path | str, *, from_email: str, from_name: str = "AIRecruiter") -> None:
        self.from_email, self.from_name = checked_sender(from_email, from_name)
        self.directory = Path(directory)

    def new_message_id(self) -> str:
        """A fresh Message-ID in the sender's domain."""
        return new_message_id(self.from_email)

    async def send_interview_invitation(self, invitation: InterviewInvitation, *, message_id: str | None = None) -> str:
        """Write the invitation to `<message-id>.eml` atomically, unless that file exists; its Message-ID."""
        message = build_invitation_message(
            invitation, from_email=self.from_email, from_name=self.from_name, message_id=message_id
        )
        return await self._write(message)

    async def send_plain_email(self, email: PlainEmail, *, message_id: str) -> str:
        """Write the email to `<message-id>.eml` atomically, unless that file exists; its Message-ID."""
        message = build_plain_message(
            email, from_email=self.from_email, from_name=self.from_name, message_id=message_id
        )
        return await self._write(message)

    async def _write(self, message: EmailMessage) -> str:
        message_id = str(message["Message-ID"])
        path = self.directory / outbox_filename(message_id)
        try:
            await asyncio.to_thread(self._write_once, path, message_bytes(message))
        except OSError as exc:
            # Transient: a full or read-only disk may clear up before the retry.
            raise StorageError(f"Could not write the email to the outbox {self.directory}: {exc}") from exc
        return message_id

    async def delivered(self, message_id: str) -> bool:
        """Whether the outbox holds a message with this Message-ID."""
        path = self.directory / outbox_filename(check_message_id(message_id))
        try:
            return await asyncio.to_thread(path.exists)
        except OSError as exc:
            raise StorageError(f"Could not look into the outbox {self.directory}: {exc}") from exc

    def _write_once(self, path: Path, data: bytes) -> None:
        if path.exists():
            return  # sent before: the same Message-ID is the same email
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
