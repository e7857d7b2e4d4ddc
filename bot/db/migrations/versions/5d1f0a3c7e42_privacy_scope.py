"""privacy: unanswered questions carry the askers' place (officers see their own units) and are masked;
revoked certificate codes; no identity keeps a group chat as its address

Revision ID: 5d1f0a3c7e42
Revises: 9e3a5f0c7b21
Create Date: 2026-11-30 05:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5d1f0a3c7e42"
down_revision: str | None = "9e3a5f0c7b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("unanswered_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("province", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch_op.add_column(sa.Column("commune", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch_op.create_index(batch_op.f("ix_unanswered_questions_province"), ["province"], unique=False)
    op.create_table(
        "revoked_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    bind = op.get_bind()
    # A Telegram message written in a group used to make the group the writer's address (H2): back to private.
    bind.execute(sa.text(
        "UPDATE identities SET chat_id = external_id WHERE channel = 'telegram' AND chat_id LIKE '-%'"
    ))
    # Phone, ID-card and e-mail numbers already on the officers' list are masked like new ones.
    from bot.redact import mask_pii

    rows = bind.execute(sa.text("SELECT id, question, folded FROM unanswered_questions")).all()
    for row_id, question, folded in rows:
        q, f = mask_pii(question or ""), mask_pii(folded or "")
        if (q, f) != (question, folded):
            bind.execute(sa.text("UPDATE unanswered_questions SET question = :q, folded = :f WHERE id = :i"),
                         {"q": q, "f": f, "i": row_id})


def downgrade() -> None:
    op.drop_table("revoked_certificates")
    with op.batch_alter_table("unanswered_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unanswered_questions_province"))
        batch_op.drop_column("commune")
        batch_op.drop_column("province")
