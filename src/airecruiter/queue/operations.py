"""Operator actions and read models of the queue: dead letter, cancel, counts, history, pruning.

The actions are generic: each calls the caller's `audit` hook inside its transaction with what it
did (`ItemAction`), so the use-case layer (`services.queue_admin`) records it in its own log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.errors import ValidationError
from airecruiter.queue import operator_statements as sql
from airecruiter.queue.failures import FailureGroup, group_failures
from airecruiter.queue.jobs import NOTIFY_CHANNEL, QUEUE_STATES, Priority


@dataclass(frozen=True)
class QueueItemView:
    """One queue item as an operator sees it."""

    id: int
    job_type: str
    application_id: int | None
    requisition_id: int | None
    priority: int
    status: str
    attempts: int
    max_attempts: int
    last_error: str | None
    created_at: datetime
    scheduled_for: datetime
    locked_by: str | None
    enqueued_by: str


@dataclass(frozen=True)
class JobRunView:
    """One finished attempt from the job history."""

    queue_item_id: int
    job_type: str
    attempt: int
    outcome: str
    error: str | None
    worker: str | None
    started_at: datetime | None
    finished_at: datetime
    duration_ms: float | None
    application_id: int | None = None
    requisition_id: int | None = None


MAX_BULK_ITEMS = 500


@dataclass(frozen=True)
class ItemAction:
    """What an operator's action did to one item: the item as it was, and where its job is now."""

    item: QueueItemView
    action: str  # retried, skipped or cancelled
    now_item: int | None = None  # a retry: the item that carries the job now (itself, or a live twin)


# Called inside the action's transaction, so the action and its record commit together.
AuditHook = Callable[[AsyncConnection, ItemAction], Awaitable[None]]


async def _no_audit(_conn: AsyncConnection, _done: ItemAction) -> None:
    return None


@dataclass(frozen=True)
class BulkOutcome:
    """What a bulk retry or skip did: the items acted on, and why each other one was refused."""

    done: list[int]
    refused: list[tuple[int, str]]


def _filters(
    status: str | None, job_type: str | None, application_id: int | None, requisition_id: int | None
) -> dict[str, Any]:
    if status is not None and status not in QUEUE_STATES:
        raise ValidationError(f"Unknown queue state {status!r}; use one of {', '.join(QUEUE_STATES)}.")
    return {"status": status, "job_type": job_type, "application_id": application_id, "requisition_id": requisition_id}


