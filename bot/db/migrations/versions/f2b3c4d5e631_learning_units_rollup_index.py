"""learning units: the roll-up reads a covering index (year, province, commune, model, status)

Revision ID: f2b3c4d5e631
Revises: e1a2b3c4d520
Create Date: 2026-11-30 06:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "f2b3c4d5e631"
down_revision: str | None = "e1a2b3c4d520"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("learning_units", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_units_place")
        batch_op.create_index("ix_learning_units_rollup", ["year", "province", "commune", "model", "status"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("learning_units", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_units_rollup")
        batch_op.create_index("ix_learning_units_place", ["year", "province", "commune"], unique=False)
