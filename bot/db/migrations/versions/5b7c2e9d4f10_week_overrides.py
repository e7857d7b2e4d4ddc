"""an officer sets a year's Week (dates, theme) for the deployment (week_overrides)

Revision ID: 5b7c2e9d4f10
Revises: 7b7334bf19d0
Create Date: 2026-11-30 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5b7c2e9d4f10"
down_revision: str | None = "7b7334bf19d0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "week_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("theme", sa.Text(), nullable=True),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("week_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_week_overrides_year"), ["year"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("week_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_week_overrides_year"))
    op.drop_table("week_overrides")
