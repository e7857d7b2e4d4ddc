"""Per-recipient delivery reports: CSV (UTF-8 with BOM, opens in Excel) streamed in keyset pages, or
XLSX streamed too (XlsxWriter in constant_memory mode, in a worker thread: each page of rows goes to a
temporary file as it is read, and the zip is sent while it is written, so memory stays flat)."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import re
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.engine import Database
from bot.db.models import User
from bot.db.models_officers import Delivery
from bot.redact import mask_pii
from handlers.officers import reasons

STATE_LABELS = reasons.STATE_LABELS
HEADER = ["Mã người nhận", "Tên", "Kênh", "Trạng thái", "Số lần thử", "Lý do lỗi", "Gửi lúc"]
WIDTHS = [14, 28, 12, 20, 11, 40, 20]
CHUNK = 5000  # rows per keyset page of a streamed CSV
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


async def delivery_rows(
    s: AsyncSession, broadcast_id: int, tz: Any, *, limit: int | None = None, offset: int = 0,
    state: str | None = None,
) -> list[list[Any]]:
    """One row per recipient, in queue order: id, name, channel, state (Vietnamese), attempts, reason, time.

    A page is chosen on the (broadcast_id, id) index first, so only its rows are joined to users."""
    stmt: Any = (
        select(col(Delivery.user_id), col(User.display_name), col(Delivery.channel), col(Delivery.state),
               col(Delivery.attempts), col(Delivery.last_error), col(Delivery.sent_at))
        .select_from(Delivery)
        .outerjoin(User, col(User.id) == col(Delivery.user_id))
        .order_by(col(Delivery.id))
    )  # fmt: skip
    ids: Any = select(col(Delivery.id)).where(col(Delivery.broadcast_id) == broadcast_id)
    if state:
        ids = ids.where(col(Delivery.state) == state)
    if limit is not None:
        ids = ids.order_by(col(Delivery.id)).limit(limit).offset(offset)
        stmt = stmt.where(col(Delivery.id).in_(ids.scalar_subquery()))
    else:
        stmt = stmt.where(col(Delivery.broadcast_id) == broadcast_id)
        if state:
            stmt = stmt.where(col(Delivery.state) == state)
    conn = await s.connection()  # Core rows, without the ORM's per-row result processing
    return [_row(r, tz) for r in (await conn.execute(stmt)).all()]


def _row(r: Sequence[Any], tz: Any) -> list[Any]:
    uid, name, channel, st, attempts, err, sent_at = r
    # isoformat, not strftime: ten times faster on a 100,000-row report
    when = sent_at.astimezone(tz).replace(tzinfo=None).isoformat(" ", "seconds") if isinstance(
        sent_at, dt.datetime) else ""
    return [uid, mask_pii(name or ""), channel, STATE_LABELS.get(st, st), attempts, reasons.label(st, err), when]


async def row_pages(db: Database, broadcast_id: int, tz: Any, size: int = CHUNK) -> AsyncIterator[list[list[Any]]]:
    """The same rows as delivery_rows, `size` at a time in keyset pages on (broadcast_id, id): each page is
    its own short read-only query, so a 100,000-row download holds no lock and starts at once."""
    last = 0
    while True:
        stmt: Any = (
            select(col(Delivery.id), col(Delivery.user_id), col(User.display_name), col(Delivery.channel),
                   col(Delivery.state), col(Delivery.attempts), col(Delivery.last_error), col(Delivery.sent_at))
            .select_from(Delivery)
            .outerjoin(User, col(User.id) == col(Delivery.user_id))
            .where(col(Delivery.broadcast_id) == broadcast_id, col(Delivery.id) > last)
            .order_by(col(Delivery.id))
            .limit(size)
        )  # fmt: skip
        async with db.read_session() as s:
            rows = (await (await s.connection()).execute(stmt)).all()
        if not rows:
            return
        last = rows[-1][0]
        yield [_row(r[1:], tz) for r in rows]
        if len(rows) < size:
            return


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Any) -> str:
    """Every exported cell (CSV and XLSX) is text; one that a spreadsheet would run as a formula (=, +, -, @,
    tab, CR first, e.g. a display name “=HYPERLINK(…)”) gets a leading ' so it stays text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def text_rows(rows: Sequence[Sequence[Any]]) -> list[list[str]]:
    return [[cell_text(v) for v in row] for row in rows]


