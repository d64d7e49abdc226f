"""users.track and users.difficulty: the track and level a candidate chose last

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("track", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("difficulty", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("difficulty")
        batch.drop_column("track")
