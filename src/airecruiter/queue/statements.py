"""The queue's hand-written SQL. Each statement is one round trip; claims use the claim index.

Written the one way `airecruiter.db.sql` describes: verb-named constants, and the statements that
share a part composed from constant fragments.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sqlalchemy import TextClause, text

from airecruiter.db.sql import compose

# A claim marks the items its picker (a subquery of ids, in claim order) chose.
_CLAIM_PICKED = """
    UPDATE queue_items
       SET status = 'running', attempts = attempts + 1, locked_by = :worker,
           locked_until = now() + make_interval(secs => :lease), started_at = now()
     WHERE id = ANY(ARRAY("""
_CLAIMED = """))
       AND status IN ('pending', 'failed')
 RETURNING id, job_type, application_id, requisition_id, priority, attempts, max_attempts,
           lost_leases, created_at, scheduled_for"""

# `id = ANY(ARRAY(subquery))` keeps the plan an index scan in claim order even once statistics
# exist; `id IN (subquery)` flips to a hash join over the whole table.
CLAIM = compose(
    _CLAIM_PICKED,
    """
    SELECT id FROM queue_items
     WHERE status IN ('pending', 'failed') AND scheduled_for <= now() AND NOT cancel_requested
       AND job_type = ANY(CAST(:job_types AS text[]))
     ORDER BY priority DESC, scheduled_for, id
     LIMIT :limit
       FOR UPDATE SKIP LOCKED""",
    _CLAIMED,
)

# Job types with a cap on running items across every worker. Run under an advisory lock held
# for the transaction, so two claimers never both see the same free slot. The uncapped types
# wanted too are picked in the same statement, so one ORDER BY ranks every type in claim order.
# Each capped type gets a branch of its own with its name as a parameter, planned with the real
# value (plan_cache_mode = force_custom_plan in that transaction): an empty type then costs one
# probe of the per-type claim index, not a walk past every other type's backlog. Branch N's
# parameters and alias end in _N (see `numbered`).
_CAPPED_BRANCH = """
        SELECT * FROM (SELECT q.id, q.priority, q.scheduled_for FROM queue_items q
          WHERE q.job_type = :type_N AND q.status IN ('pending', 'failed') AND NOT q.cancel_requested
            AND q.scheduled_for <= now()
          ORDER BY q.priority DESC, q.scheduled_for, q.id
          LIMIT GREATEST(:cap_N - (SELECT count(*) FROM queue_items r
                                      WHERE r.status = 'running' AND r.job_type = :type_N), 0)
            FOR UPDATE SKIP LOCKED) AS capped_N"""

_UNCAPPED_BRANCH = """
        SELECT * FROM (SELECT q.id, q.priority, q.scheduled_for FROM queue_items q
          WHERE q.status IN ('pending', 'failed') AND q.scheduled_for <= now() AND NOT q.cancel_requested
            AND q.job_type = ANY(CAST(:free_types AS text[]))
          ORDER BY q.priority DESC, q.scheduled_for, q.id
          LIMIT :limit
            FOR UPDATE SKIP LOCKED) AS uncapped"""
_PICK_FROM_BRANCHES = "SELECT picked.id FROM ("
_PICKED_IN_CLAIM_ORDER = """) AS picked
     ORDER BY picked.priority DESC, picked.scheduled_for, picked.id LIMIT :limit"""
_UNION = "        UNION ALL"


def numbered(fragment: str, n: int) -> str:
    """The fragment with each name ending in `_N` (parameters, aliases) ending in `_n` instead."""
    return re.sub(r"\b(\w+)_N\b", rf"\1_{int(n)}", fragment)


@lru_cache(maxsize=16)
def claim_capped(capped_types: int, with_uncapped: bool) -> TextClause:
    """The claim over `capped_types` capped job types (params type_N, cap_N) and maybe uncapped ones."""
    branches = [numbered(_CAPPED_BRANCH, n) for n in range(capped_types)]
    if with_uncapped:
        branches.append(_UNCAPPED_BRANCH)
    between = [fragment for branch in branches for fragment in (_UNION, branch)][1:]
    return compose(_CLAIM_PICKED, _PICK_FROM_BRANCHES, *between, _PICKED_IN_CLAIM_ORDER, _CLAIMED)


FORCE_CUSTOM_PLANS = text("SET LOCAL plan_cache_mode = force_custom_plan")

# Held for a few milliseconds by one claimer at a time; the claim statement that follows takes
# a fresh snapshot, so it sees every item the previous holder marked running.
LOCK_LIMITED_CLAIMS = text("SELECT pg_advisory_xact_lock(:key)")

ENQUEUE = text("""
    WITH new AS (
        INSERT INTO queue_items AS q
               (job_type, application_id, requisition_id, priority, max_attempts, scheduled_for,
                enqueued_by)
        SELECT t.job_type, t.application_id, t.requisition_id, t.priority, :max_attempts,
               now() + make_interval(secs => t.delay), :enqueued_by
          FROM unnest(CAST(:job_types AS text[]), CAST(:application_ids AS bigint[]),
                      CAST(:requisition_ids AS bigint[]), CAST(:priorities AS smallint[]),
                      CAST(:delays AS float8[]))
               AS t(job_type, application_id, requisition_id, priority, delay)
        ON CONFLICT (job_type, application_id, requisition_id)
           WHERE status IN ('pending', 'running', 'failed')
        DO UPDATE SET priority = EXCLUDED.priority,
                      -- Only an admin's action cuts a retry's backoff short: the scheduler re-enqueues
                      -- every pass, and pulling each retry forward burnt the attempts in seconds.
                      scheduled_for = CASE WHEN q.status = 'failed' AND EXCLUDED.priority < 20
                                           THEN q.scheduled_for
                                           ELSE LEAST(q.scheduled_for, EXCLUDED.scheduled_for) END,
                      enqueued_by = EXCLUDED.enqueued_by
              WHERE EXCLUDED.priority > q.priority AND q.status <> 'running'
        RETURNING id, job_type, xmax = 0 AS created)
    SELECT id, created, pg_notify('airecruiter_queue', job_type) IS NULL AS notified FROM new
