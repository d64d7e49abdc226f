"""ORM rows.  They never leave :mod:`interview_engine.storage`: repositories map them to domain objects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


def _session_fk() -> Any:
    return ForeignKey("sessions.id", ondelete="CASCADE")


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime]
    # The track and level last chosen: the home page and the pickers open on them.
    track: Mapped[str | None] = mapped_column(String(16))
    difficulty: Mapped[str | None] = mapped_column(String(16))


class RevokedSessionRow(Base):
    """A signed-out sign-in session: its cookie, even copied, no longer signs anyone in."""

    __tablename__ = "revoked_sessions"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    revoked_at: Mapped[datetime]


class SessionRow(Base):
    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_user_created", "user_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module: Mapped[str] = mapped_column(String(64))
    track: Mapped[str] = mapped_column(String(16))
    difficulty: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    kb_version: Mapped[str] = mapped_column(String(100))
    item_id: Mapped[str | None] = mapped_column(String(100))
    time_limit_s: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    state: Mapped[dict[str, Any]]
    external_ref: Mapped[str | None] = mapped_column(String(200), index=True)
    agent_config_version: Mapped[str | None] = mapped_column(String(100))
    # Optimistic locking: every UPDATE says ``WHERE version = <the version read>``; the store sets the new one.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class TranscriptRow(Base):
    __tablename__ = "transcripts"
    __table_args__ = (UniqueConstraint("session_id", "key", name="uq_transcripts_session_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(_session_fk(), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(200))
    time_s: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(32))


class EvaluationRow(Base):
    __tablename__ = "evaluations"

    session_id: Mapped[str] = mapped_column(_session_fk(), primary_key=True)
    rubric: Mapped[str] = mapped_column(String(100))
    weighted_average: Mapped[float] = mapped_column(Float)
    decision: Mapped[str] = mapped_column(String(16))
    result: Mapped[str | None] = mapped_column(String(32))
    # jsonb on PostgreSQL: analytics reads topics and metrics out of it without re-parsing the body.
    body: Mapped[dict[str, Any]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    created_at: Mapped[datetime]


class SubmissionRow(Base):
    __tablename__ = "submissions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    session_id: Mapped[str] = mapped_column(_session_fk(), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    files: Mapped[dict[str, Any]]
    notes: Mapped[str] = mapped_column(Text, default="")
    claim: Mapped[str] = mapped_column(String(100), default="")
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class TestRunRow(Base):
    __tablename__ = "test_runs"
    __test__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[str] = mapped_column(_session_fk(), index=True)
    name: Mapped[str] = mapped_column(String(200))
    group: Mapped[str] = mapped_column("group_name", String(64))
    passed: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(32))
    weight: Mapped[float] = mapped_column(Float)
    visible: Mapped[bool] = mapped_column(Boolean)
    fuel_used: Mapped[int] = mapped_column(BigInteger)
    output: Mapped[str] = mapped_column(Text, default="")


class _SnapshotColumns:
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[str] = mapped_column(String(100), primary_key=True)
    data: Mapped[dict[str, Any]]
    stored_at: Mapped[datetime]


class QuestionSetRow(_SnapshotColumns, Base):
    __tablename__ = "question_sets"


class CodingSetRow(_SnapshotColumns, Base):
    __tablename__ = "coding_sets"


class BugScenarioRow(_SnapshotColumns, Base):
    __tablename__ = "bug_scenarios"


class StudyCatalogRow(_SnapshotColumns, Base):
    __tablename__ = "study_catalogs"


class ContentSnapshotRow(Base):
    """A snapshot of any other kind than the tables above: kinds are open, a module names its own."""

    __tablename__ = "content_snapshots"

    kind: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[str] = mapped_column(String(100), primary_key=True)
    data: Mapped[dict[str, Any]]
    stored_at: Mapped[datetime]


class ModuleRecordRow(Base):
    """A module's private record of one session (``interview_engine.RecordKind``): typed JSON keyed by module."""

    __tablename__ = "module_records"

    session_id: Mapped[str] = mapped_column(_session_fk(), primary_key=True)
    module: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    updated_at: Mapped[datetime]


class GradingJobRow(Base):
    __tablename__ = "grading_jobs"
    __table_args__ = (
        Index("ix_grading_jobs_state_created", "state", "created_at"),
        Index("ix_grading_jobs_user_state", "user_id", "state"),
        Index("ix_grading_jobs_session_digest", "session_id", "digest"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    session_id: Mapped[str] = mapped_column(_session_fk())
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    submission_id: Mapped[str] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    step: Mapped[str] = mapped_column(String(200), default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text, default="")
    fault: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class RunResultRow(Base):
    """A sandbox result shared by every process: identical code on identical inputs is not run twice."""

    __tablename__ = "run_results"
    __table_args__ = (Index("ix_run_results_created", "created_at"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]]
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]


class SignInFailureRow(Base):
    """One failed sign-in, under the hash of the account or of the address it came from.

    Kept in the database so that every web process counts the same failures.
    """

    __tablename__ = "signin_failures"
    __table_args__ = (
        Index("ix_signin_failures_key", "kind", "key", "failed_at"),
        Index("ix_signin_failures_failed_at", "failed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # "account" or "address"
    key: Mapped[str] = mapped_column(String(64))  # sha256 of the email or the address
    failed_at: Mapped[datetime]


SNAPSHOT_TABLES: dict[str, Any] = {
    "question_sets": QuestionSetRow,
    "coding_sets": CodingSetRow,
    "bug_scenarios": BugScenarioRow,
    "study_catalogs": StudyCatalogRow,
}

#: Every table holding rows that belong to a session, with the column that says which.
SESSION_OWNED = {
    "transcripts": TranscriptRow,
    "evaluations": EvaluationRow,
    "submissions": SubmissionRow,
    "test_runs": TestRunRow,
    "module_records": ModuleRecordRow,
    "grading_jobs": GradingJobRow,
}
