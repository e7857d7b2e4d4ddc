"""GET /verify/<code>: anyone can check that a certificate is genuine (name, date, course)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from aiohttp import web

from bot.core.context import Services
from handlers.learning import certificate as certs

if TYPE_CHECKING:
    pass

PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Xác minh chứng nhận</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;
font-size:1.15rem;line-height:1.5;color:#222}}.ok{{color:#17603a}}.bad{{color:#a11}}
.card{{border:2px solid #175ca0;border-radius:12px;padding:1rem 1.5rem}}</style></head>
<body><div class="card">{body}</div></body></html>
"""
VALID = (
    '<h1 class="ok">✅ Chứng nhận hợp lệ</h1>'
    "<p>Chứng nhận này cấp cho <strong>{name}</strong> ngày {date},<br>"
    "đã hoàn thành khoá học “{course}”.</p><p>Mã xác minh: <code>{code}</code></p>"
)
INVALID = (
    '<h1 class="bad">❌ Không tìm thấy chứng nhận</h1>'
    "<p>Mã “<code>{code}</code>” không có trong hệ thống. Bạn kiểm tra lại mã in trên chứng nhận nhé.</p>"
)


REVOKED = (
    '<h1 class="bad">⚠️ Chứng nhận đã thu hồi theo yêu cầu</h1>'
    "<p>Chứng nhận mã “<code>{code}</code>” đã thu hồi theo yêu cầu của người được cấp, khi họ xoá dữ liệu "
    "cá nhân của mình. Hệ thống không còn giữ tên hay thông tin nào khác của chứng nhận này.</p>"
)


def verify_handler(services: Services) -> web.RouteDef:
    async def verify(request: web.Request) -> web.Response:
        code = request.match_info["code"][:40]
        async with services.db.session() as s:
            cert = await certs.find_by_code(s, code)
            revoked = cert is None and await certs.is_revoked(s, code)
        if revoked:
            body = REVOKED.format(code=html.escape(code))
            return web.Response(text=PAGE.format(body=body), status=410, content_type="text/html")
        if cert is None and (unit_page := await _learning_unit(services, code)) is not None:
            return web.Response(text=PAGE.format(body=unit_page), content_type="text/html")
        if cert is None and (contest_page := await _contest_winner(services, code)) is not None:
            return web.Response(text=PAGE.format(body=contest_page), content_type="text/html")
        if cert is None:
            body = INVALID.format(code=html.escape(code))
            return web.Response(text=PAGE.format(body=body), status=404, content_type="text/html")
        body = VALID.format(
            name=html.escape(cert.name), date=certs.issued_on(cert, services.settings.tz),
            course=html.escape(certs.COURSE), code=html.escape(cert.code),
        )
        return web.Response(text=PAGE.format(body=body), content_type="text/html")

    return web.get("/verify/{code}", verify)


async def _learning_unit(services: Services, code: str) -> str | None:
    """A learning model's certificate (“MH-…”, handlers/learning_models): the unit, its title and year."""
    from handlers.learning_models import service
    from handlers.learning_models import texts as t

    async with services.db.session() as s:
        unit = await service.unit_by_cert_code(s, code)
    if unit is None or unit.recognised_at is None:
        return None
    m = service.model_of(services.catalog, unit)
    place = ", ".join(p for p in (unit.commune, unit.province) if p)
    return t.VERIFY_VALID.format(
        name=html.escape(unit.name), place=html.escape(place), model=html.escape(m.name if m else unit.model),
        year=unit.year, date=unit.recognised_at.astimezone(services.settings.tz).strftime("%d/%m/%Y"),
        code=html.escape(unit.cert_code or ""),
    )


async def _contest_winner(services: Services, code: str) -> str | None:
    """A contest winner's certificate (“TH-…”, handlers/contests): the name, the rank, the contest."""
    from handlers.contests import board, service
    from handlers.contests import texts as t

    async with services.db.read_session() as s:
        found = await board.by_cert_code(s, code)
        rank = await board.winner_rank(s, found[1], found[0], services.now()) if found else None
    if found is None or rank is None:
        return None
    attempt, contest, user = found
    return t.VERIFY_VALID.format(
        name=html.escape(user.display_name or t.NO_NAME), rank=rank, title=html.escape(contest.title),
        place=html.escape(service.place_text(contest.province, contest.commune)), year=contest.year,
        code=html.escape(attempt.cert_code or ""),
    )

