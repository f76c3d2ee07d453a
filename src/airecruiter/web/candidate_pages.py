"""The candidate's own pages, keyed by the candidate link: a person instead of the AI, accommodations.

    GET  /candidate/{token}                 what the AI assesses, and the candidate's choices
    GET  /candidate/{token}/person          "I would rather be assessed by a person": the confirmation page
    POST /candidate/{token}/person          confirm it; 303 to the "what happens next" page
    GET  /candidate/{token}/accommodation   the accommodation form (free text, optional "a person instead")
    POST /candidate/{token}/accommodation   send it; 303 to "what happens next", or the form again (422/413)
    GET  /candidate/{token}/next            what happens next and whom to contact
    GET  /interview/{token}/person          from the interview's welcome page: a candidate link, then the above

No login and no JavaScript: every step is a form and a redirect. Each form carries a token derived
from the candidate link and the secret key (HMAC), and a POST from another origin is refused, so
no other site can make a candidate's browser confirm. Every link we do not know gets the same
plain page saying whom to contact: nothing tells which links exist. Links never reach a log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from airecruiter.config import revealed
from airecruiter.errors import ValidationError
from airecruiter.services.candidate_choices import (
    MAX_ACCOMMODATION_TEXT,
    CandidateLink,
    RequestDesk,
    RequestSubjectGoneError,
    candidate_link_for_interview,
    emails_waiting,
    open_candidate_link,
    request_accommodation,
    request_human_review,
)
from airecruiter.web.context import web_context
from airecruiter.web.request_body import BodyTooLargeError, read_capped_body
from airecruiter.web.templating import render

log = structlog.get_logger(__name__)
router = APIRouter()

# 4000 characters of text percent-encoded as 4-byte characters take 48 KB.
MAX_FORM_BYTES = 56 * 1024
_PROCESS_KEY = secrets.token_bytes(32)
FORM_REFUSED = (
    "This form could not be accepted (it was sent from another page, or it is out of date). "
    "Open the link from your email again and send the form from there."
)


def desk(request: Request) -> RequestDesk:
    """The request flows' dependencies, from the running application."""
    application = web_context(request).application
    settings, engine = application.settings, application.interview_engine
    return RequestDesk(
        engine=application.engine,
        queue=application.queue,
        mailer=application.adapters.mailer,
        frontend_url=settings.FRONTEND_URL,
        company_name=settings.COMPANY_NAME,
        contact_name=engine.contact_name,
        contact_email=engine.contact_email,
    )


def form_token(request: Request, token: str) -> str:
    """The anti-forgery value of a candidate link's forms: HMAC(secret key, link)."""
    secret = revealed(web_context(request).application.settings.AIRECRUITER_SECRET_KEY)
    key = secret.encode() if secret else _PROCESS_KEY
    return hmac.new(key, b"candidate-form:" + token.encode(), hashlib.sha256).hexdigest()


def _same_origin(request: Request) -> bool:
    """False when the browser says the form came from another site (Origin, else Referer, when sent)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    # Our pages send no referrer, so browsers say `Origin: null` for their own forms: the HMAC decides then.
    if not origin or origin == "null":
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _contact_context(request: Request, link: CandidateLink | None) -> dict[str, Any]:
    d = desk(request)
    name = link.contact.name if link and link.contact else d.contact_name
    email = link.contact.email if link and link.contact else d.contact_email
    return {"company": d.company_name, "contact_name": name, "contact_email": email}


def _page(request: Request, template: str, link: CandidateLink, token: str, **extra: Any) -> Response:
    context = {"link": link, "token": token, "form_token": form_token(request, token), "error": None, **extra}
    return render(request, f"candidate/{template}", {**_contact_context(request, link), **context})


def _unknown(request: Request) -> Response:
    """The same page for every link we cannot open: whom to contact, nothing more."""
    return render(request, "candidate/unknown.html", _contact_context(request, None), status_code=404)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


async def _link(request: Request, token: str) -> CandidateLink | None:
    return await open_candidate_link(desk(request), token)


@router.get("/candidate/{token}")
async def candidate_home(token: str, request: Request) -> Response:
    """What the AI assesses and the candidate's choices."""
    link = await _link(request, token)
    return _unknown(request) if link is None else _page(request, "home.html", link, token)


