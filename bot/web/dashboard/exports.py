"""Per-recipient delivery reports: CSV (UTF-8 with BOM, opens in Excel) streamed in keyset pages, or
XLSX streamed too (XlsxWriter in constant_memory mode: each page of rows goes to a temporary file as it is
read, and the zip, compressed in a worker thread, is sent while it is written, so memory stays flat)."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import functools
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
CHUNK = 5000  # rows per keyset page of a streamed CSV or XLSX
XLSX_SLICE = 500  # rows written into the spreadsheet at a time in the event loop (~4 ms)
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


# Text XlsxWriter writes into <c r=".." t="inlineStr"><is><t>text</t></is></c> as it is: no XML special character,
# no control character, no leading or trailing whitespace (and no "_x", checked apart: an _xHHHH_ escape look-alike).
_KEPT = r'"&<>\x00-\x1f\ufffe\uffff'
_PLAIN_TEXT = re.compile(rf"[^\s{_KEPT}](?:[^{_KEPT}]*[^\s{_KEPT}])?")


@functools.cache
def _text_sheet_class() -> type:
    """XlsxWriter's worksheet (subclassed as its docs allow: `add_worksheet(name, worksheet_class)`) with one more
    method, `write_text_row`. XlsxWriter spends ~3 µs on each cell (its checks, a cell tuple, then escaping and
    attributes when the row is written): most of a 100,000-row report's time. A constant_memory row whose cells
    are all plain text is written here in one piece instead, the same bytes XlsxWriter writes (the XlsxWriter
    version is pinned and tests/test_exports_text.py compares the two sheets byte for byte); any other row is
    left to XlsxWriter's write_string."""
    from xlsxwriter.utility import xl_rowcol_to_cell_fast
    from xlsxwriter.worksheet import Worksheet

    plain = _PLAIN_TEXT.fullmatch

    class TextSheet(Worksheet):  # type: ignore[misc]
        def write_text_row(self, row: int, values: Sequence[str]) -> None:
            """Row `row` of text cells from column 0 (an empty one is left blank), after the rows written so far."""
            cells = [(c, v) for c, v in enumerate(values) if v]
            if not cells:
                return
            if not (self.constant_memory and row > self.previous_row and row not in self.row_info
                    and row not in self.comments
                    and all(plain(v) and "_x" not in v and len(v) <= self.xls_strmax // 2
                            and (c not in self.col_info or self.col_info[c].column_format is None)
                            for c, v in cells)
                    and self._check_dimensions(row, cells[0][0]) == 0
                    and self._check_dimensions(row, cells[-1][0]) == 0):  # fmt: skip
                for c, v in cells:
                    self.write_string(row, c, v)
                return
            self._write_single_row(row)  # the row before, which XlsxWriter holds until the next one starts
            self._write_row(row, None)
            self.fh.write("".join(f'<c r="{xl_rowcol_to_cell_fast(row, c)}" t="inlineStr"><is><t>{v}</t></is></c>'
                                  for c, v in cells))  # fmt: skip
            self._xml_end_tag("row")

    return TextSheet


class XlsxStream:
    """One sheet written row page by row page (bold frozen header, sized columns, every cell text). `add()` only
    writes rows to a temporary file (~8 µs a row); `close()` builds the zip and writes it through `send`: run it
    in a worker thread."""

    def __init__(self, title: str, send: Callable[[bytes], None], *, tmpdir: str | None = None,
                 columns: Sequence[str] = HEADER, widths: Sequence[int] = WIDTHS) -> None:  # fmt: skip
        import xlsxwriter  # loaded with the first spreadsheet asked for, not at start-up

        self.pipe = _Pipe(send)
        self.book = xlsxwriter.Workbook(self.pipe, {"constant_memory": True, "tmpdir": tmpdir, **_XLSX_OPTIONS})
        self.sheet = self.book.add_worksheet(_SHEET_NAME.sub(" ", title)[:31] or "Bao cao", _text_sheet_class())
        self.sheet.freeze_panes(1, 0)
        for i, width in enumerate(widths):
            self.sheet.set_column(i, i, width)
        self.sheet.write_row(0, 0, list(columns), self.book.add_format({"bold": True}))
        self.row = 1

    def add(self, rows: Sequence[Sequence[Any]]) -> None:
        write = self.sheet.write_text_row
        r = self.row
        for row in rows:
            write(r, [cell_text(v) for v in row])  # an empty cell is left blank
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
