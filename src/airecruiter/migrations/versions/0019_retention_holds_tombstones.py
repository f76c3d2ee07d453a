"""Retention and erasure: legal holds, tombstones and erasure receipts (DATA-LIFECYCLE.md).

- `legal_holds`: a hold on one application or on a whole requisition, with its reason, who placed it
  and when, and who released it and when. A live hold (not released) suspends retention and erasure.
- `tombstones`: what is left of a deleted application's identity: HMAC(secret, Workday application
  id), the date and why (retention or erasure). Sync never brings a tombstoned application back.
- `erasure_receipts`: the proof an erasure ran: what was removed (counts, field names, Workday
  document ids we uploaded), when, by whom and why; no name, email or Workday id.
- an index for the scheduler's daily question: when did a `retention` job last complete?

Revision ID: 0019
Revises: 0018
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE legal_holds (
    id bigserial PRIMARY KEY,
    application_id bigint REFERENCES applications(id) ON DELETE SET NULL,
    requisition_id bigint REFERENCES requisitions(id) ON DELETE SET NULL,
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    placed_by text NOT NULL,
    placed_at timestamptz NOT NULL DEFAULT now(),
    released_by text,
    released_at timestamptz,
    CHECK ((released_by IS NULL) = (released_at IS NULL))
);
CREATE INDEX legal_holds_live_application_idx ON legal_holds (application_id) WHERE released_at IS NULL;
CREATE INDEX legal_holds_live_requisition_idx ON legal_holds (requisition_id) WHERE released_at IS NULL;

CREATE TABLE tombstones (
    application_hmac text PRIMARY KEY CHECK (application_hmac ~ '^[0-9a-f]{64}$'),
    deleted_on date NOT NULL DEFAULT CURRENT_DATE,
    reason text NOT NULL CHECK (reason IN ('retention','erasure'))
);

CREATE TABLE erasure_receipts (
    id bigserial PRIMARY KEY,
    request_id bigint REFERENCES candidate_requests(id) ON DELETE SET NULL,
    erased_by text NOT NULL,
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    erased_at timestamptz NOT NULL DEFAULT now(),
    contents jsonb NOT NULL
);

-- The scheduler asks every pass when retention last completed: one index entry a day answers it.
CREATE INDEX job_runs_retention_idx ON job_runs (finished_at DESC)
    WHERE job_type = 'retention' AND outcome = 'completed';
"""

DOWNGRADE = """
DROP INDEX job_runs_retention_idx;
DROP TABLE erasure_receipts;
DROP TABLE tombstones;
DROP TABLE legal_holds;
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script(DOWNGRADE)
