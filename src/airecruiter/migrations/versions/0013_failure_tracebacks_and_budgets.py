"""Failures you can debug, and one attempt budget per retry policy.

`job_runs.traceback` keeps the stack of a failed attempt (class, frames and a redacted message, as
`queue/tracebacks.py` writes it: no local variables, no personal data), shown on the dead letter
and the queue item page. `job_runs.retry_policy` names the retry policy a failed attempt counted
against, so each policy's failures are counted on their own: since the item's last operator retry,
the failures recorded under the failing error's policy are compared with that policy's budget.
Failures recorded before this migration have no policy; the overall cap still counts them.

Revision ID: 0013
Revises: 0012
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

UPGRADE = """
ALTER TABLE job_runs ADD COLUMN traceback text, ADD COLUMN retry_policy text;
"""

DOWNGRADE = """
ALTER TABLE job_runs DROP COLUMN retry_policy, DROP COLUMN traceback;
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script(DOWNGRADE)
