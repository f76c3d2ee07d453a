"""The demo's candidate who would rather be assessed by a person: through the real HTTP candidate pages.

From the first invitation whose interview has not started, the candidate follows the email's own
link ("I would rather be assessed by a person"), opens the confirmation page and confirms with its
form, as a browser without JavaScript would. The demo's table then shows them as `human_review`.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage

import httpx

from airecruiter.sandbox.candidate_simulator import Invitation

_FORM_TOKEN = re.compile(r'name="form_token" value="([0-9a-f]{64})"')


def _candidate_link(invitation: Invitation, frontend_url: str) -> str | None:
    """The path of the candidate page the invitation email carries, or None."""
    message = email.message_from_bytes(invitation.source.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(preferencelist=("plain",))
    text = str(body.get_content()) if body is not None else ""
    found = re.search(re.escape(frontend_url.rstrip("/")) + r"(/candidate/[A-Za-z0-9_-]{16,128})", text)
    return None if found is None else found.group(1)


async def choose_a_person(base_url: str, frontend_url: str, invitations: list[Invitation]) -> Invitation | None:
    """The first candidate with an untouched invitation asks for a person; their invitation, or None."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        for invitation in invitations:
            path = _candidate_link(invitation, frontend_url)
            welcome = await http.get(f"/interview/{invitation.token}")
            if path is None or welcome.status_code != 200 or "Start the interview" not in welcome.text:
                continue
            page = await http.get(f"{path}/person")
            token = _FORM_TOKEN.search(page.text)
            if token is None:
                continue
            confirmed = await http.post(f"{path}/person", data={"form_token": token.group(1)})
            if confirmed.status_code == 303:
                return invitation
    return None
