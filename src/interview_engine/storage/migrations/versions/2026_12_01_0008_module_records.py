"""module_records: modules' private records leave the core (coding_sessions, debug_sessions and
debug_evaluations become typed JSON keyed by module); content_snapshots for kinds modules name

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 13:10:00
"""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: (old table, module, kind, its columns besides session_id, the datetime ones)
MOVED = (
    (
        "coding_sessions",
        "live_coding",
        "coding_sessions",
        ("problem_id", "time_limit_s", "started_at", "submitted_at", "runs", "runs_before_first_pass", "late"),
    ),
    (
        "debug_sessions",
        "debugging",
        "debug_sessions",
        ("scenario_id", "started_at", "hints_revealed", "runs", "submitted_at"),
    ),
    ("debug_evaluations", "debugging", "debug_evaluations", ("result", "body", "hints_used", "created_at")),
)
DATES = {"started_at", "submitted_at", "created_at"}


def _json() -> Any:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _iso(value: Any) -> Any:
    """A stored time as the engine's converter writes it (ISO 8601, UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _record(columns: tuple[str, ...], row: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"session_id": row.session_id}
    for name in columns:
        value = getattr(row, name)
        if name == "body":  # the debugging verdict kept its dimensions in one JSON column
            data.update(value if isinstance(value, dict) else {})
        else:
            data[name] = _iso(value) if name in DATES else value
    return data


def upgrade() -> None:
    op.create_table(
        "module_records",
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("module", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("data", _json(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_module_records_session_id_sessions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("session_id", "module", "kind", name=op.f("pk_module_records")),
    )
    op.create_table(
        "content_snapshots",
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", "version", name=op.f("pk_content_snapshots")),
    )
    bind = op.get_bind()
    records = sa.table(
        "module_records",
        sa.column("session_id"),
        sa.column("module"),
        sa.column("kind"),
        sa.column("data", sa.JSON()),
        sa.column("updated_at"),
    )
    now = datetime.now(UTC)
    for table, module, kind, columns in MOVED:
        old = sa.table(
            table, sa.column("session_id"), *(sa.column(c, sa.JSON() if c == "body" else None) for c in columns)
        )
        rows = [
            {
                "session_id": row.session_id,
                "module": module,
                "kind": kind,
                "data": _record(columns, row),
                "updated_at": now,
            }
            for row in bind.execute(sa.select(old))
        ]
        if rows:
            op.bulk_insert(records, rows)
        op.drop_table(table)


def downgrade() -> None:
    bind = op.get_bind()
    records = sa.table(
        "module_records", sa.column("session_id"), sa.column("module"), sa.column("kind"), sa.column("data", sa.JSON())
    )
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for stored in bind.execute(sa.select(records)):
        found.setdefault((stored.module, stored.kind), []).append(dict(stored.data))
    op.create_table(
        "coding_sessions",
        sa.Column(
            "session_id", sa.String(length=32), sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("problem_id", sa.String(length=100), nullable=False),
        sa.Column("time_limit_s", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("runs_before_first_pass", sa.Integer(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "debug_evaluations",
        sa.Column(
            "session_id", sa.String(length=32), sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("result", sa.String(length=32), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("hints_used", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "debug_sessions",
        sa.Column(
            "session_id", sa.String(length=32), sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("scenario_id", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hints_revealed", sa.Integer(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
    )
    for table, module, kind, columns in MOVED:
        target = sa.table(
            table, sa.column("session_id"), *(sa.column(c, sa.JSON() if c == "body" else None) for c in columns)
        )
        rows: list[dict[str, Any]] = []
        for data in found.get((module, kind), []):
            row: dict[str, Any] = {"session_id": data["session_id"]}
            for name in columns:
                if name == "body":
                    row["body"] = {k: data.get(k, {}) for k in ("diagnosis", "fix", "testing", "communication")}
                elif name in DATES:
                    row[name] = datetime.fromisoformat(data[name]) if data.get(name) else None
                else:
                    row[name] = data.get(name)
            rows.append(row)
        if rows:
            op.bulk_insert(target, rows)
    op.drop_table("content_snapshots")
    op.drop_table("module_records")
