"""revoked_sessions: sign-in sessions ended by signing out

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 11:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "revoked_sessions",
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_revoked_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("sid", name=op.f("pk_revoked_sessions")),
    )
    op.create_index(op.f("ix_revoked_sessions_user_id"), "revoked_sessions", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_revoked_sessions_user_id"), table_name="revoked_sessions")
    op.drop_table("revoked_sessions")
