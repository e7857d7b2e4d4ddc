"""One-time links to the officers' web dashboard: made here (chat /web, `hocbot officer login-link`), used by
bot/web/dashboard/auth.py. Only the token's hash is stored; a link works once, for ten minutes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db import repo
from bot.db.models import utcnow
from bot.db.models_dashboard import LoginToken
from bot.settings import Settings

LINK_TTL = dt.timedelta(minutes=10)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_login_link(
    s: AsyncSession, settings: Settings, channel: str, external_id: str, *, created_by: str,
    officer_id: int | None = None, now: dt.datetime | None = None,
) -> str:
    """A fresh one-time link `{web_base_url}/dashboard/login/<token>`; only its hash is stored."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    s.add(LoginToken(token_hash=token_hash(token), channel=channel, external_id=external_id,
                     officer_id=officer_id, created_by=created_by, created_at=now, expires_at=now + LINK_TTL))
    await repo.audit(s, created_by, "dashboard.link", {"for": f"{channel}:{external_id}"})
    return f"{settings.web_base_url}/dashboard/login/{token}"
