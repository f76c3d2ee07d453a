"""The claim statement's query plan: an ordered walk of the claim index, whatever the statistics.

A claim runs every few seconds per worker; a plan that scans or sorts the whole queue table would
make every claim as slow as the table is big. These tests EXPLAIN the real claim statement over a
`queue_items` table built by the migration itself (see the `scratch_queue` fixture).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.queue import statements as sql
from tests.conftest import make_requisitions
from tests.integration.conftest import JOB_TYPES, WORKER

# What a worker with three free slots that runs every job type asks for.
CLAIM_PARAMS = {"worker": WORKER, "lease": 60.0, "job_types": list(JOB_TYPES), "limit": 3}

# A queue in everyday use: a history of dead and skipped items, a backlog of due work, retries
# waiting for their time, and jobs running under a lease.
_REALISTIC = [
    """INSERT INTO queue_items (job_type, requisition_id, priority, status, attempts, max_attempts,
                                last_error, created_at, scheduled_for)
       SELECT (CAST(:types AS text[]))[1 + g % 6], (CAST(:reqs AS bigint[]))[1 + g % 300], 10,
              CASE WHEN g % 4 = 0 THEN 'skipped' ELSE 'dead' END, 3, 3, 'NetworkError: timed out',
              now() - make_interval(hours => g), now() - make_interval(hours => g)
         FROM generate_series(1, 1000) AS g""",
    """INSERT INTO queue_items (job_type, requisition_id, priority, status, attempts, max_attempts,
                                scheduled_for, locked_by, locked_until, started_at)
       SELECT t.job_type, r.id,
              CASE WHEN r.n % 50 = 0 THEN 20 WHEN r.n % 7 = 0 THEN 0 ELSE 10 END,
              CASE WHEN r.n % 15 = 0 THEN 'running' WHEN r.n % 7 = 0 THEN 'failed' ELSE 'pending' END,
              CASE WHEN r.n % 7 = 0 OR r.n % 15 = 0 THEN 1 ELSE 0 END, 3,
              CASE WHEN r.n % 7 = 0 THEN now() + interval '5 minutes'
                   ELSE now() - make_interval(secs => r.n) END,
              CASE WHEN r.n % 15 = 0 THEN 'host-b:7' END,
              CASE WHEN r.n % 15 = 0 THEN now() + interval '1 minute' END,
              CASE WHEN r.n % 15 = 0 THEN now() END
         FROM unnest(CAST(:reqs AS bigint[])) WITH ORDINALITY AS r(id, n)
        CROSS JOIN unnest(CAST(:some_types AS text[])) AS t(job_type)""",
]


async def _fill_realistic(conn: AsyncConnection, reqs: list[int]) -> None:
    params = {"types": list(JOB_TYPES), "reqs": reqs, "some_types": ["sync", "analyze"]}
    for statement in _REALISTIC:
        await conn.execute(text(statement), params)


def _nodes(node: dict[str, Any], inside: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every plan node with the name of the sub-plan it belongs to ('' for the main plan)."""
    here = node.get("Subplan Name", inside)
    yield here, node
    for child in node.get("Plans", []):
        yield from _nodes(child, here)


async def _claim_plan(conn: AsyncConnection) -> list[tuple[str, dict[str, Any]]]:
    raw = await conn.scalar(text("EXPLAIN (FORMAT JSON) " + sql.CLAIM.text), CLAIM_PARAMS)
    plan = json.loads(raw) if isinstance(raw, str) else raw
    return list(_nodes(plan[0]["Plan"]))


def _assert_claim_uses_the_claim_index(plan: list[tuple[str, dict[str, Any]]], *, in_order: bool = True) -> None:
    shown = json.dumps([(where, n["Node Type"], n.get("Relation Name"), n.get("Index Name")) for where, n in plan])
    scans = [n for _, n in plan if n.get("Relation Name") == "queue_items"]
    assert scans, shown
    assert not any(n["Node Type"] == "Seq Scan" for n in scans), shown
    picker = [n for where, n in plan if where.startswith("InitPlan")]
    assert "queue_items_claim_idx" in {n.get("Index Name") for n in picker}, shown
    if in_order:
        # The items to claim are read in claim order straight off the index: no sort of the
        # backlog, so a claim costs the same however long the queue is.
        assert [(n["Node Type"], n.get("Index Name")) for n in picker if n.get("Relation Name") == "queue_items"] == [
            ("Index Scan", "queue_items_claim_idx")
        ], shown
        assert not any(n["Node Type"] in ("Sort", "Incremental Sort") for n in picker), shown


async def _statistics(conn: AsyncConnection) -> tuple[float, int]:
    """(pg_class.reltuples, columns with statistics) of the queue table on the search path."""
    reltuples = await conn.scalar(text("SELECT reltuples FROM pg_class WHERE oid = to_regclass('queue_items')"))
    columns = await conn.scalar(
        text("SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'queue_items'")
    )
    return float(reltuples), int(columns)


async def test_claim_uses_the_claim_index_on_a_never_analysed_table(
    db: AsyncEngine, scratch_queue: AsyncConnection
) -> None:
    await _fill_realistic(scratch_queue, await make_requisitions(db, 300))
    reltuples, columns = await _statistics(scratch_queue)
    assert reltuples < 0 and columns == 0  # the planner knows nothing about this table
    # Without statistics the planner may prefer a bitmap of the claim index and a sort of the due
    # items (cheap while the table is young; autovacuum's first ANALYZE ends it), but it must
    # never read the whole table.
    _assert_claim_uses_the_claim_index(await _claim_plan(scratch_queue), in_order=False)


