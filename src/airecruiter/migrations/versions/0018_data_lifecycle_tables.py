"""The data-lifecycle stores of DATA-LIFECYCLE.md shared by the fairness and candidate-rights work.

- `auditor` joins the console roles; `human_review` joins the application statuses (the candidate
  asked to be assessed by a person: no AI step runs on the application from then on).
- `demographics`: one row per application, voluntary self-identification only (EEO-1 categories,
  "declined" or "unknown"), from Workday's self-ID or an import. Deleted with the application.
- `decisions`: a person's decision on an application (advance, reject, hold), with a reason code, an
  optional note, who and when; the latest row is the current decision. Deleted with the application.
- `outcomes`: one de-identified row per application (no name, email or Workday id, no foreign key:
  it outlives the application), refreshed from the live tables by `db.outcomes.refresh_outcome`
  whenever the AI's output, a decision or the demographics change. The bias audit reads only this.
- `candidate_requests`: the request register (human review, accommodation, access, erasure), with
  received date, due date, status and who handled it. It keeps no personal value once the
  application is gone (`request_text` is cleared on erasure; `application_id` turns NULL).
- `candidate_tokens`: the SHA-256 hashes of the candidate links (notice, a person instead of the AI,
  accommodation, decision receipt). Each email that carries a link mints one; every link of an
  application keeps working until its data is deleted (the rows go with it).

Revision ID: 0018
Revises: 0017
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_NEW_STATUSES = "('new','analyzed','interview_pending','interview_complete','report_pending','complete','human_review')"
_SEX = "('Male','Female','declined','unknown')"
_RACE = (
    "('Hispanic or Latino','White','Black or African American','Native Hawaiian or Other Pacific Islander',"
    "'Asian','American Indian or Alaska Native','Two or More Races','declined','unknown')"
)

UPGRADE = f"""
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin','recruiter','auditor'));
ALTER TABLE applications DROP CONSTRAINT applications_status_check;
ALTER TABLE applications ADD CONSTRAINT applications_status_check CHECK (status IN {_NEW_STATUSES});

CREATE TABLE demographics (
    application_id bigint PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
    sex text NOT NULL CHECK (sex IN {_SEX}),
    race_ethnicity text NOT NULL CHECK (race_ethnicity IN {_RACE}),
    source text NOT NULL CHECK (source IN ('workday','import')),
    imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE decisions (
    id bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    decision text NOT NULL CHECK (decision IN ('advance','reject','hold')),
    reason_code text NOT NULL CHECK (length(reason_code) BETWEEN 1 AND 64),
    note text CHECK (length(note) <= 4000),
    decided_by text NOT NULL,
    decided_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_application_idx ON decisions (application_id, decided_at DESC, id DESC);

CREATE TABLE outcomes (
    application_id bigint PRIMARY KEY,
    requisition_id bigint NOT NULL,
    applied_month date NOT NULL,
    scored_on date,
    resume_risk double precision CHECK (resume_risk BETWEEN 0 AND 1),
    analysis_model text,
    analysis_prompt_version integer,
    overall_score double precision CHECK (overall_score BETWEEN 0 AND 10),
    ai_recommendation text,
    evaluation_model text,
    evaluation_prompt_version integer,
    interview_state text NOT NULL DEFAULT 'none' CHECK (interview_state IN ('none','unfinished','completed')),
    exclusion text CHECK (exclusion IN ('refused_resume','human_review')),
    workday_decision text CHECK (workday_decision IN ('advanced','rejected')),
    console_decision text CHECK (console_decision IN ('advance','reject','hold')),
    sex text NOT NULL DEFAULT 'unknown' CHECK (sex IN {_SEX}),
    race_ethnicity text NOT NULL DEFAULT 'unknown' CHECK (race_ethnicity IN {_RACE}),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outcomes_scored_idx ON outcomes (scored_on, requisition_id);

CREATE TABLE candidate_requests (
    id bigserial PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('human_review','accommodation','access','erasure')),
    application_id bigint REFERENCES applications(id) ON DELETE SET NULL,
    requisition_id bigint,
    request_text text CHECK (length(request_text) <= 4000),
    received_at timestamptz NOT NULL DEFAULT now(),
    due_on date NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','refused','on_hold')),
    handled_by text,
    handled_at timestamptz,
    outcome jsonb NOT NULL DEFAULT '{{}}'::jsonb
);
CREATE TABLE candidate_tokens (
    token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{{64}}$'),
    application_id bigint NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX candidate_tokens_application_idx ON candidate_tokens (application_id);

CREATE INDEX candidate_requests_received_idx ON candidate_requests (received_at DESC);
CREATE INDEX candidate_requests_application_idx ON candidate_requests (application_id)
    WHERE application_id IS NOT NULL;
"""

DOWNGRADE = """
DROP TABLE candidate_tokens;
DROP TABLE candidate_requests;
DROP TABLE outcomes;
DROP TABLE decisions;
DROP TABLE demographics;
UPDATE applications SET status = 'complete' WHERE status = 'human_review';
ALTER TABLE applications DROP CONSTRAINT applications_status_check;
ALTER TABLE applications ADD CONSTRAINT applications_status_check CHECK (status IN
    ('new','analyzed','interview_pending','interview_complete','report_pending','complete'));
DELETE FROM users WHERE role = 'auditor';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin','recruiter'));
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script(DOWNGRADE)
