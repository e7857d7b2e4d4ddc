"""a finished broadcast keeps its delivery counts (broadcasts.final_counts)

Revision ID: 9e3a5f0c7b21
Revises: 4c1e7d2a9b10
Create Date: 2026-11-23 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9e3a5f0c7b21"
down_revision: str | None = "4c1e7d2a9b10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("final_counts", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.drop_column("final_counts")
