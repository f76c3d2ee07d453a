"""Fairness checks: one row per check of a prompt version against the built-in counterfactual suite.

A row is written as `requested` (with the prompt and the requisition whose scope it checks) in the
transaction that enqueues its `fairness_check` job, and completed by that job with the share of
pairs whose model input was identical (overall, résumé, interview), the per-family score
differences (JSON), the thresholds used, the verdict and its reasons, the provider and model, and
whether the scorer was the offline one (then only input identity is meaningful). Rows go with
their prompt (and its requisition).

Revision ID: 0022
Revises: 0021
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE fairness_checks (
    id bigserial PRIMARY KEY,
    prompt_id bigint NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
    requisition_id bigint REFERENCES requisitions(id) ON DELETE CASCADE,
    status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'done')),
    requested_by text NOT NULL,
    provider text,
    model text,
    offline boolean,
    pairs integer,
    identity_rate double precision,
    resume_identity_rate double precision,
    interview_identity_rate double precision,
    families jsonb,
    thresholds jsonb,
    reasons jsonb,
    passed boolean,
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX fairness_checks_prompt ON fairness_checks (prompt_id, created_at DESC);
CREATE INDEX fairness_checks_requested ON fairness_checks (id) WHERE status = 'requested';
"""

DOWNGRADE = """
DROP TABLE fairness_checks;
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script(DOWNGRADE)
