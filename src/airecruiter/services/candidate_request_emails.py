"""The words of the candidate-request emails: the candidate's confirmation, the recruiter's notification."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from airecruiter.db.candidate_request_flow import REQUEST_CONFIRMATION, RequestSubject
from airecruiter.ports.mail import PlainEmail


@dataclass(frozen=True)
class Contact:
    """Whom the candidate may write to (the requisition's recruiter, else the configured contact)."""

    name: str
    email: str


def contact_for(subject: RequestSubject, default_name: str, default_email: str | None) -> Contact | None:
    """The requisition's recruiter when Workday names one, else the configured contact; None if neither."""
    if subject.recruiter_email:
        return Contact(subject.recruiter_name or default_name, subject.recruiter_email)
    return None if not default_email else Contact(default_name, default_email)


def _fill(paragraphs: list[str]) -> str:
    return "\n\n".join(textwrap.fill(p, width=72, break_long_words=False, break_on_hyphens=False) for p in paragraphs)


def _confirmation_body(kind: str, subject: RequestSubject, contact: Contact, company: str) -> str:
    if kind == "human_review":
        asked = (
            f"We received your request to be assessed by a person instead of the AI for the {subject.position} "
            f"position. From now on no AI interview and no AI evaluation is used for your application, and any "
            "interview link you received no longer works."
        )
        nxt = (
            f"What happens next: {contact.name} of our recruiting team reviews your application in person "
            "and contacts you about the next step. You do not need to do anything else."
        )
    else:
        asked = (
            f"We received your request for an adjustment in the recruiting process for the {subject.position} "
            "position. A member of our recruiting team reads it and contacts you to arrange it."
        )
        nxt = "What happens next: we reply within one month at the latest, usually much sooner."
    return _fill(
        [
            f"Dear {subject.candidate_name},",
            asked,
            nxt,
            f"If you have a question, write to {contact.name} at {contact.email}.",
            f"Kind regards,\n{company}",
        ]
    )


def confirmation_email(kind: str, subject: RequestSubject, contact: Contact, company: str) -> PlainEmail | None:
    """What the candidate is sent after a request; None when Workday holds no address for them."""
    if not subject.candidate_email:
        return None
    title = "a person will assess your application" if kind == "human_review" else "your request for an adjustment"
    return PlainEmail(
        to_email=subject.candidate_email,
        to_name=subject.candidate_name or "candidate",
        subject=f"{subject.position} at {company}: {title}",
        body=_confirmation_body(kind, subject, contact, company),
        reply_to_name=contact.name,
        reply_to_email=contact.email,
    )


def notification_email(
    kind: str, subject: RequestSubject, contact: Contact, *, frontend_url: str, due_on: str, company: str
) -> PlainEmail:
    """What the recruiting contact is sent: which application, what was asked, by when, where to look."""
    what = "to be assessed by a person instead of the AI" if kind == "human_review" else "an adjustment (accommodation)"
    link = f"{frontend_url.rstrip('/')}/admin/applications/{subject.id}"
    body = _fill(
        [
            f"A candidate for {subject.position} (application {subject.id}) asked {what}.",
            "The application no longer goes through the AI interview or evaluation."
            if kind == "human_review"
            else "The request's text is on the application's page and in the request register.",
            f"Please handle the request by {due_on}. Open the application:",
        ]
    )
    return PlainEmail(
        to_email=contact.email,
        to_name=contact.name,
        subject=f"Candidate request for {subject.position}: application {subject.id}",
        body=f"{body}\n{link}\n\n{company}\n",
        reply_to_name=contact.name,
        reply_to_email=contact.email,
    )


def email_for(
    email_kind: str,
    request_kind: str,
    subject: RequestSubject,
    contact: Contact,
    *,
    frontend_url: str,
    due_on: str,
    company: str,
) -> PlainEmail | None:
    """The email an outbox row of a request stands for."""
    if email_kind == REQUEST_CONFIRMATION:
        return confirmation_email(request_kind, subject, contact, company)
    return notification_email(request_kind, subject, contact, frontend_url=frontend_url, due_on=due_on, company=company)
