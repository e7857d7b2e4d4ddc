"""initiatives (“sáng kiến”): sent by citizens or for a learning unit, shortlisted and praised by officers

Revision ID: a1b2c3d4e701
Revises: e417b0130284
Create Date: 2026-11-30 07:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "a1b2c3d4e701"
down_revision: str | None = "e417b0130284"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "initiatives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("author", _str(length=160), nullable=False),
        sa.Column("province", _str(length=128), nullable=True),
        sa.Column("commune", _str(length=128), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("channel", _str(length=32), nullable=False),
        sa.Column("photo", _str(length=300), nullable=True),
        sa.Column("status", _str(length=16), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("decided_at", _time(), nullable=True),
        sa.Column("decided_by", _str(length=160), nullable=True),
        sa.Column("broadcast_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("initiatives", schema=None) as batch_op:
        batch_op.create_index("ix_initiatives_place", ["province", "commune", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_initiatives_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("initiatives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_initiatives_user_id"))
        batch_op.drop_index("ix_initiatives_place")
    op.drop_table("initiatives")
