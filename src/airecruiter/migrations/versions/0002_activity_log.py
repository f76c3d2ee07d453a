"""Append-only activity log: who did what, when, to which requisition or application.

Revision ID: 0002
Revises: 0001
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE activities (
    id bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    action text NOT NULL,
    requisition_id bigint,
    application_id bigint,
    queue_item_id bigint,
    details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX activities_time_idx ON activities (occurred_at DESC);
CREATE INDEX activities_application_idx ON activities (application_id, occurred_at DESC)
    WHERE application_id IS NOT NULL;
CREATE INDEX activities_requisition_idx ON activities (requisition_id, occurred_at DESC)
    WHERE requisition_id IS NOT NULL;
CREATE INDEX activities_action_idx ON activities (action, occurred_at DESC);

CREATE FUNCTION activities_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the activity log is append-only: % is not allowed', TG_OP;
END $$;
CREATE TRIGGER activities_append_only BEFORE UPDATE OR DELETE ON activities
    FOR EACH ROW EXECUTE FUNCTION activities_append_only();
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script("DROP TABLE activities; DROP FUNCTION activities_append_only();")
