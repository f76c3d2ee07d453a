"""Requisitions choose whether the model sees the names of schools and universities ("blind education").

On by default: an institution's name says more about a candidate's background than about the job,
so redaction replaces it by `[INSTITUTION]` and keeps the degree and subject. A recruiter turns it
off per requisition in its settings.

Revision ID: 0015
Revises: 0014
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script("ALTER TABLE requisitions ADD COLUMN blind_education boolean NOT NULL DEFAULT true;")


def downgrade() -> None:
    run_script("ALTER TABLE requisitions DROP COLUMN blind_education;")