class QueueOperations:
    """What an operator (CLI or admin console) does to the queue; each action calls its audit hook."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def counts(self) -> dict[str, int]:
        """Items per state, every state present."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(sql.COUNT_BY_STATUS)
            found = {row[0]: int(row[1]) for row in rows}
        return {state: found.get(state, 0) for state in QUEUE_STATES}

    async def last_successful_job(self) -> datetime | None:
        """When a job last completed."""
        async with self.engine.connect() as conn:
            finished: datetime | None = await conn.scalar(sql.SELECT_LAST_COMPLETION)
        return finished

    async def oldest_pending_age_seconds(self) -> float:
        """How long the longest-waiting due item has waited (0 with none)."""
        async with self.engine.connect() as conn:
            age = await conn.scalar(sql.SELECT_OLDEST_DUE_AGE)
        return float(age or 0.0)

    async def list_items(
        self,
        *,
        status: str | None = None,
        job_type: str | None = None,
        limit: int = 50,
        offset: int = 0,
        application_id: int | None = None,
        requisition_id: int | None = None,
    ) -> list[QueueItemView]:
        """Items filtered by state, job type and subject, newest first."""
        params = _filters(status, job_type, application_id, requisition_id)
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                sql.SELECT_ITEMS,
                {**params, "limit": limit, "offset": offset},
            )
            return [QueueItemView(**row._mapping) for row in rows]

    async def count_items(
        self,
        *,
        status: str | None = None,
        job_type: str | None = None,
        application_id: int | None = None,
        requisition_id: int | None = None,
    ) -> int:
        """How many items `list_items` would page through with the same filters."""
        params = _filters(status, job_type, application_id, requisition_id)
        async with self.engine.connect() as conn:
            total = await conn.scalar(sql.COUNT_ITEMS, params)
        return int(total or 0)

    async def dead_letter_groups(self, *, limit: int = 20) -> list[FailureGroup]:
        """The dead letter grouped by failure identity (job type, error class, normalised message)."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(sql.SELECT_DEAD_ITEMS)
            items = [(int(r[0]), str(r[1]), r[2], r[3]) for r in rows]
        return group_failures(items)[:limit]

    async def histories(self, item_ids: Sequence[int]) -> dict[int, list[JobRunView]]:
        """The recorded attempts of several items in one query, oldest first per item."""
        found: dict[int, list[JobRunView]] = {item_id: [] for item_id in item_ids}
        if not found:
            return found
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                sql.SELECT_RUNS_OF_ITEMS,
                {"ids": list(found)},
            )
            for row in rows:
                found[int(row.queue_item_id)].append(JobRunView(**row._mapping))
        return found

    async def get(self, item_id: int) -> QueueItemView | None:
        """One item by id."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    sql.SELECT_ITEM,
                    {"id": item_id},
                )
            ).first()
        return QueueItemView(**row._mapping) if row else None

    async def history(self, item_id: int) -> list[JobRunView]:
        """Every recorded attempt of an item, oldest first: the dead letter's story."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                sql.SELECT_RUNS_OF_ITEM,
                {"id": item_id},
            )
            return [JobRunView(**row._mapping) for row in rows]

    async def retry(self, item_id: int, *, actor: str, audit: AuditHook = _no_audit) -> QueueItemView:
        """Send a dead (or skipped) item back to the queue: attempts reset, manual priority."""
        try:
            return await self._retry(item_id, actor=actor, audit=audit)
        except IntegrityError as exc:
            # The same job was enqueued between our duplicate check and the update.
            raise ValidationError(
                f"The job of queue item {item_id} was queued again at this moment; retry once more."
            ) from exc

    async def _retry(self, item_id: int, *, actor: str, audit: AuditHook) -> QueueItemView:
        async with self.engine.begin() as conn:
            item = await _locked_item(conn, item_id, {"dead", "skipped"}, "retried")
            live = await conn.scalar(
                sql.LOCK_LIVE_TWIN,
                {"t": item.job_type, "a": item.application_id, "r": item.requisition_id},
            )
            if live is not None:
                # The same work is already queued again; lift that item instead of a duplicate.
                await conn.execute(
                    sql.RAISE_PRIORITY,
                    {"p": int(Priority.MANUAL), "id": live},
                )
                await _end_item(conn, item, "retried", actor, f"already queued again as item {live}")
                target = int(live)
            else:
                await conn.execute(
                    sql.REQUEUE_ITEM,
                    {"p": int(Priority.MANUAL), "actor": actor, "id": item_id},
                )
                await _run(conn, item, "retried", actor, "sent back to the queue by an operator")
                target = item_id
            await audit(conn, ItemAction(item, "retried", now_item=target))
            await conn.execute(sql.NOTIFY, {"channel": NOTIFY_CHANNEL, "payload": item.job_type})
        result = await self.get(target)
        assert result is not None
        return result

    async def skip(self, item_id: int, *, actor: str, reason: str = "", audit: AuditHook = _no_audit) -> ItemAction:
        """End a dead item as skipped; the scheduler will not bring that job back by itself."""
        async with self.engine.begin() as conn:
            item = await _locked_item(conn, item_id, {"dead"}, "skipped")
            await conn.execute(sql.SKIP_ITEM, {"id": item_id})
            await _run(conn, item, "skipped", actor, reason or "skipped by an operator")
            done = ItemAction(item, "skipped")
            await audit(conn, done)
        return done

    async def retry_many(self, item_ids: Sequence[int], *, actor: str, audit: AuditHook = _no_audit) -> BulkOutcome:
        """Retry each item in its own transaction (each audited); one refusal does not stop the rest."""
        return await each_item(item_ids, lambda item_id: self.retry(item_id, actor=actor, audit=audit))

    async def skip_many(
        self, item_ids: Sequence[int], *, actor: str, reason: str = "", audit: AuditHook = _no_audit
    ) -> BulkOutcome:
        """Skip each item in its own transaction (each audited); one refusal does not stop the rest."""
        return await each_item(item_ids, lambda item_id: self.skip(item_id, actor=actor, reason=reason, audit=audit))

    async def cancel(self, item_id: int, *, actor: str, audit: AuditHook = _no_audit) -> str:
        """Cancel an item: a waiting one ends now as skipped, a running one is stopped by its worker."""
        async with self.engine.begin() as conn:
            item = await _locked_item(conn, item_id, {"pending", "failed", "running"}, "cancelled")
            if item.status == "running":
                await conn.execute(sql.REQUEST_CANCEL, {"id": item_id})
                await conn.execute(
                    sql.NOTIFY,
                    {"channel": NOTIFY_CHANNEL, "payload": f"cancel:{item_id}"},
                )
                outcome = "cancel requested; the worker stops the job and records it"
            else:
                await conn.execute(sql.CANCEL_WAITING, {"id": item_id, "actor": actor})
                outcome = "cancelled; it stays as skipped until someone retries it"
            await audit(conn, ItemAction(item, "cancelled"))
        return outcome

    async def prune_job_runs(self, *, older_than_days: int) -> int:
        """Delete job history older than the retention period."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                sql.DELETE_RUNS_OLDER_THAN,
                {"days": older_than_days},
            )
        return int(result.rowcount or 0)


