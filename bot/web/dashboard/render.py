"""Jinja2 templates (autoescape on) rendered into aiohttp responses; refusals audited and shown as 403."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db import repo
from bot.redact import mask_pii
from bot.web.dashboard.auth import Dash, web_actor

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"
NAV = [
    ("/dashboard/", "Tổng quan", "overview"),
    ("/dashboard/broadcasts", "Thông báo", "broadcasts"),
    ("/dashboard/campaigns", "Lịch nhắc", "campaigns"),
    ("/dashboard/questions", "Câu hỏi", "questions"),
    ("/dashboard/learning-models", "Mô hình học tập", "learning-models"),
    ("/dashboard/contests", "Cuộc thi", "contests"),
    ("/dashboard/initiatives", "Sáng kiến", "initiatives"),
    ("/dashboard/content", "Nội dung", "content"),
]


def _num(value: Any) -> str:
    return f"{int(value or 0):,}".replace(",", ".")


def _local(value: dt.datetime | None, tz: Any) -> str:
    return value.astimezone(tz).strftime("%d/%m/%Y %H:%M") if value else "—"


@cache
def templates() -> jinja2.Environment:
    """The templates, loaded when the first dashboard page is drawn (jinja2 is not imported at start-up)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["num"] = _num
    env.filters["pii"] = mask_pii  # citizens' texts in officer views: phone, ID-card and e-mail numbers masked
    return env


def render(name: str, *, dash: Dash | None = None, status: int = 200, **ctx: Any) -> web.Response:
    tz = dash.settings.tz if dash else dt.UTC
    html = templates().get_template(name).render(
        dash=dash, officer=dash.officer if dash else None, csrf=dash.csrf if dash else "", nav=NAV,
        local=lambda v: _local(v, tz), status=status, **ctx,
    )
    return web.Response(text=html, content_type="text/html", status=status,
                        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                 "Content-Security-Policy": "default-src 'self'; img-src 'self' data:;"
                                                            " style-src 'self'; script-src 'self'"})  # fmt: skip


async def refuse(s: AsyncSession, dash: Dash, action: str, detail: object) -> web.Response:
    """Audit an attempt outside the officer's scope and answer 403 with a plain explanation."""
    await repo.audit(s, web_actor(dash.officer), action, detail, allowed=False)
    return forbidden(dash)


def forbidden(dash: Dash, text: str = "") -> web.Response:
    msg = text or "Trang này nằm ngoài phạm vi bạn phụ trách. Yêu cầu đã được ghi lại."
    return render("message.html", dash=dash, status=403, title="Không có quyền", message=msg, active="")


def not_found(dash: Dash) -> web.Response:
    return render("message.html", dash=dash, status=404, title="Không tìm thấy",
                  message="Không tìm thấy mục bạn cần.", active="")
