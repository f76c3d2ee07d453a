"""The admin's erasure in the console: confirm, erase, receipt; refused under a legal hold; admins only."""

from __future__ import annotations

from airecruiter.services.erasure import hold_application_or_requisition
from tests.integration import application_fixtures
from tests.integration.admin_fixtures import AdminClient
from tests.integration.application_fixtures import StorageConsole, seed_application
from tests.integration.erasure_fixtures import files_under, scalar

console, admin, recruiter = application_fixtures.console, application_fixtures.admin, application_fixtures.recruiter


async def test_an_admin_confirms_and_the_candidate_is_erased_with_a_receipt(
    console: StorageConsole, admin: AdminClient
) -> None:
    seeded = await seed_application(console.db, status="complete", storage=console.storage, name="Grace Hopper")
    page = await admin.get(f"/admin/applications/{seeded.application_id}")
    assert f"/admin/applications/{seeded.application_id}/erase" in page.text
    confirm = await admin.get(f"/admin/applications/{seeded.application_id}/erase")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text

    unconfirmed = await admin.post(f"/admin/applications/{seeded.application_id}/erase", {"reason": "Asked"})
    assert unconfirmed.status_code == 422 and "Tick the confirmation" in unconfirmed.text
    assert await scalar(console.db, "SELECT count(*) FROM applications") == 1

    erased = await admin.post(
        f"/admin/applications/{seeded.application_id}/erase", {"reason": "Asked by letter", "confirm": "yes"}
    )

    assert erased.status_code == 303
    receipt = await admin.get(erased.headers["location"])
    assert receipt.status_code == 200 and "Asked by letter" in receipt.text and "Grace Hopper" not in receipt.text
    assert "console:admin-user" in receipt.text
    assert await scalar(console.db, "SELECT count(*) FROM applications") == 0
    assert files_under(console.storage.root) == []
    pdf = await admin.get(erased.headers["location"] + ".pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    data = (await admin.get(erased.headers["location"] + ".json")).json()
    assert data["contents"]["applications"] == 1 and data["contents"]["uploaded_to_workday"]


async def test_under_a_legal_hold_the_console_refuses_with_the_reason(
    console: StorageConsole, admin: AdminClient, recruiter: AdminClient
) -> None:
    seeded = await seed_application(console.db, status="analyzed", storage=console.storage)
    await hold_application_or_requisition(
        console.db, reason="Tribunal case 77", actor="admin", application_id=seeded.application_id, requisition_id=None
    )
    assert (await recruiter.get(f"/admin/applications/{seeded.application_id}/erase")).status_code == 403

    refused = await admin.post(
        f"/admin/applications/{seeded.application_id}/erase", {"reason": "Asked", "confirm": "yes"}
    )

    assert refused.status_code == 303
    page = await admin.get(refused.headers["location"])
    assert "Erasure refused" in page.text and "Tribunal case 77" in page.text
    assert await scalar(console.db, "SELECT status FROM candidate_requests WHERE kind = 'erasure'") == "on_hold"
    assert await scalar(console.db, "SELECT count(*) FROM applications") == 1
