"""learning models: the commune's assessment date per year, and when a unit was reminded of it

Revision ID: a4c5d6e7f842
Revises: f2b3c4d5e631
Create Date: 2026-11-30 06:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "a4c5d6e7f842"
down_revision: str | None = "f2b3c4d5e631"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learning_assessment_dates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("province", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("commune", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("set_by", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("set_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "province", "commune", name="uq_learning_assessment_date"),
    )
    with op.batch_alter_table("learning_units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("learning_units", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
    op.drop_table("learning_assessment_dates")
