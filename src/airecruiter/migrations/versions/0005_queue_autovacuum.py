"""Vacuum and analyse the queue tables early: every completed job leaves a dead row behind.

Revision ID: 0005
Revises: 0004
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UPGRADE = """
ALTER TABLE queue_items SET (
    autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 2000,
    autovacuum_analyze_scale_factor = 0.0, autovacuum_analyze_threshold = 2000,
    autovacuum_vacuum_cost_delay = 0
);
ALTER TABLE job_runs SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.05);
"""

DOWNGRADE = """
ALTER TABLE queue_items RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
    autovacuum_analyze_scale_factor, autovacuum_analyze_threshold, autovacuum_vacuum_cost_delay);
ALTER TABLE job_runs RESET (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor);
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script(DOWNGRADE)