def csv_chunk(rows: Sequence[Sequence[Any]], *, header: bool = False, columns: Sequence[str] = HEADER) -> bytes:
    """Rows as CSV bytes; the first chunk (header=True) starts with the UTF-8 BOM and the header row
    (`columns`: the delivery report's unless another export names its own)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    if header:
        buf.write("\ufeff")
        writer.writerow(columns)
    writer.writerows(text_rows(rows))
    return buf.getvalue().encode("utf-8")


def to_csv(rows: Sequence[Sequence[Any]]) -> bytes:
    return csv_chunk(rows, header=True)


_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


_XLSX_OPTIONS = {"strings_to_numbers": False, "strings_to_urls": False, "strings_to_formulas": False}
PIPE_CHUNK = 256 * 1024  # bytes of the zip handed to the response at a time


class _Pipe:
    """A write-only, non-seekable file for zipfile: bytes go to `send` in PIPE_CHUNK pieces (zipfile then
    writes data descriptors instead of seeking back)."""

    def __init__(self, send: Callable[[bytes], None]) -> None:
        self.send = send
        self.buf = bytearray()

    def write(self, data: bytes) -> int:
        self.buf += data
        if len(self.buf) >= PIPE_CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buf:
            self.send(bytes(self.buf))
            self.buf.clear()

    def tell(self) -> int:
        raise OSError("not seekable")

    def seekable(self) -> bool:
        return False


class XlsxStream:
    """One sheet written row page by row page (bold frozen header, sized columns, every cell text); `close()`
    writes the zip through `send`. Blocking: run it in a worker thread."""

    def __init__(self, title: str, send: Callable[[bytes], None], *, tmpdir: str | None = None,
                 columns: Sequence[str] = HEADER, widths: Sequence[int] = WIDTHS) -> None:  # fmt: skip
        import xlsxwriter  # loaded with the first spreadsheet asked for, not at start-up

        self.pipe = _Pipe(send)
        self.book = xlsxwriter.Workbook(self.pipe, {"constant_memory": True, "tmpdir": tmpdir, **_XLSX_OPTIONS})
        self.sheet = self.book.add_worksheet(_SHEET_NAME.sub(" ", title)[:31] or "Bao cao")
        self.sheet.freeze_panes(1, 0)
        for i, width in enumerate(widths):
            self.sheet.set_column(i, i, width)
        self.sheet.write_row(0, 0, list(columns), self.book.add_format({"bold": True}))
        self.row = 1

    def add(self, rows: Sequence[Sequence[Any]]) -> None:
        write = self.sheet.write_string
        r = self.row
        for row in text_rows(rows):
            for c, value in enumerate(row):
                if value:  # an empty cell is left blank: XlsxWriter spends ~10 µs on every cell it writes
                    write(r, c, value)
            r += 1
        self.row = r

    def close(self) -> None:
        self.book.close()
        self.pipe.flush()


def to_xlsx(rows: Sequence[Sequence[Any]], title: str, columns: Sequence[str] = HEADER,
            widths: Sequence[int] = WIDTHS) -> bytes:  # fmt: skip
    """The whole file at once (small reports, tests): the same sheet XlsxStream streams (`columns`, `widths`:
    the delivery report's unless another export names its own)."""
    parts: list[bytes] = []
    stream = XlsxStream(title, parts.append, columns=columns, widths=widths)
    stream.add(rows)
    stream.close()
    return b"".join(parts)


def attachment(filename: str) -> dict[str, str]:
    """Response headers of a download named `filename` (never cached: it holds people's data)."""
    return {"Cache-Control": "no-store", "Content-Disposition": f'attachment; filename="{filename}"'}


async def table_download(kind: str, rows: Sequence[Sequence[Any]], filename: str, title: str,
                         columns: Sequence[str], widths: Sequence[int]) -> web.Response:  # fmt: skip
    """A small table as a CSV (UTF-8 BOM) or XLSX download (`kind` "csv" or "xlsx"), every cell as text."""
    if kind == "csv":
        body = csv_chunk(rows, header=True, columns=columns)
        return web.Response(body=body, headers={"Content-Type": CSV_TYPE, **attachment(filename)})
    body = await asyncio.to_thread(to_xlsx, rows, title, columns, widths)
    return web.Response(body=body, headers={"Content-Type": XLSX_TYPE, **attachment(filename)})
