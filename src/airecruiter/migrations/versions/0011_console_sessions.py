"""Server-side console sessions and the sign-in throttle shared by every process.

A session row is what a console cookie stands for: the cookie carries a random id, the row keeps
only its SHA-256, so a copy of the database signs nobody in. Ending a session is deleting its row,
which takes effect on the very next request of every process.

`login_attempts` holds one row per password check (and one marker when a username is refused),
so the limit of checks per username holds across processes and under any concurrency: a check is
reserved here, under a per-username lock, before the password is verified.

Revision ID: 0011
Revises: 0010
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE console_sessions (
    id bigserial PRIMARY KEY,
    token_hash text NOT NULL UNIQUE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    client_address text,
    user_agent text
);
CREATE INDEX console_sessions_user_idx ON console_sessions (user_id);
CREATE INDEX console_sessions_expiry_idx ON console_sessions (expires_at);

CREATE TABLE login_attempts (
    id bigserial PRIMARY KEY,
    username text NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now(),
    outcome text NOT NULL DEFAULT 'checking'
        CHECK (outcome IN ('checking', 'failed', 'succeeded', 'refused')),
    client_address text
);
CREATE INDEX login_attempts_username_idx ON login_attempts (username, attempted_at);
CREATE INDEX login_attempts_time_idx ON login_attempts (attempted_at);
"""

DOWNGRADE = """
DROP TABLE login_attempts;
DROP TABLE console_sessions;
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script(DOWNGRADE)
