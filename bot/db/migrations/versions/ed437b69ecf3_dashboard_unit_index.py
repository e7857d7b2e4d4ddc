"""dashboard unit index

Revision ID: ed437b69ecf3
Revises: 820bbff7544a
Create Date: 2026-11-23 12:18:04.936399
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'ed437b69ecf3'
down_revision: str | None = '820bbff7544a'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Expression index (autogenerate cannot compare these): one unit's users, commune compared lower-cased.
    op.create_index("ix_users_place_lower", "users", ["province", sa.text("lower(commune)")], unique=False)


def downgrade() -> None:
    op.drop_index("ix_users_place_lower", table_name="users")
