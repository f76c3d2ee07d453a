"""The data model of DESIGN section 4 as SQLAlchemy Core tables (the migrations create them)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData()


def _created() -> sa.Column[object]:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def _updated() -> sa.Column[object]:
    return sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


requisitions = sa.Table(
    "requisitions", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("external_id", sa.Text, nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("detailed_description", sa.Text, nullable=False, server_default=""),
    sa.Column("recruiter_name", sa.Text),
    sa.Column("recruiter_email", sa.Text),
    sa.Column("workday_status", sa.Text),
    sa.Column("auto_send_interview", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("auto_send_on_status", sa.Text),
    sa.Column("lookback_hours", sa.Integer),
    sa.Column("min_sync_interval_minutes", sa.Integer, nullable=False, server_default="15"),
    sa.Column("last_activity_at", sa.DateTime(timezone=True)),
    sa.Column("last_synced_at", sa.DateTime(timezone=True)),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    _created(), _updated(),
)

applications = sa.Table(
    "applications", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("requisition_id", sa.BigInteger, sa.ForeignKey("requisitions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("external_application_id", sa.Text, nullable=False, unique=True),
    sa.Column("external_candidate_id", sa.Text, nullable=False),
    sa.Column("candidate_name", sa.Text, nullable=False),
    sa.Column("candidate_email", sa.Text),
    sa.Column("workday_status", sa.Text),
    sa.Column("workday_status_changed", sa.DateTime(timezone=True)),
    sa.Column("status", sa.Text, nullable=False, server_default="new"),
    sa.Column("artifacts", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    _created(), _updated(),
)

analyses = sa.Table(
    "analyses", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("application_id", sa.BigInteger, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
    sa.Column("risk_score", sa.Float, nullable=False),
    sa.Column("relevance_summary", sa.Text, nullable=False),
    sa.Column("pros", JSONB, nullable=False),
    sa.Column("cons", JSONB, nullable=False),
    sa.Column("red_flags", JSONB, nullable=False),
    sa.Column("suggested_questions", JSONB, nullable=False),
    sa.Column("hidden_text", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("raw_response", JSONB),
    sa.Column("provider", sa.Text, nullable=False),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("prompt_id", sa.BigInteger, sa.ForeignKey("prompts.id", ondelete="SET NULL")),
    sa.Column("prompt_version", sa.Integer, nullable=False),
    sa.Column("input_hash", sa.Text, nullable=False),
    sa.Column("input_tokens", sa.Integer),
    sa.Column("output_tokens", sa.Integer),
    _created(),
)

interviews = sa.Table(
    "interviews", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("application_id", sa.BigInteger, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
    sa.Column("token_hash", sa.Text, nullable=False, unique=True),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="scheduled"),
    sa.Column("invitation_message_id", sa.Text),
    sa.Column("invitation_sent_at", sa.DateTime(timezone=True)),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("completed_at", sa.DateTime(timezone=True)),
    _created(),
)

interview_messages = sa.Table(
    "interview_messages", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("interview_id", sa.BigInteger, sa.ForeignKey("interviews.id", ondelete="CASCADE"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    _created(),
)

evaluations = sa.Table(
    "evaluations", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column(
        "interview_id", sa.BigInteger, sa.ForeignKey("interviews.id", ondelete="CASCADE"), nullable=False, unique=True
    ),
    sa.Column("application_id", sa.BigInteger, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
    *(sa.Column(f"{name}_score", sa.SmallInteger, nullable=False) for name in
      ("reliability", "accountability", "professionalism", "communication", "technical", "growth_potential")),
    sa.Column("overall_score", sa.Float, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("strengths", JSONB, nullable=False),
    sa.Column("weaknesses", JSONB, nullable=False),
    sa.Column("red_flags", JSONB, nullable=False),
    sa.Column("recommendation", sa.Text, nullable=False),
    sa.Column("transcript", sa.Text, nullable=False),
    sa.Column("raw_response", JSONB),
    sa.Column("provider", sa.Text, nullable=False),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("prompt_id", sa.BigInteger, sa.ForeignKey("prompts.id", ondelete="SET NULL")),
    sa.Column("prompt_version", sa.Integer, nullable=False),
    sa.Column("input_hash", sa.Text, nullable=False),
    _created(),
)

reports = sa.Table(
    "reports", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("application_id", sa.BigInteger, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
    sa.Column("s3_key", sa.Text, nullable=False),
    sa.Column("includes_analysis", sa.Boolean, nullable=False),
    sa.Column("includes_interview", sa.Boolean, nullable=False),
    sa.Column("uploaded_to_workday", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("workday_document_id", sa.Text),
    sa.Column("uploaded_at", sa.DateTime(timezone=True)),
    _created(),
)

activities = sa.Table(
    "activities", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    # Plain ids, no foreign keys: the audit trail outlives what it describes.
    sa.Column("requisition_id", sa.BigInteger),
    sa.Column("application_id", sa.BigInteger),
    sa.Column("queue_item_id", sa.BigInteger),
    sa.Column("details", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
)

prompts = sa.Table(
    "prompts", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("requisition_id", sa.BigInteger, sa.ForeignKey("requisitions.id", ondelete="CASCADE")),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("template_content", sa.Text, nullable=False),
    sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_by", sa.Text, nullable=False, server_default="system"),
    _created(),
)

queue_items = sa.Table(
    "queue_items", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("job_type", sa.Text, nullable=False),
    sa.Column("application_id", sa.BigInteger, sa.ForeignKey("applications.id", ondelete="CASCADE")),
    sa.Column("requisition_id", sa.BigInteger, sa.ForeignKey("requisitions.id", ondelete="CASCADE")),
    sa.Column("priority", sa.SmallInteger, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="pending"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("max_attempts", sa.Integer, nullable=False),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("locked_by", sa.Text),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("cancel_requested", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("enqueued_by", sa.Text, nullable=False, server_default="system"),
)

job_runs = sa.Table(
    "job_runs", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("queue_item_id", sa.BigInteger, nullable=False),
    sa.Column("job_type", sa.Text, nullable=False),
    sa.Column("application_id", sa.BigInteger),
    sa.Column("requisition_id", sa.BigInteger),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("outcome", sa.Text, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("worker", sa.Text),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("duration_ms", sa.Float),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("username", sa.Text, nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("last_login_at", sa.DateTime(timezone=True)),
    _created(),
)

settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value_encrypted", sa.Text, nullable=False),
    _updated(),
)
