"""Exactly-once invitations: an outbox row per email, committed before the mailer is called.

`email_outbox` holds one row per (application, kind, version): for the interview invitation the
version is the interview's id, so a later interview of the same application is a new email. The
row carries the Message-ID we generate ourselves and is `pending` until the mailer accepted the
message and its id is recorded, then `sent`; `attempts` counts the sends tried under the row.

Revision ID: 0014
Revises: 0012
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE email_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('interview_invitation')),
    version bigint NOT NULL,
    message_id text NOT NULL UNIQUE,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent')),
    attempts integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    provider_message_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    UNIQUE (application_id, kind, version),
    CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);
"""

DOWNGRADE = """
DROP TABLE email_outbox;
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script(DOWNGRADE)
