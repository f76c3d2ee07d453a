"""Indexes for the console's dashboard: jobs per hour from the index alone, applications of the last day.

`job_runs (finished_at, outcome)` replaces `job_runs (finished_at)`: it serves the same range scans
(history pruning) and lets the hourly completed/failed counts read only the index.

Revision ID: 0009
Revises: 0008
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE INDEX job_runs_finished_outcome_idx ON job_runs (finished_at, outcome);
DROP INDEX job_runs_finished_idx;
CREATE INDEX applications_created_idx ON applications (created_at);
"""

DOWNGRADE = """
DROP INDEX applications_created_idx;
CREATE INDEX job_runs_finished_idx ON job_runs (finished_at);
DROP INDEX job_runs_finished_outcome_idx;
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script(DOWNGRADE)
