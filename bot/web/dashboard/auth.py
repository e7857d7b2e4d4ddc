"""Dashboard login: one-time links (hashed in the DB, 10 minutes, single use), encrypted cookie sessions,
a CSRF token per session checked on every POST, and the officer behind each request (scope re-read each time).

    link = await create_login_link(session, settings, channel, external_id, created_by="cli")
    @page  # handler(request, Dash) → response; refuses anonymous users (redirect to /dashboard/login)
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp_session import AbstractStorage, Session, get_session, new_session
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.callback import parse_int
from bot.core.context import Services
from bot.db import repo
from bot.db.models import utcnow
from bot.db.models_dashboard import LoginToken
from bot.db.models_officers import Officer
from bot.settings import Settings
from handlers.officers.login import token_hash
from handlers.officers.scope import OfficerInfo, find_officer

if TYPE_CHECKING:
    from aiohttp_session.cookie_storage import EncryptedCookieStorage

log = logging.getLogger(__name__)

SESSION_MAX_AGE = 8 * 3600  # a working day at the commune office
COOKIE = "hocbot_dash"


async def officer_account(s: AsyncSession, settings: Settings, ref: str) -> tuple[str, str, int | None] | None:
    """An officer id ("4") or a chat account ("telegram:123", an Officer row or an HOCBOT_ADMINS entry)."""
    if ref.isdigit():
        oid = parse_int(ref, lo=1)
        row = await s.get(Officer, oid) if oid is not None else None
        if row is None or not row.channel or not row.external_id:
            return None
        return row.channel, row.external_id, row.id
    channel, sep, ext = ref.partition(":")
    if not sep or not ext:
        return None
    info = await find_officer(s, settings, channel, ext)
    return (channel, ext, info.officer_id) if info is not None else None


async def peek_token(s: AsyncSession, token: str, now: dt.datetime) -> LoginToken | None:
    """The unexpired, unused token row, without consuming it."""
    row = (await s.exec(select(LoginToken).where(LoginToken.token_hash == token_hash(token)))).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


async def consume_token(s: AsyncSession, token: str, now: dt.datetime) -> LoginToken | None:
    """Mark the token used in one conditional UPDATE (two clicks cannot both win); the row, or None."""
    h = token_hash(token)
    res: Any = await s.execute(
        update(LoginToken)
        .where(col(LoginToken.token_hash) == h, col(LoginToken.used_at).is_(None), col(LoginToken.expires_at) > now)
        .values(used_at=now)
    )
    if not res.rowcount:
        return None
    return (await s.exec(select(LoginToken).where(LoginToken.token_hash == h))).first()


def cookie_storage(settings: Settings) -> Callable[[], EncryptedCookieStorage]:
    """Keyed from HOCBOT_SECRET_KEY; without it a random key (sessions end when the process restarts). Made at
    the first dashboard request: its `cryptography` (7 MiB) stays out of a bot whose dashboard nobody opens."""
    if settings.secret_key is not None:
        key = hashlib.sha256(b"hocbot-dashboard:" + settings.secret_key.get_secret_value().encode()).digest()
    else:
        log.warning("HOCBOT_SECRET_KEY is not set: dashboard sessions end when hocbot restarts")
        key = secrets.token_bytes(32)
    secure = settings.web_base_url.startswith("https://")

    @functools.cache
    def storage() -> EncryptedCookieStorage:
        from aiohttp_session.cookie_storage import EncryptedCookieStorage

        return EncryptedCookieStorage(
            key, cookie_name=COOKIE, max_age=SESSION_MAX_AGE, httponly=True,
            samesite="Lax", secure=secure or None, path="/dashboard",
        )

    return storage


class LazyCookieStorage(AbstractStorage):
    """The dashboard's session storage for `aiohttp_session.setup`: the encrypted cookie storage (and its
    `cryptography`) is made at the first dashboard request, not at start-up."""

    def __init__(self, make: Callable[[], EncryptedCookieStorage]) -> None:
        super().__init__(cookie_name=COOKIE, max_age=SESSION_MAX_AGE, httponly=True, samesite="Lax", path="/dashboard")
        self._make = make

    async def load_session(self, request: web.Request) -> Session:
        return await self._make().load_session(request)

    async def save_session(self, request: web.Request, response: web.StreamResponse, session: Session) -> None:
        await self._make().save_session(request, response, session)


@dataclass
class Dash:
    """One dashboard request: the services, the officer and the session's CSRF token."""

    services: Services
    officer: OfficerInfo
    session: Session

    @property
    def csrf(self) -> str:
        return str(self.session.get("csrf", ""))

    @property
    def settings(self) -> Settings:
        return self.services.settings


