"""The de-identified outcome row: rebuilt from the live tables, kept when the application goes."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.candidate_tokens import application_for_token, mint_candidate_token
from airecruiter.db.outcomes import forget_demographics, refresh_outcome
from tests.integration.application_fixtures import seed_application


async def _outcome(db: AsyncEngine, application_id: int) -> dict[str, object]:
    async with db.connect() as conn:
        row = (
            await conn.execute(text("SELECT * FROM outcomes WHERE application_id = :id"), {"id": application_id})
        ).one()
    return dict(row._mapping)


async def test_outcome_carries_the_scores_decisions_and_category_but_no_identity(db: AsyncEngine) -> None:
    seeded = await seed_application(db, name="Ana Outcome", status="complete", risk=0.25, human_decision="advanced")
    application_id = seeded.application_id
    async with db.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO demographics (application_id, sex, race_ethnicity, source)"
                " VALUES (:id, 'Female', 'Asian', 'import')"
            ),
            {"id": application_id},
        )
        await conn.execute(
            text(
                "INSERT INTO decisions (application_id, decision, reason_code, decided_by)"
                " VALUES (:id, 'hold', 'more_info', 'rita')"
            ),
            {"id": application_id},
        )
        await refresh_outcome(conn, application_id)
    row = await _outcome(db, application_id)
    assert row["resume_risk"] == 0.25 and row["overall_score"] is not None and row["ai_recommendation"]
    assert row["interview_state"] == "completed" and row["exclusion"] is None
    assert (row["workday_decision"], row["console_decision"]) == ("advanced", "hold")
    assert (row["sex"], row["race_ethnicity"]) == ("Female", "Asian")
    assert "Ana Outcome" not in repr(row) and "@" not in repr(row)

    async with db.begin() as conn:
        await conn.execute(text("DELETE FROM applications WHERE id = :id"), {"id": application_id})
        await refresh_outcome(conn, application_id)  # nothing to rebuild from: the row stays as it was
    assert (await _outcome(db, application_id))["resume_risk"] == 0.25

    async with db.begin() as conn:
        await forget_demographics(conn, [application_id])
    row = await _outcome(db, application_id)
    assert (row["sex"], row["race_ethnicity"], row["resume_risk"]) == ("unknown", "unknown", 0.25)


async def test_a_person_review_excludes_the_application_and_an_unscored_one_has_no_scores(db: AsyncEngine) -> None:
    seeded = await seed_application(db, name="Ben Person", status="new", risk=None)
    async with db.begin() as conn:
        await conn.execute(
            text("UPDATE applications SET status = 'human_review' WHERE id = :id"), {"id": seeded.application_id}
        )
        await refresh_outcome(conn, seeded.application_id)
    row = await _outcome(db, seeded.application_id)
    assert row["exclusion"] == "human_review" and row["resume_risk"] is None and row["scored_on"] is None
    assert (row["sex"], row["race_ethnicity"]) == ("unknown", "unknown")


async def test_candidate_links_open_their_application_until_its_data_is_deleted(db: AsyncEngine) -> None:
    seeded = await seed_application(db, name="Cy Token", status="analyzed")
    async with db.begin() as conn:
        first = await mint_candidate_token(conn, seeded.application_id)
        second = await mint_candidate_token(conn, seeded.application_id)
    assert first != second
    async with db.connect() as conn:
        assert await application_for_token(conn, first) == seeded.application_id
        assert await application_for_token(conn, second) == seeded.application_id
        assert await application_for_token(conn, first + "x") is None
        assert await application_for_token(conn, "") is None
        stored = (await conn.execute(text("SELECT token_hash FROM candidate_tokens"))).scalars().all()
    assert first not in stored and second not in stored
    async with db.begin() as conn:
        await conn.execute(text("DELETE FROM applications WHERE id = :id"), {"id": seeded.application_id})
    async with db.connect() as conn:
        assert await application_for_token(conn, first) is None
