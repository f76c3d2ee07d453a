"""OutboxMailer: each invitation becomes a real `.eml` file a mail client can open."""

from __future__ import annotations

import email
import email.policy
import os
from email.message import EmailMessage
from pathlib import Path

import pytest

from airecruiter.adapters.email.outbox import OutboxMailer, outbox_filename
from airecruiter.errors import ConfigurationError, StorageError, ValidationError
from tests.integration.aws_fakes import alternatives, make_invitation


async def test_each_invitation_is_an_eml_file_named_after_its_message_id(tmp_path: Path) -> None:
    outbox = OutboxMailer(tmp_path / "outbox", from_email="recruiting@airecruiter.example")
    first = await outbox.send_interview_invitation(make_invitation())
    second = await outbox.send_interview_invitation(make_invitation(to_email="alan@candidates.example"))
    files = sorted(p.name for p in (tmp_path / "outbox").iterdir())
    assert files == sorted([outbox_filename(first), outbox_filename(second)])
    with (tmp_path / "outbox" / outbox_filename(first)).open("rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert message["Message-ID"] == first
    assert message["From"] == "AIRecruiter <recruiting@airecruiter.example>"
    plain, html = alternatives(message)
    assert "https://jobs.airecruiter.example/interview/tok_4f9a2c" in plain
    assert "conducted by an AI interviewer" in html


async def test_an_injected_header_writes_nothing(tmp_path: Path) -> None:
    outbox = OutboxMailer(tmp_path, from_email="recruiting@airecruiter.example")
    with pytest.raises(ValidationError):
        await outbox.send_interview_invitation(make_invitation(position="Engineer\r\nBcc: x@evil.example"))
    assert list(os.scandir(tmp_path)) == []


async def test_an_outbox_that_cannot_be_created_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("a file where the outbox folder should be")
    outbox = OutboxMailer(tmp_path / "blocked" / "outbox", from_email="recruiting@airecruiter.example")
    with pytest.raises(StorageError):
        await outbox.send_interview_invitation(make_invitation())


def test_a_malformed_sender_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        OutboxMailer(tmp_path, from_email="recruiting")


async def test_a_message_id_is_sent_at_most_once_and_the_twin_knows_what_it_sent(tmp_path: Path) -> None:
    outbox = OutboxMailer(tmp_path, from_email="recruiting@airecruiter.example")
    message_id = outbox.new_message_id()
    assert message_id.endswith("@airecruiter.example>")
    assert await outbox.delivered(message_id) is False
    assert await outbox.send_interview_invitation(make_invitation(), message_id=message_id) == message_id
    first = (tmp_path / outbox_filename(message_id)).read_bytes()
    assert await outbox.delivered(message_id) is True
    # The same Message-ID again (a retry after a crash): nothing new is written.
    again = await outbox.send_interview_invitation(make_invitation(position="Other"), message_id=message_id)
    assert again == message_id
    assert [e.name for e in os.scandir(tmp_path)] == [outbox_filename(message_id)]
    assert (tmp_path / outbox_filename(message_id)).read_bytes() == first


@pytest.mark.parametrize("message_id", ["no-brackets@example.org", "<a b@example.org>", "<x@y>\r\nBcc: e@evil.example"])
async def test_a_malformed_message_id_is_refused_before_anything_is_written(tmp_path: Path, message_id: str) -> None:
    outbox = OutboxMailer(tmp_path, from_email="recruiting@airecruiter.example")
    with pytest.raises(ValidationError):
        await outbox.send_interview_invitation(make_invitation(), message_id=message_id)
    with pytest.raises(ValidationError):
        await outbox.delivered(message_id)
    assert list(os.scandir(tmp_path)) == []