@router.get("/candidate/{token}/person")
async def person_page(token: str, request: Request) -> Response:
    """The confirmation page for "I would rather be assessed by a person"."""
    link = await _link(request, token)
    return _unknown(request) if link is None else _page(request, "person.html", link, token)


@router.post("/candidate/{token}/person")
async def person_confirm(token: str, request: Request) -> Response:
    """Confirm: the application goes to a person; then the "what happens next" page."""
    link = await _link(request, token)
    if link is None:
        return _unknown(request)
    try:
        fields = await _form(request)
    except BodyTooLargeError:
        return _refused(request, "person.html", link, token, 413)
    if not _form_ok(request, token, fields):
        return _refused(request, "person.html", link, token, 403)
    try:
        await request_human_review(
            desk(request), application_id=link.application_id, source="candidate", actor="candidate"
        )
    except RequestSubjectGoneError:
        return _unknown(request)
    return _see_other(f"/candidate/{token}/next?done=person")


@router.get("/candidate/{token}/accommodation")
async def accommodation_page(token: str, request: Request) -> Response:
    """The accommodation form."""
    link = await _link(request, token)
    if link is None:
        return _unknown(request)
    return _page(request, "accommodation.html", link, token, limit=MAX_ACCOMMODATION_TEXT, draft="")


@router.post("/candidate/{token}/accommodation")
async def accommodation_send(token: str, request: Request) -> Response:
    """Register the request; "what happens next", or the form again with what to change."""
    link = await _link(request, token)
    if link is None:
        return _unknown(request)
    try:
        fields = await _form(request)
    except BodyTooLargeError:
        return _accommodation_again(request, link, token, "", FORM_REFUSED, 413)
    text = fields.get("request", "")
    if not _form_ok(request, token, fields):
        return _accommodation_again(request, link, token, text, FORM_REFUSED, 403)
    try:
        await request_accommodation(
            desk(request),
            application_id=link.application_id,
            request_text=text,
            with_human_review=fields.get("person") == "yes",
        )
    except RequestSubjectGoneError:
        return _unknown(request)
    except ValidationError as exc:
        return _accommodation_again(request, link, token, text, exc.message, 422)
    return _see_other(f"/candidate/{token}/next?done=accommodation")


@router.get("/candidate/{token}/next")
async def next_page(token: str, request: Request, done: str = "") -> Response:
    """What happens next and whom to contact; sends any request email still waiting."""
    link = await _link(request, token)
    if link is None:
        return _unknown(request)
    waiting = await emails_waiting(desk(request), application_id=link.application_id)
    done = done if done in ("person", "accommodation") else ""
    return _page(request, "next.html", link, token, done=done, email_waiting=waiting)


@router.get("/interview/{token}/person")
async def from_interview(token: str, request: Request) -> Response:
    """The welcome page's "I would rather be assessed by a person": a candidate link, then its page."""
    candidate_token = await candidate_link_for_interview(desk(request), token)
    if candidate_token is None:
        return _unknown(request)
    return _see_other(f"/candidate/{candidate_token}/person")


def _refused(request: Request, template: str, link: CandidateLink, token: str, status: int) -> Response:
    log.info("candidate_form_refused", application_id=link.application_id, status=status)
    response = _page(request, template, link, token, error=FORM_REFUSED)
    response.status_code = status
    return response


def _accommodation_again(
    request: Request, link: CandidateLink, token: str, draft: str, error: str, status: int
) -> Response:
    response = _page(request, "accommodation.html", link, token, limit=MAX_ACCOMMODATION_TEXT, draft=draft, error=error)
    response.status_code = status
    return response


def _form_ok(request: Request, token: str, fields: dict[str, str]) -> bool:
    expected = form_token(request, token)
    return _same_origin(request) and hmac.compare_digest(fields.get("form_token", ""), expected)


async def _form(request: Request) -> dict[str, str]:
    """The url-encoded form's fields (first value each); empty when the body is not such a form."""
    body = await read_capped_body(request, MAX_FORM_BYTES)
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {}
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return {}
    return {name: values[0] for name, values in parsed.items() if values}
