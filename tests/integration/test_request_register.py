"""The request register: a request is recorded with its due date and closed with who handled it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.request_register import clear_request_texts, close_request, due_date, record_request
from tests.integration.application_fixtures import seed_application


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.datetime(2026, 1, 15, 9, tzinfo=dt.UTC), dt.date(2026, 2, 15)),
        (dt.datetime(2026, 1, 31, 9, tzinfo=dt.UTC), dt.date(2026, 2, 28)),
        (dt.datetime(2026, 12, 31, 9, tzinfo=dt.UTC), dt.date(2027, 1, 31)),
        (dt.datetime(2028, 1, 30, 9, tzinfo=dt.UTC), dt.date(2028, 2, 29)),
    ],
)
def test_a_request_is_due_one_calendar_month_after_receipt(received: dt.datetime, due: dt.date) -> None:
    assert due_date(received) == due


async def test_a_request_is_registered_open_then_closed_by_a_person(db: AsyncEngine) -> None:
    seeded = await seed_application(db, name="Reg Ister", status="analyzed")
    received = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
    async with db.begin() as conn:
        request_id = await record_request(
            conn,
            kind="accommodation",
            application_id=seeded.application_id,
            request_text="Extra time, please",
            received_at=received,
        )
        await close_request(conn, request_id=request_id, status="done", handled_by="rita", outcome={"note": "granted"})
    async with db.connect() as conn:
        row = (await conn.execute(text("SELECT * FROM candidate_requests WHERE id = :id"), {"id": request_id})).one()
    assert (row.kind, row.status, row.handled_by, row.due_on) == ("accommodation", "done", "rita", dt.date(2026, 4, 10))
    assert row.requisition_id is not None and row.handled_at is not None and row.outcome == {"note": "granted"}

    async with db.begin() as conn:
        await clear_request_texts(conn, [seeded.application_id])
        await conn.execute(text("DELETE FROM applications WHERE id = :id"), {"id": seeded.application_id})
    async with db.connect() as conn:
        row = (await conn.execute(text("SELECT * FROM candidate_requests WHERE id = :id"), {"id": request_id})).one()
    assert row.request_text is None and row.application_id is None and row.kind == "accommodation"


async def test_an_unknown_kind_or_status_is_refused_before_the_database(db: AsyncEngine) -> None:
    async with db.begin() as conn:
        with pytest.raises(ValueError, match="kind"):
            await record_request(conn, kind="complaint", application_id=None)
        with pytest.raises(ValueError, match="closed"):
            await close_request(conn, request_id=1, status="open", handled_by="rita")
