"""The invitation message: what the candidate reads, and what no input can smuggle into headers."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.message import EmailMessage
from typing import Any

import pytest

from airecruiter.adapters.email.invitation import build_invitation_message, message_bytes
from airecruiter.adapters.email.outbox import outbox_filename
from airecruiter.errors import ValidationError
from airecruiter.ports.mail import InterviewInvitation

FROM = {"from_email": "recruiting@airecruiter.example", "from_name": "AIRecruiter"}


def invitation(**overrides: Any) -> InterviewInvitation:
    values: dict[str, Any] = {
        "to_email": "ada@candidates.example",
        "candidate_name": "Ada Lovelace",
        "position": "Senior Backend Engineer",
        "company_name": "Analytical Engines Ltd",
        "interview_url": "https://jobs.airecruiter.example/interview/tok_4f9a2c",
        "expires_at": dt.datetime(2031, 5, 12, 14, 0, tzinfo=dt.UTC),
        "recruiter_name": "Grace Hopper",
        "recruiter_email": "grace@airecruiter.example",
    }
    values.update(overrides)
    return InterviewInvitation(**values)


def sent(inv: InterviewInvitation) -> EmailMessage:
    """Build, serialise and parse back, as a receiving mail client would."""
    raw = message_bytes(build_invitation_message(inv, **FROM))
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def bodies(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(preferencelist=("plain",))
    rich = message.get_body(preferencelist=("html",))
    assert plain is not None and rich is not None
    # Whitespace-normalised: HTML wraps lines where a reader sees spaces.
    return " ".join(str(plain.get_content()).split()), " ".join(str(rich.get_content()).split())


def test_the_invitation_tells_the_candidate_everything_in_both_alternatives() -> None:
    message = sent(invitation())
    assert message.get_content_type() == "multipart/alternative"
    for body in bodies(message):
        assert "Ada Lovelace" in body
        assert "Senior Backend Engineer" in body
        assert "https://jobs.airecruiter.example/interview/tok_4f9a2c" in body
        assert "Monday 12 May 2031 at 14:00 (UTC)" in body
        assert "Grace Hopper" in body and "grace@airecruiter.example" in body
        assert "conducted by an AI interviewer" in body
        assert "human alternative" in body


def test_headers_name_sender_candidate_and_recruiter() -> None:
    message = sent(invitation())
    assert message["From"] == "AIRecruiter <recruiting@airecruiter.example>"
    assert message["To"] == "Ada Lovelace <ada@candidates.example>"
    assert message["Reply-To"] == "Grace Hopper <grace@airecruiter.example>"
    # A long subject is folded onto its own line; readers drop the fold's leading space.
    assert message["Subject"].strip() == "Interview invitation: Senior Backend Engineer at Analytical Engines Ltd"
    assert message["Message-ID"].endswith("@airecruiter.example>")


def test_markup_in_any_field_is_shown_as_text_in_the_html() -> None:
    message = sent(invitation(candidate_name='<script>alert("x")</script>', position="R&D <b>Lead</b>"))
    _, rich = bodies(message)
    assert "<script>" not in rich and "<b>Lead</b>" not in rich
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in rich
    assert "R&amp;D &lt;b&gt;Lead&lt;/b&gt;" in rich


def test_non_ascii_names_survive_the_trip() -> None:
    message = sent(invitation(candidate_name="Zoë Ångström-Øre", company_name="Überfirma GmbH"))
    assert message["To"].addresses[0].display_name == "Zoë Ångström-Øre"
    assert "Überfirma" in message["Subject"]


def test_a_name_with_quotes_and_commas_stays_one_recipient() -> None:
    message = sent(invitation(candidate_name='Lovelace, Ada "The Countess"'))
    assert [a.addr_spec for a in message["To"].addresses] == ["ada@candidates.example"]


@pytest.mark.parametrize(
    "name",
    ['"Doe, Jane" <evil@x.example>', "Doe, Jane <a@b.example>, Mallory", 'Ünïcode, "Q" <x@y.example>', 'a\\ b, "c'],
)
def test_a_workday_name_that_looks_like_addresses_is_only_ever_the_display_name(name: str) -> None:
    message = sent(invitation(candidate_name=name, recruiter_name=name))
    for header in ("To", "Reply-To"):
        [address] = message[header].addresses
        assert address.display_name == name
    assert message["To"].addresses[0].addr_spec == "ada@candidates.example"


@pytest.mark.parametrize(
    "field",
    ["candidate_name", "position", "company_name", "recruiter_name"],
)
@pytest.mark.parametrize("injection", ["Ada\r\nBcc: x@evil.example", "Ada\nBcc: x@evil.example", "Ada\u2028x"])
def test_line_breaks_in_header_values_are_refused(field: str, injection: str) -> None:
    with pytest.raises(ValidationError, match="line break"):
        invitation(**{field: injection})


@pytest.mark.parametrize(
    "address",
    [
        "ada",
        "ada@",
        "@x.example",
        "ada@localhost",
        "ada@x.example\r\nBcc: x@evil.example",
        "Ada <ada@x.example>",
        "a,b@x.example",
        "ada@x..example",
        "ada@-x.example",
    ],
)
def test_malformed_addresses_are_refused(address: str) -> None:
    with pytest.raises(ValidationError, match="not a valid email address"):
        invitation(to_email=address)
    with pytest.raises(ValidationError, match="not a valid email address"):
        invitation(recruiter_email=address)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "/interview/tok",
        "https://x.example/a b",
        "https://x.example/\r\nX: y",
        "ftp://x.example/",
    ],
)
def test_only_absolute_http_links_are_accepted(url: str) -> None:
    with pytest.raises(ValidationError):
        invitation(interview_url=url)


def test_an_expiry_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValidationError, match="time zone"):
        invitation(expires_at=dt.datetime(2031, 5, 12, 14, 0))


def test_the_expiry_is_shown_in_its_own_time_zone() -> None:
    cet = dt.timezone(dt.timedelta(hours=2), "CEST")
    plain, _ = bodies(sent(invitation(expires_at=dt.datetime(2031, 5, 12, 16, 30, tzinfo=cet))))
    assert "Monday 12 May 2031 at 16:30 (CEST)" in plain


def test_a_sender_name_with_a_line_break_is_refused() -> None:
    with pytest.raises(ValidationError):
        build_invitation_message(invitation(), from_email="r@airecruiter.example", from_name="A\r\nBcc: x@evil.example")


def test_outbox_filenames_come_from_the_message_id_and_stay_in_the_folder() -> None:
    assert outbox_filename("<173.42.abc@airecruiter.example>") == "173.42.abc@airecruiter.example.eml"
    assert "/" not in outbox_filename("<../../etc/passwd@x>")