async def test_claim_uses_the_claim_index_once_statistics_exist(
    db: AsyncEngine, scratch_queue: AsyncConnection
) -> None:
    await _fill_realistic(scratch_queue, await make_requisitions(db, 300))
    await scratch_queue.execute(text("ANALYZE queue_items"))
    reltuples, columns = await _statistics(scratch_queue)
    assert reltuples > 1000 and columns > 0
    _assert_claim_uses_the_claim_index(await _claim_plan(scratch_queue))


async def _insert_burst(db: AsyncEngine, scratch: AsyncConnection, rows: int) -> None:
    """Insert `rows` pending items into the scratch table, split over a few connections."""
    schema = await scratch.scalar(text("SELECT current_schema()"))
    chunks = 4

    async def chunk(index: int) -> None:
        async with db.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.exec_driver_sql(f"SET search_path TO {schema}, public")
            try:
                await conn.execute(
                    text(
                        "INSERT INTO queue_items (job_type, priority, max_attempts)"
                        " SELECT 'burst_' || g, 10, 3"
                        " FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS g"
                    ),
                    {"first": index * rows // chunks + 1, "last": (index + 1) * rows // chunks},
                )
            finally:
                await conn.exec_driver_sql("RESET search_path")

    await asyncio.gather(*(chunk(i) for i in range(chunks)))


@pytest.mark.slow
async def test_claim_uses_the_claim_index_behind_a_million_dead_rows(
    db: AsyncEngine, scratch_queue: AsyncConnection
) -> None:
    reqs = await make_requisitions(db, 300)
    await _fill_realistic(scratch_queue, reqs)
    await scratch_queue.execute(text("ANALYZE queue_items"))  # statistics from before the burst
    # A burst of a million items, all processed (deleted) and never vacuumed.
    await _insert_burst(db, scratch_queue, 1_000_000)
    await scratch_queue.execute(text("DELETE FROM queue_items"))
    await scratch_queue.execute(
        text(
            "INSERT INTO queue_items (job_type, requisition_id, priority, max_attempts)"
            " SELECT 'analyze', r, 10, 3 FROM unnest(CAST(:reqs AS bigint[])) AS r"
        ),
        {"reqs": reqs[:5]},
    )
    pages = await scratch_queue.scalar(
        text("SELECT pg_relation_size(to_regclass('queue_items')) / current_setting('block_size')::int")
    )
    assert pages > 5000  # the dead rows really are still there
    _assert_claim_uses_the_claim_index(await _claim_plan(scratch_queue))
    # And the claim itself finds exactly the few live items.
    claimed = (await scratch_queue.execute(sql.CLAIM, {**CLAIM_PARAMS, "limit": 10})).all()
    assert sorted(row.requisition_id for row in claimed) == sorted(reqs[:5])


@pytest.mark.slow
async def test_claim_never_reads_the_whole_table_behind_a_million_dead_rows_once_analysed(
    db: AsyncEngine, scratch_queue: AsyncConnection
) -> None:
    reqs = await make_requisitions(db, 5)
    await _insert_burst(db, scratch_queue, 1_000_000)
    await scratch_queue.execute(text("DELETE FROM queue_items"))
    await scratch_queue.execute(
        text(
            "INSERT INTO queue_items (job_type, requisition_id, priority, max_attempts)"
            " SELECT 'analyze', r, 10, 3 FROM unnest(CAST(:reqs AS bigint[])) AS r"
        ),
        {"reqs": reqs},
    )
    # Statistics now describe a table of a few live rows spread over thousands of dead pages.
    await scratch_queue.execute(text("ANALYZE queue_items"))
    plan = await _claim_plan(scratch_queue)
    shown = json.dumps([(where, n["Node Type"], n.get("Index Name")) for where, n in plan])
    assert not any(n["Node Type"] == "Seq Scan" for _, n in plan), shown
    claimed = (await scratch_queue.execute(sql.CLAIM, {**CLAIM_PARAMS, "limit": 10})).all()
    assert sorted(row.requisition_id for row in claimed) == sorted(reqs)


async def test_a_capped_type_with_nothing_due_costs_one_probe_behind_another_types_backlog(
    db: AsyncEngine,
) -> None:
    reqs = await make_requisitions(db, 20_000)
    async with db.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO queue_items (job_type, requisition_id, priority, max_attempts)"
                " SELECT 'analyze', r, 10, 3 FROM unnest(CAST(:reqs AS bigint[])) AS r"
            ),
            {"reqs": reqs},
        )
    async with db.connect() as conn:
        await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(text("ANALYZE queue_items"))
    params = {
        "worker": WORKER,
        "lease": 60.0,
        "limit": 3,
        "free_types": ["send_interview"],
        "type_0": "sync",
        "cap_0": 2,
        "type_1": "analyze",
        "cap_1": 4,
    }
    async with db.begin() as conn:
        await conn.execute(sql.FORCE_CUSTOM_PLANS)
        raw = await conn.scalar(text("EXPLAIN (ANALYZE, FORMAT JSON) " + sql.claim_capped(2, True).text), params)
        await conn.rollback()
    plan = list(_nodes((json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]))
    sync_scans = [
        n
        for _, n in plan
        if n.get("Relation Name") == "queue_items"
        and "'sync'" in n.get("Index Cond", "") + n.get("Filter", "")
        and n["Node Type"] != "Aggregate"
        and "running" not in n.get("Index Cond", "") + n.get("Filter", "")
    ]
    shown = json.dumps([(n["Node Type"], n.get("Index Name"), n.get("Index Cond"), n.get("Filter")) for _, n in plan])
    assert sync_scans, shown
    # The empty capped type is looked up by an index keyed on the job type (an index condition, not
    # a filter applied while walking 20,000 analyze items in claim order).
    assert all("job_type = 'sync'" in n.get("Index Cond", "") for n in sync_scans), shown
    assert not any(n["Node Type"] == "Seq Scan" for _, n in plan), shown