""")

COMPLETE_MANY = text("""
    WITH done AS (
        DELETE FROM queue_items q
         USING unnest(CAST(:ids AS bigint[]), CAST(:started AS timestamptz[]),
                      CAST(:durations AS float8[])) AS d(id, started_at, duration_ms)
         WHERE q.id = d.id AND q.locked_by = :worker AND q.status = 'running'
        RETURNING q.id, q.job_type, q.application_id, q.requisition_id, q.attempts,
                  d.started_at, d.duration_ms)
    INSERT INTO job_runs (queue_item_id, job_type, application_id, requisition_id, attempt,
                          outcome, worker, started_at, duration_ms)
    SELECT id, job_type, application_id, requisition_id, attempts, 'completed', :worker,
           started_at, duration_ms FROM done
    RETURNING queue_item_id
""")

FAIL = text("""
    WITH item AS (
        UPDATE queue_items
           SET status = :status, last_error = :error, max_attempts = :max_attempts,
               priority = CASE WHEN :status = 'failed' THEN :retry_priority ELSE priority END,
               scheduled_for = CASE WHEN :status = 'failed'
                                    THEN now() + make_interval(secs => :delay) ELSE scheduled_for END,
               locked_by = NULL, locked_until = NULL
         WHERE id = :id AND locked_by = :worker AND status = 'running'
        RETURNING id, job_type, application_id, requisition_id, attempts)
    INSERT INTO job_runs (queue_item_id, job_type, application_id, requisition_id, attempt,
                          outcome, error, worker, started_at, duration_ms, traceback, retry_policy)
    SELECT id, job_type, application_id, requisition_id, attempts, :status, :error, :worker,
           :started_at, :duration_ms, :traceback, :retry_policy FROM item
    RETURNING queue_item_id
""")

# An item's failures under one retry policy since an operator last sent it back to the queue
# (which resets its attempts): the count that policy's budget is compared with.
COUNT_POLICY_FAILURES = text("""
    SELECT count(*) FROM job_runs r
     WHERE r.queue_item_id = :id AND r.retry_policy = :retry_policy AND r.outcome IN ('failed', 'dead')
       AND r.id > COALESCE((SELECT max(o.id) FROM job_runs o
                             WHERE o.queue_item_id = :id AND o.outcome = 'retried'), 0)
""")

# The stored tracebacks of several items' failed attempts, for the console's history tables.
SELECT_RUN_TRACEBACKS = text("""
    SELECT queue_item_id, attempt, finished_at, traceback FROM job_runs
     WHERE queue_item_id = ANY(CAST(:ids AS bigint[])) AND traceback IS NOT NULL
""")

RENEW_LEASES = text("""
    UPDATE queue_items SET locked_until = now() + make_interval(secs => :lease)
     WHERE id = ANY(CAST(:ids AS bigint[])) AND locked_by = :worker AND status = 'running'
    RETURNING id, cancel_requested
