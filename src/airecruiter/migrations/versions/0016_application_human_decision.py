"""Applications remember the human decision Workday shows: advanced, rejected, or none yet (NULL).

The sync derives it from the stage and disposition through WORKDAY_ADVANCED_STAGES and
WORKDAY_REJECTED_DISPOSITIONS; rows synced before this revision get it on their next sync.

Revision ID: 0016
Revises: 0015
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(
        "ALTER TABLE applications ADD COLUMN human_decision text CHECK (human_decision IN ('advanced', 'rejected'));"
    )


def downgrade() -> None:
    run_script("ALTER TABLE applications DROP COLUMN human_decision;")
