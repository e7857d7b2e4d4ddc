"""contest attempts: a covering index for the rank told at the end (a province's rows counted from the index)

Revision ID: 0b4461d928f4
Revises: a1b2c3d4e702
Create Date: 2026-11-30 08:32:25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0b4461d928f4"
down_revision: str | None = "a1b2c3d4e702"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contest_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contest_attempts_place",
            ["contest_id", "province", "correct", "total_ms", "finished_at", "commune"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("contest_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_contest_attempts_place")