""")

# An item whose worker was lost goes back to pending at once, its attempt not counted as a
# failure: `lost_leases` has a budget of its own, and the item dies on the lost lease that uses it up.
# Each recovery names the items it takes back in a first CTE, `orphaned` (id, locked_by), and
# says in the error what happened to their worker.
_RECOVER_BEFORE_REASON = """
    recovered AS (
        UPDATE queue_items q
           SET status = CASE WHEN q.lost_leases + 1 >= :max_lost_leases THEN 'dead' ELSE 'pending' END,
               lost_leases = q.lost_leases + 1,
               last_error = CASE WHEN q.lost_leases + 1 >= :max_lost_leases
                   THEN 'LostWorker: the job lost its worker ' || (q.lost_leases + 1)
                        || ' times (the last one was ' || o.locked_by || '); it likely crashes the worker.'
                        || ' Look for the cause in that worker''s log, then retry the job.'
                   ELSE"""
_RECOVER_AFTER_REASON = """
                   END,
               locked_by = NULL, locked_until = NULL, scheduled_for = now()
          FROM orphaned o WHERE q.id = o.id
        RETURNING q.id, q.job_type, q.application_id, q.requisition_id, q.attempts, q.status,
                  q.last_error, o.locked_by, q.started_at),
    runs AS (
        INSERT INTO job_runs (queue_item_id, job_type, application_id, requisition_id, attempt,
                              outcome, error, worker, started_at)
        SELECT id, job_type, application_id, requisition_id, attempts,
               CASE WHEN status = 'dead' THEN 'dead' ELSE 'lost' END, last_error, locked_by, started_at
          FROM recovered)
    SELECT id, status, CASE WHEN status = 'pending' THEN pg_notify('airecruiter_queue', job_type) END
      FROM recovered
"""

RECOVER_EXPIRED = compose(
    """
    WITH orphaned AS (
        SELECT id, locked_by FROM queue_items
         WHERE status = 'running' AND locked_until < now()
           FOR UPDATE SKIP LOCKED),""",
    _RECOVER_BEFORE_REASON,
    """'LeaseExpired: worker ' || o.locked_by
                        || ' stopped renewing its lease (the process was lost) during attempt ' || q.attempts""",
    _RECOVER_AFTER_REASON,
)

# A job whose database went away mid-run (a restart, a failover) met the deployment's outage, not
# a fault of its own: it goes back at once like a lost worker's item, charged to the lost-lease
# budget, not to the failures that its next error's policy counts.
LOSE_TO_OUTAGE = compose(
    """
    WITH orphaned AS (
        SELECT id, locked_by FROM queue_items
         WHERE id = :id AND locked_by = :worker AND status = 'running'
           FOR UPDATE),""",
    _RECOVER_BEFORE_REASON,
    """'DatabaseLost: ' || CAST(:error AS text) || ' (during attempt ' || q.attempts
                        || ', not counted as a failure)'""",
    _RECOVER_AFTER_REASON,
)

# Workers that registered in queue_workers hold a session-level advisory lock keyed
# (:namespace, id) while they live; PostgreSQL frees it when their connection dies. A row
# without its lock is a dead worker: the row goes, and its running items go back at once.
# A worker inserts its row and takes its lock in one transaction, so no one sees the row unlocked.
RECOVER_DEAD_WORKERS = compose(
    """
    WITH dead AS (
        DELETE FROM queue_workers w
         WHERE NOT EXISTS (
               SELECT 1 FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND l.classid::bigint = :namespace AND l.objid::bigint = w.id)
           -- A database restart ends every session, so every lock is gone: a worker registered before
           -- the server (re)started has only lost its connection, and gets time to register again.
           AND (w.started_at >= pg_postmaster_start_time()
                OR pg_postmaster_start_time() < now() - make_interval(secs => :restart_grace))
        RETURNING w.name),
    orphaned AS (
        SELECT q.id, q.locked_by FROM queue_items q JOIN dead d ON q.locked_by = d.name
         WHERE q.status = 'running'
           FOR UPDATE OF q SKIP LOCKED),""",
    _RECOVER_BEFORE_REASON,
    """'WorkerLost: worker ' || o.locked_by
                        || ' died (its connection to the database ended) during attempt ' || q.attempts""",
    _RECOVER_AFTER_REASON,
)

# The row and the lock in one transaction (see RECOVER_DEAD_WORKERS). A row of the same name
# left by a dead process of that name is taken over; a live one keeps its lock and we get false.
REGISTER_WORKER = text("""
    WITH me AS (
        INSERT INTO queue_workers AS w (name) VALUES (:worker)
        ON CONFLICT (name) DO UPDATE SET started_at = now()
        RETURNING id)
    SELECT id, pg_try_advisory_lock(:namespace, id) AS locked FROM me
