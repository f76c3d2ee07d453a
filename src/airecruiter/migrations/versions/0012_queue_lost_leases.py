"""Crash recovery in seconds: a budget for lost leases, and a table of live workers.

`lost_leases` counts how often an item's worker was lost while it ran (an expired lease, or a
worker found dead). A lost lease is not a failed attempt, so it has a budget of its own: a job
that kills its worker every time still ends in the dead letter. `queue_workers` lists the workers
that hold a liveness lock (a session-level advisory lock keyed by the row's id): PostgreSQL frees
the lock when the worker's connection dies, so other workers return its items at once instead of
waiting for the lease to expire.

Revision ID: 0012
Revises: 0011
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

UPGRADE = """
ALTER TABLE queue_items ADD COLUMN lost_leases integer NOT NULL DEFAULT 0 CHECK (lost_leases >= 0);
CREATE TABLE queue_workers (
    id integer GENERATED ALWAYS AS IDENTITY (CYCLE) PRIMARY KEY,
    name text NOT NULL UNIQUE,
    started_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queue_items_running_by_idx ON queue_items (locked_by) WHERE status = 'running';
"""

DOWNGRADE = """
DROP INDEX queue_items_running_by_idx;
DROP TABLE queue_workers;
ALTER TABLE queue_items DROP COLUMN lost_leases;
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script(DOWNGRADE)
