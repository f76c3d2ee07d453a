"""Default prompts: version 1 of resume_analysis, interview and evaluation as the active global prompts.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

from airecruiter.db.prompts import SEED_DEFAULT_PROMPTS, default_prompt_rows

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Only the seeded rows: versions an operator created (per requisition, or global version 2 and up)
# stay, and analyses made with a seeded prompt keep their prompt_version (their prompt_id turns NULL).
DELETE_DEFAULTS = "DELETE FROM prompts WHERE requisition_id IS NULL AND version = 1 AND created_by = 'system'"


def upgrade() -> None:
    # Bound parameters, never formatting: the texts are full of quotes, colons and percent signs.
    for row in default_prompt_rows():
        op.execute(SEED_DEFAULT_PROMPTS.bindparams(**row))


def downgrade() -> None:
    op.execute(DELETE_DEFAULTS)
