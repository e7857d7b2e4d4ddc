"""learning models: the households / units of a place per model and year (the rate's denominator)

Revision ID: a1b2c3d4e702
Revises: a1b2c3d4e701
Create Date: 2026-11-30 08:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "a1b2c3d4e702"
down_revision: str | None = "a1b2c3d4e701"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "learning_denominators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("province", _str(length=128), nullable=False),
        sa.Column("commune", _str(length=128), nullable=False),
        sa.Column("model", _str(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("set_by", _str(length=160), nullable=False),
        sa.Column("set_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "province", "commune", "model", name="uq_learning_denominator"),
    )


def downgrade() -> None:
    op.drop_table("learning_denominators")
