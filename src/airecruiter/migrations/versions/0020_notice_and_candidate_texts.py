"""Advance notice per requisition and the versioned texts candidates read about the AI.

- `requisitions.notice_period_days` (0–60 business days, 0 by default; NYC uses 10) and
  `notice_given_on` (the date notice was given in the job posting, from which the period counts).
- `candidate_texts`: versions of the notice email, the invitation's AI-use paragraph and the
  interview welcome page, one active per kind, edited in the console like prompts; version 1 of
  each is seeded from the frozen copy below.
- `email_outbox`: kind `notice` joins `interview_invitation`; `text_version` records which candidate
  text version an email carried.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

from airecruiter.migrations.sqlscript import run_script

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_KINDS = "('notice','invitation_ai_use','welcome')"
_EMAIL_KINDS = "('interview_invitation','notice')"

# A frozen copy: editing domain.candidate_texts.DEFAULT_TEXTS must not change what this migration did.
_NOTICE = (
    "Before anything else happens with your application for {role} at {company}, we want you to "
    "know how we use an automated tool (AI) in our hiring process.\n\n"
    "What the AI assesses: how your experience, skills and qualifications match the requirements "
    "of the job description, and later, if you take the online interview, your answers to its "
    "questions. It gives our recruiters a summary and a recommendation; a person makes every "
    "decision.\n\n"
    "What data it uses: your résumé and, if you take the interview, your written answers. Your "
    "name, contact details, photo and the names of schools are removed before the AI reads "
    "anything. It never uses age, gender, ethnicity or other protected characteristics.\n\n"
    "How long we keep it: up to {retention_days} days after your last contact with us, unless the "
    "law asks us to keep it longer; you may ask us for a copy or to delete it at any time.\n\n"
    "Your choice: you can ask to be assessed by a person instead of the AI, or ask for an "
    "accommodation, using the link below or by writing to {contact}. Nothing automated happens "
    "with your application until the notice period has passed."
)
_INVITATION = (
    "Please note: this interview is conducted by an AI interviewer, not by a person. Your answers "
    "are reviewed by our recruiting team, and a person makes every decision. If you would prefer "
    "to be assessed by a person, or need an accommodation, reply to this email "
    "or write to {contact} and we will arrange a human alternative."
)
_WELCOME = (
    "This interview for {role} at {company} is conducted by an AI interviewer. It asks you a few "
    "questions about your experience. Our recruiting team reads your answers, and a person makes "
    "every decision about your application. Your answers are kept for up to {retention_days} days "
    "after your last "
    "contact with us. If you would rather be assessed by a person, or need an accommodation, "
    "write to {contact}."
)


UPGRADE = f"""
ALTER TABLE requisitions
    ADD COLUMN notice_period_days integer NOT NULL DEFAULT 0 CHECK (notice_period_days BETWEEN 0 AND 60),
    ADD COLUMN notice_given_on date;

CREATE TABLE candidate_texts (
    id bigserial PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN {_KINDS}),
    version integer NOT NULL CHECK (version > 0),
    content text NOT NULL CHECK (length(content) BETWEEN 1 AND 8000),
    active boolean NOT NULL DEFAULT false,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, version)
);
CREATE UNIQUE INDEX candidate_texts_one_active ON candidate_texts (kind) WHERE active;

ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_kind_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_kind_check CHECK (kind IN {_EMAIL_KINDS});
ALTER TABLE email_outbox ADD COLUMN text_version integer;
"""

DOWNGRADE = """
ALTER TABLE email_outbox DROP COLUMN text_version;
DELETE FROM email_outbox WHERE kind <> 'interview_invitation';
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_kind_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_kind_check CHECK (kind IN ('interview_invitation'));
DROP TABLE candidate_texts;
ALTER TABLE requisitions DROP COLUMN notice_given_on, DROP COLUMN notice_period_days;
"""


_SEED = sa.text("""
    INSERT INTO candidate_texts (kind, version, content, active, created_by)
    VALUES (:kind, 1, :content, true, 'system')
""")


def upgrade() -> None:
    run_script(UPGRADE)
    for kind, content in (("notice", _NOTICE), ("invitation_ai_use", _INVITATION), ("welcome", _WELCOME)):
        op.execute(_SEED.bindparams(kind=kind, content=content))


def downgrade() -> None:
    run_script(DOWNGRADE)
