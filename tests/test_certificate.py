"""The certificate PDF (Vietnamese name really drawn with an embedded font), the code and its verification."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import re
import zlib
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.cli import COMMAND_MODULES
from bot.cli import learning as cli_learning
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.models import User
from bot.db.models_learning import Certificate
from handlers.learning import certificate as certs

NAME = "Nguyễn Thị Hương Ưởng"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def pdf_text(pdf: bytes) -> str:
    """A tiny text extractor for fpdf2 output: glyph ids in Tj strings mapped back through ToUnicode."""
    objects = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj\n(.*?)endobj", pdf, re.S)}
    fonts: dict[bytes, dict[int, str]] = {}
    for name, num in re.findall(rb"/(F\d+) (\d+) 0 R", pdf):
        cmap_ref = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(num)])
        assert cmap_ref is not None
        pairs = re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4})>", objects[int(cmap_ref.group(1))])
        fonts[name] = {int(g, 16): chr(int(u, 16)) for g, u in pairs}
    out: list[str] = []
    for body in objects.values():
        m = re.search(rb"stream\n(.*)\nendstream", body, re.S)
        if m is None:
            continue
        try:
            stream = zlib.decompress(m.group(1))
        except zlib.error:
            stream = m.group(1)
        font: dict[int, str] = {}
        for fname, literal in re.findall(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", stream, re.S):
            if fname:
                font = fonts[fname]
                continue
            raw = re.sub(rb"\\(.)", lambda e: {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(e.group(1), e.group(1)),
                         literal)
            out.append("".join(font.get(int.from_bytes(raw[i:i + 2], "big"), "?") for i in range(0, len(raw), 2)))
    return "\n".join(out)


def make_cert(code: str = "HB-ABCD-2345") -> Certificate:
    return Certificate(user_id=1, code=code, name=NAME, issued_at=dt.datetime(2026, 10, 1, 20, 0, tzinfo=dt.UTC))


def test_pdf_draws_the_vietnamese_name_date_and_code() -> None:
    pdf = certs.render_pdf(make_cert(), "http://127.0.0.1:8080/verify/HB-ABCD-2345", TZ)
    assert pdf.startswith(b"%PDF") and b"DejaVuSans" in pdf and b"/Image" in pdf  # font and QR embedded
    text = pdf_text(pdf)
    assert NAME in text and "CHỨNG NHẬN" in text and "Bình dân học AI" in text
    assert "02/10/2026" in text  # 20:00 UTC is already the next day in Việt Nam
    assert "HB-ABCD-2345" in text and "/verify/HB-ABCD-2345" in text


def test_codes_are_readable_and_typing_tolerant() -> None:
    codes = {certs.new_code() for _ in range(200)}
    assert len(codes) == 200 and all(re.fullmatch(r"HB-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", c) for c in codes)
    assert certs.normalise_code(" hb abcd 2345 ") == "HB-ABCD-2345" == certs.normalise_code("ABCD2345")


async def _seed(db_url: str) -> str:
    db = Database(db_url)
    await upgrade(db)
    try:
        async with db.session() as s:
            user = User(display_name=NAME)
            s.add(user)
            await s.flush()
            assert user.id is not None
            cert = await certs.issue(s, user.id, NAME, dt.datetime(2026, 10, 3, 3, 0, tzinfo=dt.UTC))
            again = await certs.issue(s, user.id, "Tên khác", dt.datetime.now(dt.UTC))
            assert again.code == cert.code  # asking again never makes a second certificate
        async with db.session() as s:
            assert len((await s.exec(select(Certificate))).all()) == 1
        return cert.code
    finally:
        await db.dispose()


def cli_main(argv: list[str], db_url: str) -> int:
    """`hocbot certificate verify …` through our sub-command parser (other features' commands not needed)."""
    from tests.conftest import make_settings

    parser = argparse.ArgumentParser(prog="hocbot")
    cli_learning.register(parser.add_subparsers(dest="cmd", required=True))
    args = parser.parse_args(argv)
    return int(asyncio.run(args.func(args, make_settings(db_url))))


def test_cli_verify_valid_and_invalid(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = asyncio.run(_seed(db_url))
    assert "bot.cli.learning" in COMMAND_MODULES
    assert cli_main(["certificate", "verify", code.lower()], db_url) == 0
    out = capsys.readouterr().out
    assert "Hợp lệ" in out and NAME in out and "03/10/2026" in out
    assert cli_main(["certificate", "verify", "HB-ZZZZ-9999"], db_url) == 1
    assert "Không hợp lệ" in capsys.readouterr().out
