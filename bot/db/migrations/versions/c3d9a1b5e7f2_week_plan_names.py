"""Week-plan reminders made before are named as the new ones: “Tuần lễ 2027 — 7 ngày trước”, not “…: before_7”

Revision ID: c3d9a1b5e7f2
Revises: a7c4e2f81d30
Create Date: 2026-11-30 05:50:00
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3d9a1b5e7f2"
down_revision: str | None = "a7c4e2f81d30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = re.compile(r"^Tuần lễ (\d{4}): (before_(\d+)|day_(\d+))$")


def label(m: re.Match[str]) -> str:
    """The same words as handlers.week.campaign_store.plan_label (kept here: a migration does not import app code)."""
    before, day = m.group(3), m.group(4)
    return f"Tuần lễ {m.group(1)} — " + (f"{before} ngày trước" if before else f"ngày {day} ({day}/10)")


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM campaigns WHERE kind = 'week' AND name LIKE 'Tuần lễ %'")).all()
    for cid, name in rows:
        m = OLD.match(str(name))
        if m:
            conn.execute(sa.text("UPDATE campaigns SET name = :n WHERE id = :i"), {"n": label(m), "i": cid})


def downgrade() -> None:
    """Names are not put back."""
