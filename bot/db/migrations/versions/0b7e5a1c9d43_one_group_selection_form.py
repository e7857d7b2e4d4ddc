"""group selections: one stored form, JSON ("all" or sorted group ids), for broadcasts and campaigns alike

Campaigns stored everyone as the bare word `all` while broadcasts stored the JSON string `"all"`, and group ids were
kept in the order they were chosen. Every row is rewritten in the form handlers.officers.audience.dump_groups writes.

Revision ID: 0b7e5a1c9d43
Revises: b5d6e7f8a953
Create Date: 2026-11-30 08:20:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0b7e5a1c9d43"
down_revision: str | None = "b5d6e7f8a953"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def canonical(stored: str | None) -> str:
    """The same form as handlers.officers.audience.dump_groups (kept here: a migration does not import app code)."""
    raw = (stored or "").strip() or "[]"
    value = "all" if raw == "all" else json.loads(raw)
    return json.dumps("all" if value == "all" else sorted({int(v) for v in value}))


def _rewrite(table: str, column: str) -> None:
    conn = op.get_bind()
    for row_id, stored in conn.execute(sa.text(f"SELECT id, {column} FROM {table}")).all():
        new = canonical(stored)
        if new != stored:
            conn.execute(sa.text(f"UPDATE {table} SET {column} = :v WHERE id = :i"), {"v": new, "i": row_id})


def upgrade() -> None:
    _rewrite("campaigns", "groups")
    _rewrite("broadcasts", "group_ids")


def downgrade() -> None:
    """Campaigns for everyone get the bare word back; the JSON lists stay (the old code read them too)."""
    op.get_bind().execute(sa.text("""UPDATE campaigns SET groups = 'all' WHERE groups = '"all"'"""))
