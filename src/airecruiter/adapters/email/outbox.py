"""Outbox mailer (the local twin): each invitation becomes a real `.eml` file in a directory."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from airecruiter.adapters.email.invitation import build_invitation_message, checked_sender, message_bytes
from airecruiter.adapters.storage.local import write_atomically
from airecruiter.errors import StorageError
from airecruiter.ports.mail import InterviewInvitation

_UNSAFE = re.compile(r"[^A-Za-z0-9.@_-]")


def outbox_filename(message_id: str) -> str:
    """`<id@host>` → `id@host.eml`, with anything unsafe in a file name replaced."""
    return _UNSAFE.sub("_", message_id.strip().strip("<>")).lstrip(".") + ".eml"


class OutboxMailer:
    """A `Mailer` that writes each message to `directory` instead of sending it."""

    def __init__(self, directory: Path | str, *, from_email: str, from_name: str = "AIRecruiter") -> None:
        self.from_email, self.from_name = checked_sender(from_email, from_name)
        self.directory = Path(directory)

    async def send_interview_invitation(self, invitation: InterviewInvitation) -> str:
        """Write the invitation to `<message-id>.eml` atomically; its Message-ID."""
        message = build_invitation_message(invitation, from_email=self.from_email, from_name=self.from_name)
        message_id = str(message["Message-ID"])
        path = self.directory / outbox_filename(message_id)
        try:
            await asyncio.to_thread(self._write, path, message_bytes(message))
        except OSError as exc:
            # Transient: a full or read-only disk may clear up before the retry.
            raise StorageError(f"Could not write the invitation to the outbox {self.directory}: {exc}") from exc
        return message_id

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
