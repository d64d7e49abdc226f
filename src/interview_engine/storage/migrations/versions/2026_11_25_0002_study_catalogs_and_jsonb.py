"""study_catalogs snapshots; evaluations.body as jsonb on PostgreSQL

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 00:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "study_catalogs",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", "version", name=op.f("pk_study_catalogs")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE evaluations ALTER COLUMN body TYPE jsonb USING body::jsonb")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE evaluations ALTER COLUMN body TYPE json USING body::json")
    op.drop_table("study_catalogs")
