"""the five learning models: units registered per year, their members and self-assessment answers

Revision ID: e1a2b3c4d520
Revises: c3d9a1b5e7f2
Create Date: 2026-11-30 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "e1a2b3c4d520"
down_revision: str | None = "c3d9a1b5e7f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "learning_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model", _str(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", _str(length=120), nullable=False),
        sa.Column("province", _str(length=128), nullable=True),
        sa.Column("commune", _str(length=128), nullable=True),
        sa.Column("owner_user_id", sa.Integer(), nullable=False),
        sa.Column("invite_code", _str(length=16), nullable=True),
        sa.Column("status", _str(length=16), nullable=False),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("submitted_at", _time(), nullable=True),
        sa.Column("decided_at", _time(), nullable=True),
        sa.Column("decided_by", _str(length=160), nullable=True),
        sa.Column("recognised_at", _time(), nullable=True),
        sa.ForeignKeyConstraint(["owner_user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("invite_code"),
    )
    with op.batch_alter_table("learning_units", schema=None) as batch_op:
        batch_op.create_index("ix_learning_units_place", ["year", "province", "commune"], unique=False)
        batch_op.create_index("ix_learning_units_owner", ["owner_user_id", "year"], unique=False)
        batch_op.create_index(batch_op.f("ix_learning_units_status"), ["status"], unique=False)
    op.create_table(
        "learning_unit_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", _time(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["learning_units.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "user_id", name="uq_learning_unit_member"),
    )
    with op.batch_alter_table("learning_unit_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_learning_unit_members_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_learning_unit_members_user_id"), ["user_id"], unique=False)
    op.create_table(
        "learning_unit_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("criterion", _str(length=16), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=False),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", _time(), nullable=False),
        sa.ForeignKeyConstraint(["answered_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["learning_units.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "criterion", name="uq_learning_unit_answer"),
    )


def downgrade() -> None:
    op.drop_table("learning_unit_answers")
    with op.batch_alter_table("learning_unit_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_unit_members_user_id"))
        batch_op.drop_index(batch_op.f("ix_learning_unit_members_unit_id"))
    op.drop_table("learning_unit_members")
    with op.batch_alter_table("learning_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_units_status"))
        batch_op.drop_index("ix_learning_units_owner")
        batch_op.drop_index("ix_learning_units_place")
    op.drop_table("learning_units")
