"""Per-type claim index: a capped job type with nothing due costs one probe, whatever the backlog.

Revision ID: 0006
Revises: 0005
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE INDEX queue_items_claim_by_type_idx ON queue_items (job_type, priority DESC, scheduled_for, id)
    WHERE status IN ('pending', 'failed');
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script("DROP INDEX queue_items_claim_by_type_idx")
