"""an approved officer answer is served where it applies (faq_proposals.scope_province / scope_commune)

Existing answers get their writer's unit (a commune officer's commune, a province officer's province), the safe
default: an answer about one commune's class is no longer served to the whole country. Answers written by an
admin (or by an account no longer an officer) stay for everyone.

Revision ID: a7c4e2f81d30
Revises: 5b7c2e9d4f10
Create Date: 2026-11-30 05:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "a7c4e2f81d30"
down_revision: str | None = "5b7c2e9d4f10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("faq_proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope_province", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True))
        batch_op.add_column(sa.Column("scope_commune", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True))
    conn = op.get_bind()
    proposals = conn.execute(
        sa.text("SELECT id, proposed_by FROM faq_proposals WHERE scope_province IS NULL")
    ).all()
    for pid, actor in proposals:
        channel, _, external = str(actor or "").removeprefix("web:").partition(":")
        officer = conn.execute(
            sa.text("SELECT id, role FROM officers WHERE channel = :c AND external_id = :e"),
            {"c": channel, "e": external},
        ).first()
        if officer is None or officer[1] == "admin":
            continue
        scopes = conn.execute(
            sa.text("SELECT kind, value FROM officer_scopes WHERE officer_id = :o ORDER BY id"), {"o": officer[0]}
        ).all()
        communes = [v for k, v in scopes if k == "commune"]
        provinces = [v for k, v in scopes if k == "province"]
        if communes:
            commune, _, province = communes[0].partition("|")
        elif provinces:
            commune, province = "", provinces[0]
        else:
            continue
        conn.execute(
            sa.text("UPDATE faq_proposals SET scope_province = :p, scope_commune = :c WHERE id = :i"),
            {"p": province, "c": commune or None, "i": pid},
        )


def downgrade() -> None:
    with op.batch_alter_table("faq_proposals", schema=None) as batch_op:
        batch_op.drop_column("scope_commune")
        batch_op.drop_column("scope_province")
