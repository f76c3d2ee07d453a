"""The interview welcome page shows the active `welcome` candidate text, filled in and escaped."""

from __future__ import annotations

import httpx
import lxml.html

from airecruiter.db.prompts import seed_default_prompts
from airecruiter.services import candidate_texts
from tests.integration.admin_fixtures import Console
from tests.integration.interview_fixtures import RECRUITER_EMAIL, seed_interview


def _main(response: httpx.Response) -> str:
    doc = lxml.html.fromstring(response.text)
    return " ".join(" ".join(n.text_content().split()) for n in doc.xpath("//main"))


async def test_the_welcome_page_shows_the_active_welcome_text_escaped(console: Console) -> None:
    await seed_default_prompts(console.db)
    seeded = await seed_interview(console.db)
    async with httpx.AsyncClient(base_url=console.url, follow_redirects=False, timeout=30) as client:
        default = _main(await client.get(f"/interview/{seeded.token}"))
        assert "This interview for Backend Engineer at Acme Logistics is conducted by an AI interviewer" in default
        assert f"write to {RECRUITER_EMAIL}" in default
        await candidate_texts.save_new_version(
            console.db,
            kind="welcome",
            content="Welcome to the {role} interview <script>alert(1)</script>.\n\nKept {retention_days} days.",
            actor="console:admin",
            activate=True,
        )
        page = await client.get(f"/interview/{seeded.token}")
    assert "<script>alert(1)</script>" not in page.text
    shown = _main(page)
    assert "Welcome to the Backend Engineer interview <script>alert(1)</script>." in shown
    assert "Kept 730 days." in shown and "conducted by an AI interviewer. It asks" not in shown
