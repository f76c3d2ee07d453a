"""The job queue (docs/architecture.md: the queue's promises) and the history of every job attempt.

Revision ID: 0003
Revises: 0002
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE queue_items (
    id bigserial PRIMARY KEY,
    job_type text NOT NULL CHECK (job_type ~ '^[a-z][a-z0-9_]{0,62}$'),
    application_id bigint REFERENCES applications(id) ON DELETE CASCADE,
    requisition_id bigint REFERENCES requisitions(id) ON DELETE CASCADE,
    priority smallint NOT NULL,
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending','running','failed','dead','skipped')),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts integer NOT NULL CHECK (max_attempts >= 1),
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    scheduled_for timestamptz NOT NULL DEFAULT now(),
    locked_by text,
    locked_until timestamptz,
    started_at timestamptz,
    cancel_requested boolean NOT NULL DEFAULT false,
    enqueued_by text NOT NULL DEFAULT 'system',
    CHECK ((status = 'running') = (locked_until IS NOT NULL))
);
-- Claim order: priority desc, scheduled_for asc, id asc, over claimable items only.
CREATE INDEX queue_items_claim_idx ON queue_items (priority DESC, scheduled_for, id)
    WHERE status IN ('pending','failed');
-- Dedupe: at most one live item per (job_type, subject).
CREATE UNIQUE INDEX queue_items_dedupe_idx
    ON queue_items (job_type, application_id, requisition_id) NULLS NOT DISTINCT
    WHERE status IN ('pending','running','failed');
CREATE INDEX queue_items_lease_idx ON queue_items (locked_until) WHERE status = 'running';
CREATE INDEX queue_items_ended_idx ON queue_items (job_type, application_id, requisition_id)
    WHERE status IN ('dead','skipped');
CREATE INDEX queue_items_application_idx ON queue_items (application_id) WHERE application_id IS NOT NULL;
CREATE INDEX queue_items_requisition_idx ON queue_items (requisition_id) WHERE requisition_id IS NOT NULL;

CREATE TABLE job_runs (
    id bigserial PRIMARY KEY,
    queue_item_id bigint NOT NULL,
    job_type text NOT NULL,
    application_id bigint,
    requisition_id bigint,
    attempt integer NOT NULL,
    outcome text NOT NULL
        CHECK (outcome IN ('completed','failed','dead','cancelled','skipped','lost','interrupted','retried')),
    error text,
    worker text,
    started_at timestamptz,
    finished_at timestamptz NOT NULL DEFAULT now(),
    duration_ms double precision
);
CREATE INDEX job_runs_item_idx ON job_runs (queue_item_id, finished_at);
CREATE INDEX job_runs_finished_idx ON job_runs (finished_at);
CREATE INDEX job_runs_completed_idx ON job_runs (finished_at DESC) WHERE outcome = 'completed';
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script("DROP TABLE job_runs; DROP TABLE queue_items;")
