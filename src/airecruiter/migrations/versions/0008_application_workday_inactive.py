"""Applications remember when Workday shows them rejected, withdrawn or do-not-hire.

Such a candidate must never be invited to an interview automatically, and the stage alone does
not say so (a disposition can sit on any stage).

Revision ID: 0008
Revises: 0007
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script("ALTER TABLE applications ADD COLUMN workday_inactive boolean NOT NULL DEFAULT false;")


def downgrade() -> None:
    run_script("ALTER TABLE applications DROP COLUMN workday_inactive;")