Handler = Callable[[web.Request, Dash], Awaitable[web.StreamResponse]]


async def start_session(request: web.Request, row: LoginToken) -> Session:
    """A brand-new session (never reuse one from before the login) with its CSRF token."""
    session = await new_session(request)
    session.update({"ch": row.channel, "ext": row.external_id, "tid": row.id, "csrf": secrets.token_urlsafe(24),
                    "exp": (utcnow() + dt.timedelta(seconds=SESSION_MAX_AGE)).timestamp()})
    return session


async def session_live(s: AsyncSession, tid: Any) -> bool:
    """The session's login has not been ended (logout); the row is read by its primary key."""
    row = await s.get(LoginToken, tid) if isinstance(tid, int) else None
    return row is not None and row.ended_at is None


async def end_session(s: AsyncSession, session: Session, now: dt.datetime) -> None:
    """Logout: the login row is marked ended (so a copied cookie stops working too), the cookie cleared."""
    tid = session.get("tid")
    if isinstance(tid, int):
        await s.execute(update(LoginToken).where(col(LoginToken.id) == tid).values(ended_at=now))
    session.invalidate()


def csrf_ok(session: Session, sent: str | None) -> bool:
    want = str(session.get("csrf") or "")
    return bool(want) and sent is not None and hmac.compare_digest(want, sent)


def page(services: Services) -> Callable[[Handler], Callable[[web.Request], Awaitable[web.StreamResponse]]]:
    """Decorator: the officer must be logged in (else → login help); a POST must carry the CSRF token."""

    def deco(fn: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        @functools.wraps(fn)
        async def handler(request: web.Request) -> web.StreamResponse:
            session = await get_session(request)
            ch, ext = session.get("ch"), session.get("ext")
            if not ch or not ext or float(session.get("exp", 0)) < utcnow().timestamp():
                session.invalidate()
                if request.method == "GET" and "json" not in request.path:
                    raise web.HTTPSeeOther("/dashboard/login")
                raise web.HTTPUnauthorized(text="Phiên đăng nhập đã hết. Hãy đăng nhập lại.")
            async with services.db.session() as s:
                if not await session_live(s, session.get("tid")):  # logged out: every copy of the cookie ends
                    session.invalidate()
                    raise web.HTTPSeeOther("/dashboard/login") if request.method == "GET" else web.HTTPUnauthorized(
                        text="Phiên đăng nhập đã kết thúc. Hãy đăng nhập lại.")
                officer = await find_officer(s, services.settings, str(ch), str(ext))
                if officer is None:  # the officer was removed since the login
                    await repo.audit(s, f"{ch}:{ext}", "dashboard.denied", request.path, allowed=False)
            if officer is None:
                session.invalidate()
                raise web.HTTPForbidden(text="Tài khoản này không còn quyền cán bộ.")
            if request.method == "POST":
                form = await request.post()
                sent = request.headers.get("X-CSRF-Token") or form.get("csrf")
                if not csrf_ok(session, sent if isinstance(sent, str) else None):
                    async with services.db.session() as s:
                        await repo.audit(s, web_actor(officer), "dashboard.csrf", request.path, allowed=False)
                    raise web.HTTPForbidden(text="Biểu mẫu không hợp lệ hoặc đã cũ. Hãy tải lại trang rồi thử lại.")
            return await fn(request, Dash(services, officer, session))

        return handler

    return deco


def web_actor(officer: OfficerInfo) -> str:
    """Audit actor for dashboard actions: the chat account, marked as coming from the web."""
    return f"web:{officer.actor}"