async def each_item(item_ids: Sequence[int], act: Callable[[int], Awaitable[object]]) -> BulkOutcome:
    """Act on each item (at most MAX_BULK_ITEMS); a refusal (ValidationError) is noted, the rest go on."""
    unique = list(dict.fromkeys(item_ids))
    if len(unique) > MAX_BULK_ITEMS:
        raise ValidationError(
            f"At most {MAX_BULK_ITEMS} items can be changed at once; "
            f"{len(unique)} were selected. Select fewer and repeat."
        )
    outcome = BulkOutcome(done=[], refused=[])
    for item_id in unique:
        try:
            await act(item_id)
        except ValidationError as error:
            outcome.refused.append((item_id, error.message))
        else:
            outcome.done.append(item_id)
    return outcome


async def _locked_item(conn: AsyncConnection, item_id: int, allowed: set[str], verb: str) -> QueueItemView:
    row = (
        await conn.execute(
            sql.LOCK_ITEM,
            {"id": item_id},
        )
    ).first()
    if row is None:
        raise ValidationError(f"Queue item {item_id} does not exist (it may have completed already).")
    if row.status not in allowed:
        raise ValidationError(
            f"Queue item {item_id} is {row.status}; only {' or '.join(sorted(allowed))} items can be {verb}."
        )
    return QueueItemView(**row._mapping)


async def _run(conn: AsyncConnection, item: QueueItemView, outcome: str, actor: str, note: str) -> None:
    await conn.execute(
        sql.INSERT_RUN,
        {
            "id": item.id,
            "t": item.job_type,
            "a": item.application_id,
            "r": item.requisition_id,
            "n": item.attempts,
            "o": outcome,
            "e": note,
            "w": actor,
        },
    )


async def _end_item(conn: AsyncConnection, item: QueueItemView, outcome: str, actor: str, note: str) -> None:
    await conn.execute(sql.DELETE_ITEM, {"id": item.id})
    await _run(conn, item, outcome, actor, note)
