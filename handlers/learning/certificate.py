"""Course certificates: issue a verification code, look it up, and draw the PDF (Vietnamese font, QR code)."""

from __future__ import annotations

import datetime as dt
import io
import secrets
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models_learning import Certificate, RevokedCertificate
from content.textnorm import fold

FONTS = Path(__file__).resolve().parents[2] / "content" / "fonts"
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read aloud and type
COURSE = "Bình dân học AI"
ISSUER = "Hội Khuyến học — Trợ lý học tập suốt đời"


NAME_MAX = 60
_YES = frozenset({"ok", "oke", "okay", "dung", "dung roi", "dung vay", "dung the", "chuan", "chuan roi", "co",
                  "vang", "u", "uh", "roi", "dong y", "in di", "yes"})


def suggest_name(typed: str) -> str:
    """The name as it should be printed: single spaces, each word capitalised (“tran van  hung” → “Tran Van
    Hung”, “NGUYỄN THỊ LAN” → “Nguyễn Thị Lan”). Accents cannot be guessed; the learner is asked to confirm."""
    words = unicodedata.normalize("NFC", typed).split()
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)


def has_accents(name: str) -> bool:
    decomposed = unicodedata.normalize("NFD", name)
    return any(unicodedata.combining(c) for c in decomposed) or "đ" in decomposed.lower()


def is_yes(text: str) -> bool:
    """“đúng”, “ok”, “có”… typed instead of tapping the confirm button."""
    return " ".join(fold(text).strip(" .!").split()) in _YES


def new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"HB-{raw[:4]}-{raw[4:]}"


def normalise_code(code: str) -> str:
    """Accept codes typed in lower case, with spaces or without the dashes."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    if raw.startswith("HB"):
        raw = raw[2:]
    return f"HB-{raw[:4]}-{raw[4:]}" if len(raw) == 8 else code.strip().upper()


def verify_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{code}"


async def find_by_code(s: AsyncSession, code: str) -> Certificate | None:
    res = await s.exec(select(Certificate).where(Certificate.code == normalise_code(code)))
    return res.first()


async def is_revoked(s: AsyncSession, code: str) -> bool:
    """The code of a certificate deleted on its holder's request (/xoadulieu)."""
    res = await s.exec(select(RevokedCertificate).where(RevokedCertificate.code == normalise_code(code)))
    return res.first() is not None


async def find_by_user(s: AsyncSession, user_id: int) -> Certificate | None:
    res = await s.exec(select(Certificate).where(Certificate.user_id == user_id))
    return res.first()


async def issue(s: AsyncSession, user_id: int, name: str, now: dt.datetime) -> Certificate:
    """The learner's certificate, created once (asking again returns the same code)."""
    cert = await find_by_user(s, user_id)
    if cert is not None:
        return cert
    code = new_code()
    while await find_by_code(s, code) is not None:
        code = new_code()
    cert = Certificate(user_id=user_id, code=code, name=name.strip()[:160], issued_at=now)
    s.add(cert)
    await s.flush()
    return cert


def issued_on(cert: Certificate, tz: ZoneInfo) -> str:
    return cert.issued_at.astimezone(tz).strftime("%d/%m/%Y")


def _qr_png(url: str) -> io.BytesIO:
    import qrcode  # with fpdf (below): loaded when a certificate is drawn, not at start-up

    img = qrcode.make(url, box_size=8, border=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    return buf


def render_pdf(cert: Certificate, url: str, tz: ZoneInfo, modules: int = 8) -> bytes:
    """An A4 landscape certificate with the name, the date, the code and a QR code to the verify page."""
    body = (f"đã hoàn thành {modules} mô-đun và đạt từ 80% trở lên ở mọi bài kiểm tra\n"
            f"của khoá học “{COURSE}” — học tập suốt đời, cùng nhau làm chủ trí tuệ nhân tạo.")
    return render(title=f"Chứng nhận {COURSE} — {cert.name}", lead="Chứng nhận Ông/Bà", name=cert.name, body=body,
                  issued=issued_on(cert, tz), code=cert.code, url=url)  # fmt: skip


def render(*, title: str, lead: str, name: str, body: str, issued: str, code: str, url: str) -> bytes:
    """The certificate page every certificate shares (the course's, a learning model's): the lead line, the
    name, what it certifies, the date, the code and a QR code to the verify page."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_author(ISSUER)
    pdf.set_subject(code)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(23, 92, 160)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, 269, 182)
    pdf.set_text_color(23, 92, 160)
    pdf.set_font("DejaVu", "B", 14)
    pdf.set_y(26)
    pdf.cell(0, 8, "HỘI KHUYẾN HỌC — XÃ HỘI HỌC TẬP", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 34)
    pdf.cell(0, 20, "CHỨNG NHẬN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(40, 40, 40)
    pdf.set_font("DejaVu", "", 15)
    pdf.cell(0, 10, lead, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 28)
    pdf.cell(0, 18, name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 15)
    pdf.multi_cell(0, 8, body, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(150)
    pdf.set_x(30)
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(150, 8, f"Ngày cấp: {issued}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(30)
    pdf.cell(150, 8, f"Mã xác minh: {code}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(30)
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(170, 7, f"Kiểm tra tại: {url}", new_x="LMARGIN", new_y="NEXT")
    pdf.image(_qr_png(url), x=230, y=140, w=40, h=40)
    pdf.set_font("DejaVu", "", 8)
    pdf.set_xy(226, 181)
    pdf.cell(48, 5, "Quét mã để xác minh", align="C")
    return bytes(pdf.output())


def filename(cert: Certificate) -> str:
    return f"chung-nhan-{cert.code}.pdf"
