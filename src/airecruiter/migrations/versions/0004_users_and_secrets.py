"""Admin users (argon2 hashes) and encrypted settings such as a rotated Workday refresh token.

Revision ID: 0004
Revises: 0003
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    username text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.@-]{1,64}$'),
    password_hash text NOT NULL,
    role text NOT NULL CHECK (role IN ('admin','recruiter')),
    active boolean NOT NULL DEFAULT true,
    last_login_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE settings (
    key text PRIMARY KEY,
    value_encrypted text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script("DROP TABLE settings; DROP TABLE users;")
