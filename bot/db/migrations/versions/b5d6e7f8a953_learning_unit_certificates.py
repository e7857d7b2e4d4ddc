"""learning units: the verification code of the certificate a recognised unit gets

Revision ID: b5d6e7f8a953
Revises: a4c5d6e7f842
Create Date: 2026-11-30 06:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "b5d6e7f8a953"
down_revision: str | None = "a4c5d6e7f842"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a unique INDEX, not a constraint: SQLite adds it without rebuilding the table (a rebuild reflects the
    # tables it references, and `users` has an expression index SQLAlchemy warns about on start-up)
    with op.batch_alter_table("learning_units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cert_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.create_index("ix_learning_units_cert_code", ["cert_code"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("learning_units", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_units_cert_code")
        batch_op.drop_column("cert_code")
