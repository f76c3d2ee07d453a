"""The SQL of an operator's actions and reads of the queue (`queue.operations`).

Written the one way `airecruiter.db.sql` describes: verb-named constants, every value bound.
The worker's, the manager's and the scheduler's statements are in `queue.statements`.
"""

from __future__ import annotations

from sqlalchemy import text

COUNT_BY_STATUS = text("SELECT status, count(*) FROM queue_items GROUP BY status")
SELECT_LAST_COMPLETION = text(
    "SELECT finished_at FROM job_runs WHERE outcome = 'completed' ORDER BY finished_at DESC LIMIT 1"
)
SELECT_OLDEST_DUE_AGE = text("""
    SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(scheduled_for)), 0)
      FROM queue_items WHERE status IN ('pending', 'failed') AND scheduled_for <= now()
""")
# The dead letter, each item with when it died (its last attempt, else when it was created).
SELECT_DEAD_ITEMS = text("""
    SELECT q.id, q.job_type, q.last_error, COALESCE(r.at, q.created_at) FROM queue_items q
      LEFT JOIN LATERAL (SELECT max(finished_at) AS at FROM job_runs WHERE queue_item_id = q.id) r ON true
     WHERE q.status = 'dead'
""")
# A live item of the same job (type and subject), locked: a retry lifts it instead of a duplicate.
LOCK_LIVE_TWIN = text("""
    SELECT id FROM queue_items WHERE job_type = :t AND status IN ('pending','running','failed')
       AND application_id IS NOT DISTINCT FROM :a AND requisition_id IS NOT DISTINCT FROM :r
       FOR UPDATE
""")
RAISE_PRIORITY = text("UPDATE queue_items SET priority = GREATEST(priority, :p) WHERE id = :id")
REQUEUE_ITEM = text("""
    UPDATE queue_items SET status = 'pending', attempts = 0, lost_leases = 0, priority = :p,
           cancel_requested = false, scheduled_for = now(), enqueued_by = :actor WHERE id = :id
""")
NOTIFY = text("SELECT pg_notify(:channel, :payload)")
SKIP_ITEM = text("UPDATE queue_items SET status = 'skipped' WHERE id = :id")
REQUEST_CANCEL = text("UPDATE queue_items SET cancel_requested = true WHERE id = :id")
DELETE_RUNS_OLDER_THAN = text("DELETE FROM job_runs WHERE finished_at < now() - make_interval(days => :days)")
INSERT_RUN = text("""
    INSERT INTO job_runs (queue_item_id, job_type, application_id, requisition_id, attempt, outcome, error, worker)
    VALUES (:id, :t, :a, :r, :n, :o, :e, :w)
""")
DELETE_ITEM = text("DELETE FROM queue_items WHERE id = :id")

CANCEL_WAITING = text("""
    WITH gone AS (
        UPDATE queue_items
           SET status = 'skipped', cancel_requested = false, locked_by = NULL, locked_until = NULL,
               last_error = 'Cancelled: by an operator before it ran'
         WHERE id = :id AND status IN ('pending', 'failed')
        RETURNING id, job_type, application_id, requisition_id, attempts, started_at)
    INSERT INTO job_runs (queue_item_id, job_type, application_id, requisition_id, attempt,
                          outcome, error, worker, started_at, duration_ms)
    SELECT id, job_type, application_id, requisition_id, attempts, 'cancelled',
           'Cancelled: by an operator before it ran', :actor, started_at, NULL FROM gone
    RETURNING queue_item_id
""")

# What an operator reads: items filtered by state, job type and subject (a filter left NULL matches
# every item; `CAST(...)`: asyncpg needs a type for a parameter that may be NULL), and their history.
SELECT_ITEMS = text("""
    SELECT id, job_type, application_id, requisition_id, priority, status, attempts, max_attempts,
           last_error, created_at, scheduled_for, locked_by, enqueued_by
      FROM queue_items
     WHERE (CAST(:status AS text) IS NULL OR status = :status)
       AND (CAST(:job_type AS text) IS NULL OR job_type = :job_type)
       AND (CAST(:application_id AS bigint) IS NULL OR application_id = :application_id)
       AND (CAST(:requisition_id AS bigint) IS NULL OR requisition_id = :requisition_id)
     ORDER BY id DESC LIMIT :limit OFFSET :offset
""")
COUNT_ITEMS = text("""
    SELECT count(*) FROM queue_items
     WHERE (CAST(:status AS text) IS NULL OR status = :status)
       AND (CAST(:job_type AS text) IS NULL OR job_type = :job_type)
       AND (CAST(:application_id AS bigint) IS NULL OR application_id = :application_id)
       AND (CAST(:requisition_id AS bigint) IS NULL OR requisition_id = :requisition_id)
""")
SELECT_ITEM = text("""
    SELECT id, job_type, application_id, requisition_id, priority, status, attempts, max_attempts,
           last_error, created_at, scheduled_for, locked_by, enqueued_by
      FROM queue_items WHERE id = :id
""")
LOCK_ITEM = text("""
    SELECT id, job_type, application_id, requisition_id, priority, status, attempts, max_attempts,
           last_error, created_at, scheduled_for, locked_by, enqueued_by
      FROM queue_items WHERE id = :id FOR UPDATE
""")
SELECT_RUNS_OF_ITEMS = text("""
    SELECT queue_item_id, job_type, attempt, outcome, error, worker, started_at, finished_at, duration_ms,
           application_id, requisition_id
      FROM job_runs WHERE queue_item_id = ANY(:ids) ORDER BY queue_item_id, finished_at, id
""")
SELECT_RUNS_OF_ITEM = text("""
    SELECT queue_item_id, job_type, attempt, outcome, error, worker, started_at, finished_at, duration_ms,
           application_id, requisition_id
      FROM job_runs WHERE queue_item_id = :id ORDER BY finished_at, id
""")
