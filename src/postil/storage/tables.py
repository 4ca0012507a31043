"""Database tables (SQLAlchemy Core): the single source of the relational layout."""

# No `from __future__ import annotations` here: it would bind the name of the `annotations`
# table below. Modules that have it import the table as `annotations_table`.

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects import postgresql

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# JSONB on PostgreSQL, JSON text elsewhere.
Json = JSON().with_variant(postgresql.JSONB(), "postgresql")
Id = BigInteger().with_variant(Integer(), "sqlite")
Moment = DateTime(timezone=True)

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True),
    Column("username", String(150), nullable=False, unique=True),
    Column("email", String(254)),
    Column("password_hash", String(255), nullable=False),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("created_at", Moment, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("expires_at", Moment, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("last_used_at", Moment),
)

projects = Table(
    "projects",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("schema_version", Integer, nullable=False),
    Column("overlap", Integer, nullable=False, default=1),
    Column("ordering", String(20), nullable=False, default="sequential"),
    Column("task_count", Integer, nullable=False, default=0),
    Column("completed_count", Integer, nullable=False, default=0),
    Column("created_by", ForeignKey("users.id"), nullable=True),
    Column("created_at", Moment, nullable=False),
    Column("updated_at", Moment, nullable=False),
)

schema_versions = Table(
    "schema_versions",
    metadata,
    Column("id", Id, primary_key=True),
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("schema", Json, nullable=False),
    Column("changes", Json, nullable=False),
    Column("created_by", ForeignKey("users.id"), nullable=True),
    Column("created_at", Moment, nullable=False),
    UniqueConstraint("project_id", "version"),
)

members = Table(
    "members",
    metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("role", String(20), nullable=False),
)

tasks = Table(
    "tasks",
    metadata,
    Column("id", Id, primary_key=True),
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("data", Json, nullable=False),
    Column("meta", Json, nullable=False),
    Column("external_id", String(255)),
    Column("content_hash", String(64), nullable=False),  # 32 hex digits since revision 0003
    Column("priority", Float, nullable=False, default=0.0),
    Column("annotation_count", Integer, nullable=False, default=0),
    Column("is_completed", Boolean, nullable=False, default=False),
    Column("needs_relabel", Boolean, nullable=False, default=False),
    Column("import_id", Id, nullable=True),
    Column("created_at", Moment, nullable=False),
    Column("updated_at", Moment, nullable=False),
    UniqueConstraint("project_id", "content_hash"),
    # The queue reads the first incomplete task in id order, or by priority then id.
    Index("ix_tasks_queue", "project_id", "is_completed", "id"),
    Index("ix_tasks_queue_priority", "project_id", "is_completed", text("priority DESC"), "id"),
    Index("ix_tasks_project_id_id", "project_id", "id"),
    Index(
        "uq_tasks_project_external",
        "project_id",
        "external_id",
        unique=True,
        sqlite_where=text("external_id IS NOT NULL"),
        postgresql_where=text("external_id IS NOT NULL"),
    ),
)

leases = Table(
    "leases",
    metadata,
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", Id, nullable=False),
    Column("expires_at", Moment, nullable=False),
    Index("ix_leases_user", "user_id", "project_id"),
)

annotations = Table(
    "annotations",
    metadata,
    Column("id", Id, primary_key=True),
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False),
    Column("project_id", Id, nullable=False),
    Column("completed_by", ForeignKey("users.id"), nullable=False),
    Column("status", String(20), nullable=False),  # submitted | skipped
    Column("result", Json, nullable=False),
    Column("version", Integer, nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("lead_time", Float, nullable=False, default=0.0),
    Column("prediction_id", Id, nullable=True),
    Column("created_at", Moment, nullable=False),
    Column("updated_at", Moment, nullable=False),
    UniqueConstraint("task_id", "completed_by"),
    Index("ix_annotations_project_user", "project_id", "completed_by"),
    # Skips only (few): the data manager's "skipped" filter and count, and each annotator's
    # skipped tasks, without reading the project's answers. Queries spell the condition with
    # the literal, as here, or neither database uses a partial index.
    Index(
        "ix_annotations_skipped",
        "project_id",
        "completed_by",
        "task_id",
        sqlite_where=text("status = 'skipped'"),
        postgresql_where=text("status = 'skipped'"),
    ),
)

annotation_history = Table(
    "annotation_history",
    metadata,
    Column("id", Id, primary_key=True),
    Column("annotation_id", ForeignKey("annotations.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("result", Json, nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("lead_time", Float, nullable=False),
    Column("changed_by", ForeignKey("users.id"), nullable=True),
    Column("created_at", Moment, nullable=False),
    UniqueConstraint("annotation_id", "version"),
)

drafts = Table(
    "drafts",
    metadata,
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", Id, nullable=False),
    Column("result", Json, nullable=False),
    Column("lead_time", Float, nullable=False, default=0.0),
    Column("base_version", Integer, nullable=True),
    Column("schema_version", Integer, nullable=False),
    Column("updated_at", Moment, nullable=False),
)

predictions = Table(
    "predictions",
    metadata,
    Column("id", Id, primary_key=True),
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("project_id", Id, nullable=False),
    Column("model_version", String(200), nullable=False, default=""),
    Column("score", Float, nullable=True),
    Column("result", Json, nullable=False),
    Column("created_at", Moment, nullable=False),
)

imports = Table(
    "imports",
    metadata,
    Column("id", Id, primary_key=True),
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(20), nullable=False),  # running | completed | failed
    Column("source", String(500), nullable=False, default=""),
    Column("task_count", Integer, nullable=False, default=0),
    Column("duplicate_count", Integer, nullable=False, default=0),
    Column("error", Json, nullable=True),
    Column("created_by", ForeignKey("users.id"), nullable=True),
    Column("created_at", Moment, nullable=False),
    Column("finished_at", Moment, nullable=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True),
    Column("at", Moment, nullable=False, index=True),
    Column("user_id", Id, nullable=True),
    Column("action", String(50), nullable=False),
    Column("project_id", Id, nullable=True, index=True),
    Column("object_type", String(50), nullable=True),
    Column("object_id", String(100), nullable=True),
    Column("detail", Json, nullable=False),
)

# Consecutive failed logins per account ("account:<name>") and per client address
# ("address:<ip>"): in the database, so every API process and machine sees the same counts.
login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failed_at", Moment, nullable=False, index=True),
    Column("blocked_until", Moment, nullable=True),
)

# Instance-wide settings an administrator changes at run time (e.g. who may create projects),
# one row per setting that differs from its default.
instance_settings = Table(
    "instance_settings",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Json, nullable=False),
)
