"""grading_jobs and run_results; procrastinate's queue schema on PostgreSQL

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:50:00

On PostgreSQL the queue engine's own tables and functions (procrastinate's
``schema.sql`` of the pinned release) are applied here, so ``interview db upgrade``
is the one step that prepares a database for web processes and workers alike.
A later procrastinate release with migrations gets a revision of ours that
applies its SQL migration files.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _procrastinate_schema() -> str:
    from procrastinate.schema import SchemaManager

    return SchemaManager.get_schema()


def upgrade() -> None:
    op.create_table(
        "grading_jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("module", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("submission_id", sa.String(length=32), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("fault", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_grading_jobs_session_id_sessions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_grading_jobs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grading_jobs")),
    )
    op.create_index("ix_grading_jobs_state_created", "grading_jobs", ["state", "created_at"])
    op.create_index("ix_grading_jobs_user_state", "grading_jobs", ["user_id", "state"])
    op.create_index("ix_grading_jobs_session_digest", "grading_jobs", ["session_id", "digest"])
    op.create_table(
        "run_results",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_run_results")),
    )
    op.create_index("ix_run_results_created", "run_results", ["created_at"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # The raw driver cursor: the schema's text holds % and :: that a bound-parameter layer would misread.
        cursor = bind.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(_procrastinate_schema())


def downgrade() -> None:
    op.drop_index("ix_run_results_created", table_name="run_results")
    op.drop_table("run_results")
    op.drop_index("ix_grading_jobs_session_digest", table_name="grading_jobs")
    op.drop_index("ix_grading_jobs_user_state", table_name="grading_jobs")
    op.drop_index("ix_grading_jobs_state_created", table_name="grading_jobs")
    op.drop_table("grading_jobs")
