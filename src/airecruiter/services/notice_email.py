"""The words of the advance notice: the active notice text and the candidate's link, as a `PlainEmail`."""

from __future__ import annotations

import textwrap

from airecruiter.domain.candidate_texts import paragraphs
from airecruiter.errors import ValidationError
from airecruiter.ports.mail import PlainEmail, check_address, check_header_text, check_url


def notice_subject(position: str, company_name: str) -> str:
    """The subject line of the advance notice."""
    return f"How we use AI in hiring: your application for {position} at {company_name}"


def notice_body(*, candidate_name: str, text: str, candidate_url: str, recruiter_name: str, company_name: str) -> str:
    """The greeting, the text wrapped at 72 columns, the link on a line of its own, the closing."""
    blocks = [f"Dear {candidate_name},", *paragraphs(text)]
    wrapped = [textwrap.fill(b, width=72, break_long_words=False, break_on_hyphens=False) for b in blocks]
    link = "To ask for a person instead of the AI, or for an accommodation:\n" + candidate_url
    closing = f"Kind regards,\n{recruiter_name}\n{company_name}\n"
    return "\n\n".join([*wrapped, link, closing])


def notice_email(
    *,
    to_email: str,
    candidate_name: str,
    position: str,
    company_name: str,
    text: str,
    candidate_url: str,
    recruiter_name: str,
    recruiter_email: str,
) -> PlainEmail:
    """The notice to send (`text`: the active notice text, filled in); `ValidationError` naming a bad field."""
    # Checked one by one under the candidate's and the recruiter's names (PlainEmail would say
    # "recipient" and "reply-to"; the subject and the body do not check each part), in the order
    # the operator has always been told about them.
    check_address(to_email, "candidate's email address")
    check_address(recruiter_email, "recruiter's email address")
    check_header_text(candidate_name, "candidate name")
    check_header_text(position, "position")
    check_header_text(company_name, "company name")
    check_header_text(recruiter_name, "recruiter name")
    check_url(candidate_url, "candidate link")
    if not text.strip():
        raise ValidationError("The notice text must not be empty.")
    body = notice_body(
        candidate_name=candidate_name,
        text=text,
        candidate_url=candidate_url,
        recruiter_name=recruiter_name,
        company_name=company_name,
    )
    return PlainEmail(
        to_email=to_email,
        to_name=candidate_name,
        subject=notice_subject(position, company_name),
        body=body,
        reply_to_name=recruiter_name,
        reply_to_email=recruiter_email,
    )
