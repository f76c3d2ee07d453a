"""The next free start slot for calls to each Workday tenant, shared by every process.

Revision ID: 0017
Revises: 0016
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script("CREATE TABLE workday_request_pacing ( tenant text PRIMARY KEY, next_start timestamptz NOT NULL);")


def downgrade() -> None:
    run_script("DROP TABLE workday_request_pacing;")
