"""An admin answers an access request and works the request register in real Chromium (axe-checked)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

from playwright.async_api import Page, expect
from sqlalchemy import text

from airecruiter.db.request_register import record_request
from tests.browser.test_admin_console import _look, console
from tests.integration.admin_fixtures import PASSWORD
from tests.integration.application_fixtures import StorageConsole, seed_application

__all__ = ["console"]  # fixture used by name


async def test_an_admin_exports_a_candidate_and_closes_a_request_from_the_register(
    console: StorageConsole, tab: Page, tmp_path: Path
) -> None:
    seeded = await seed_application(console.db, name="Nadia Export", status="complete", storage=console.storage)
    async with console.db.begin() as conn:
        waiting = await record_request(
            conn,
            kind="accommodation",
            application_id=seeded.application_id,
            request_text="Larger text, please",
            received_at=dt.datetime(2020, 3, 2, 9, tzinfo=dt.UTC),
        )
    await tab.goto(f"{console.url}/admin/login")
    await tab.get_by_label("Username").fill("ada")
    await tab.get_by_label("Password").fill(PASSWORD)
    await tab.get_by_label("Password").press("Enter")

    await tab.goto(f"{console.url}/admin/applications/{seeded.application_id}")
    async with tab.expect_download() as downloading:
        await tab.get_by_role("button", name="Export the candidate's data (ZIP)").click()
    saved = tmp_path / "export.zip"
    await (await downloading.value).save_as(saved)
    archive = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
    assert json.loads(archive.read("records/applications.json"))[0]["candidate_name"] == "Nadia Export"

    await tab.get_by_role("link", name="Requests").click()
    await expect(tab.locator("h1")).to_have_text("Candidate requests")
    row = tab.locator(f"#request-{waiting}")
    await expect(row.get_by_text("overdue")).to_be_visible()
    await expect(tab.get_by_role("cell", name="Access (copy of their data)")).to_be_visible()
    await _look(tab, "requests")
    await row.get_by_label("Note").fill("Large-print version sent")
    await row.get_by_role("button", name="Done").click()
    await expect(tab.locator(".notice")).to_contain_text(f"Request {waiting} is closed as done")
    await expect(tab.locator(f"#request-{waiting}")).to_contain_text("Large-print version sent")
    async with console.db.connect() as conn:
        closed = await conn.scalar(text("SELECT status FROM candidate_requests WHERE id = :id"), {"id": waiting})
    assert closed == "done"