""")

# The connection that holds a worker's liveness lock, named so an operator can tell it in pg_stat_activity.
NAME_LIVENESS_CONNECTION = text("SET application_name = 'airecruiter-worker-liveness'")

UNREGISTER_WORKER = text("DELETE FROM queue_workers WHERE name = :worker")

RELEASE = text("""
    WITH released AS (
        UPDATE queue_items
           SET status = 'pending', attempts = GREATEST(attempts - 1, 0),
               locked_by = NULL, locked_until = NULL, scheduled_for = now()
         WHERE id = ANY(CAST(:ids AS bigint[])) AND locked_by = :worker AND status = 'running'
        RETURNING id, job_type, application_id, requisition_id, attempts, started_at)
    INSERT INTO job_runs (queue_item_id, job_type, application_id, requisition_id, attempt,
                          outcome, error, worker, started_at)
    SELECT id, job_type, application_id, requisition_id, attempts + 1, 'interrupted',
           'Interrupted: the worker shut down before the job finished; it will run again',
           :worker, started_at FROM released
    RETURNING queue_item_id
""")

# A cancelled item ends as `skipped`: kept, so the scheduler does not bring the same job back by
# itself; an operator can still retry it.
FINISH_CANCELLED = text("""
    WITH gone AS (
        UPDATE queue_items
           SET status = 'skipped', cancel_requested = false, locked_by = NULL, locked_until = NULL,
               last_error = 'Cancelled: stopped while running, at an operator''s request'
         WHERE id = :id AND locked_by = :worker AND status = 'running'
        RETURNING id, job_type, application_id, requisition_id, attempts, started_at)
    INSERT INTO job_runs (queue_item_id, job_type, application_id, requisition_id, attempt,
                          outcome, error, worker, started_at, duration_ms)
    SELECT id, job_type, application_id, requisition_id, attempts, 'cancelled',
           'Cancelled: stopped while running, at an operator''s request', :worker, started_at, :duration_ms FROM gone
    RETURNING queue_item_id
""")

# A cancel asked for while the job ran, but the job ended some other way first (it failed, its
# worker shut down or died): the operator's cancel still wins.
FINISH_CANCEL_REQUESTED = text("""
    WITH gone AS (
        UPDATE queue_items
           SET status = 'skipped', cancel_requested = false, locked_by = NULL, locked_until = NULL,
               last_error = 'Cancelled: asked for while the job ran; the job stopped first'
         WHERE cancel_requested AND status IN ('pending', 'failed', 'dead')
        RETURNING id, job_type, application_id, requisition_id, attempts, started_at)
    INSERT INTO job_runs (queue_item_id, job_type, application_id, requisition_id, attempt,
                          outcome, error, worker, started_at, duration_ms)
    SELECT id, job_type, application_id, requisition_id, attempts, 'cancelled',
           'Cancelled: asked for while the job ran; the job stopped first', NULL, started_at, NULL FROM gone
    RETURNING queue_item_id
""")


# The scheduler's: the leader's session lock (and the check that its connection is alive), and what
# decides which jobs that keep dying to hold back.
PING = text("SELECT 1")
TRY_LEADER_LOCK = text("SELECT pg_try_advisory_lock(:k)")
RELEASE_LEADER_LOCK = text("SELECT pg_advisory_unlock(:k)")
# The rotated refresh token is rewritten on its own; it is not an operator's settings change.
SELECT_LAST_SETTINGS_CHANGE = text("SELECT max(updated_at) FROM settings WHERE key <> 'workday.refresh_token'")
# Completed and dead runs since `since` of every job that died since then, newest first.
SELECT_OUTCOMES_OF_DEAD_JOBS = text("""
    WITH dead AS (
        SELECT DISTINCT job_type, application_id, requisition_id FROM job_runs
         WHERE outcome = 'dead' AND finished_at >= :since
    )
    SELECT r.job_type, r.application_id, r.requisition_id, r.outcome, r.error, r.finished_at, now() AS now
      FROM job_runs r
      JOIN dead d ON r.job_type = d.job_type
                 AND r.application_id IS NOT DISTINCT FROM d.application_id
                 AND r.requisition_id IS NOT DISTINCT FROM d.requisition_id
     WHERE r.finished_at >= :since AND r.outcome IN ('completed', 'dead')
     ORDER BY r.finished_at DESC
""")


# A bind parameter `:name`, or something that may hold a colon without being one: a quoted
# string ('' escapes a quote), a quoted identifier, a line comment, a `::` cast.
_PARAMETER_OR_LITERAL = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|::|(?<![:\w]):([A-Za-z_]\w*)""")


def positional(clause: TextClause) -> tuple[str, list[str]]:
    """A text() statement's SQL with asyncpg's $n placeholders, and the parameter names in order.

    A name used twice gets one number; colons inside quotes, comments and casts are left alone.
    """
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    return _PARAMETER_OR_LITERAL.sub(number, clause.text), names


# The idle worker's claim goes straight to the driver on its held connection: SQLAlchemy's
# per-call work is a third of an idle pickup's latency.
CLAIM_POSITIONAL, CLAIM_PARAMS = positional(CLAIM)
