"""Pipeline data model: requisitions, applications, prompts, analyses, interviews, evaluations, reports.

Revision ID: 0001
Revises:
"""

from airecruiter.migrations.sqlscript import run_script

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPLICATION_STATUSES = "('new','analyzed','interview_pending','interview_complete','report_pending','complete')"

UPGRADE = f"""
CREATE TABLE requisitions (
    id bigserial PRIMARY KEY,
    external_id text NOT NULL UNIQUE,
    name text NOT NULL,
    detailed_description text NOT NULL DEFAULT '',
    recruiter_name text,
    recruiter_email text,
    workday_status text,
    auto_send_interview boolean NOT NULL DEFAULT false,
    auto_send_on_status text,
    lookback_hours integer CHECK (lookback_hours > 0),
    min_sync_interval_minutes integer NOT NULL DEFAULT 15 CHECK (min_sync_interval_minutes >= 0),
    last_activity_at timestamptz,
    last_synced_at timestamptz,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX requisitions_due_idx ON requisitions (last_activity_at) WHERE active;

CREATE TABLE applications (
    id bigserial PRIMARY KEY,
    requisition_id bigint NOT NULL REFERENCES requisitions(id) ON DELETE CASCADE,
    external_application_id text NOT NULL UNIQUE,
    external_candidate_id text NOT NULL,
    candidate_name text NOT NULL,
    candidate_email text,
    workday_status text,
    workday_status_changed timestamptz,
    status text NOT NULL DEFAULT 'new' CHECK (status IN {APPLICATION_STATUSES}),
    artifacts jsonb NOT NULL DEFAULT '{{}}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX applications_requisition_idx ON applications (requisition_id, created_at DESC);
CREATE INDEX applications_status_idx ON applications (status, updated_at DESC);

CREATE TABLE prompts (
    id bigserial PRIMARY KEY,
    type text NOT NULL CHECK (type IN ('resume_analysis','interview','evaluation')),
    requisition_id bigint REFERENCES requisitions(id) ON DELETE CASCADE,
    version integer NOT NULL CHECK (version > 0),
    template_content text NOT NULL CHECK (length(template_content) > 0),
    is_active boolean NOT NULL DEFAULT false,
    created_by text NOT NULL DEFAULT 'system',
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT prompts_version_key UNIQUE NULLS NOT DISTINCT (type, requisition_id, version)
);
CREATE UNIQUE INDEX prompts_one_active_idx ON prompts (type, requisition_id) NULLS NOT DISTINCT
    WHERE is_active;

CREATE TABLE analyses (
    id bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    risk_score double precision NOT NULL CHECK (risk_score BETWEEN 0 AND 1),
    relevance_summary text NOT NULL,
    pros jsonb NOT NULL,
    cons jsonb NOT NULL,
    red_flags jsonb NOT NULL,
    suggested_questions jsonb NOT NULL,
    hidden_text jsonb NOT NULL DEFAULT '[]'::jsonb,
    raw_response jsonb,
    provider text NOT NULL,
    model text NOT NULL,
    prompt_id bigint REFERENCES prompts(id) ON DELETE SET NULL,
    prompt_version integer NOT NULL,
    input_hash text NOT NULL,
    input_tokens integer,
    output_tokens integer,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX analyses_application_idx ON analyses (application_id, created_at DESC);

CREATE TABLE interviews (
    id bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{{64}}$'),
    expires_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'scheduled'
        CHECK (status IN ('scheduled','in_progress','completed','expired')),
    invitation_message_id text,
    invitation_sent_at timestamptz,
    started_at timestamptz,
    completed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
-- One live interview per application: a retried send_interview never makes a second one.
CREATE UNIQUE INDEX interviews_one_live_idx ON interviews (application_id) WHERE status <> 'expired';

CREATE TABLE interview_messages (
    id bigserial PRIMARY KEY,
    interview_id bigint NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    seq integer NOT NULL CHECK (seq > 0),
    role text NOT NULL CHECK (role IN ('interviewer','candidate')),
    content text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (interview_id, seq)
);

CREATE TABLE evaluations (
    id bigserial PRIMARY KEY,
    interview_id bigint NOT NULL UNIQUE REFERENCES interviews(id) ON DELETE CASCADE,
    application_id bigint NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    reliability_score smallint NOT NULL CHECK (reliability_score BETWEEN 0 AND 10),
    accountability_score smallint NOT NULL CHECK (accountability_score BETWEEN 0 AND 10),
    professionalism_score smallint NOT NULL CHECK (professionalism_score BETWEEN 0 AND 10),
    communication_score smallint NOT NULL CHECK (communication_score BETWEEN 0 AND 10),
    technical_score smallint NOT NULL CHECK (technical_score BETWEEN 0 AND 10),
    growth_potential_score smallint NOT NULL CHECK (growth_potential_score BETWEEN 0 AND 10),
    overall_score double precision NOT NULL CHECK (overall_score BETWEEN 0 AND 10),
    summary text NOT NULL,
    strengths jsonb NOT NULL,
    weaknesses jsonb NOT NULL,
    red_flags jsonb NOT NULL,
    recommendation text NOT NULL,
    transcript text NOT NULL,
    raw_response jsonb,
    provider text NOT NULL,
    model text NOT NULL,
    prompt_id bigint REFERENCES prompts(id) ON DELETE SET NULL,
    prompt_version integer NOT NULL,
    input_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evaluations_application_idx ON evaluations (application_id);

CREATE TABLE reports (
    id bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    s3_key text NOT NULL,
    includes_analysis boolean NOT NULL,
    includes_interview boolean NOT NULL,
    uploaded_to_workday boolean NOT NULL DEFAULT false,
    workday_document_id text,
    uploaded_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reports_application_idx ON reports (application_id, created_at DESC);
"""

DOWNGRADE = """
DROP TABLE reports; DROP TABLE evaluations; DROP TABLE interview_messages; DROP TABLE interviews;
DROP TABLE analyses; DROP TABLE prompts; DROP TABLE applications; DROP TABLE requisitions;
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script(DOWNGRADE)
