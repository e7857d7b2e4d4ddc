"""Per-recipient delivery reports: rows from one query, written as CSV (UTF-8 with BOM, opens in Excel) or
XLSX (openpyxl, write-only mode so 50,000 rows stay light)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import User
from bot.db.models_officers import Delivery

STATE_LABELS = {
    "queued": "Đang chờ", "sending": "Đang gửi", "sent": "Đã gửi", "failed": "Gửi lỗi",
    "blocked": "Đã chặn bot", "unreachable": "Không liên lạc được", "skipped": "Bỏ qua",
}  # fmt: skip
HEADER = ["Mã người nhận", "Tên", "Kênh", "Trạng thái", "Số lần thử", "Lý do lỗi", "Gửi lúc"]


async def delivery_rows(
    s: AsyncSession, broadcast_id: int, tz: Any, *, limit: int | None = None, offset: int = 0,
    state: str | None = None,
) -> list[list[Any]]:
    """One row per recipient, in queue order: id, name, channel, state (Vietnamese), attempts, reason, time."""
    stmt: Any = (
        select(Delivery.user_id, User.display_name, Delivery.channel, Delivery.state, Delivery.attempts,
               Delivery.last_error, Delivery.sent_at)
        .select_from(Delivery)
        .outerjoin(User, col(User.id) == col(Delivery.user_id))
        .where(col(Delivery.broadcast_id) == broadcast_id)
        .order_by(col(Delivery.id))
    )  # fmt: skip
    if state:
        stmt = stmt.where(col(Delivery.state) == state)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    out = []
    for uid, name, channel, st, attempts, err, sent_at in (await s.execute(stmt)).all():
        when = sent_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if isinstance(sent_at, dt.datetime) else ""
        out.append([uid, name or "", channel, STATE_LABELS.get(st, st), attempts, err or "", when])
    return out


def to_csv(rows: Sequence[Sequence[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[Sequence[Any]], title: str) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Bao cao")
    ws.append(HEADER)
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
