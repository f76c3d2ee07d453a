"""Emails of the candidate-request flows: the candidate's confirmation and the recruiter's notification.

`email_outbox.kind` gains `request_confirmation` (to the candidate: what happens next, whom to
contact) and `request_notification` (to the requisition's recruiter). The version of such a row
is the request's kind number (1 human review) or, for an accommodation, the register row's id, so
each email goes once per application and request, double clicks and retries included.

Revision ID: 0021
Revises: 0020
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

UPGRADE = """
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_kind_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_kind_check
    CHECK (kind IN ('interview_invitation', 'notice', 'request_confirmation', 'request_notification'));
"""

DOWNGRADE = """
DELETE FROM email_outbox WHERE kind IN ('request_confirmation', 'request_notification');
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_kind_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_kind_check CHECK (kind IN ('interview_invitation', 'notice'));
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script(DOWNGRADE)
