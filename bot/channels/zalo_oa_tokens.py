"""The Zalo OA token pair, kept in the database so every worker and a restart use the one Zalo issued last
(its refresh token works once). The OA client's credentials, not user state: the adapter itself writes nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from bot.channels.zalo_oa_client import TokenPair
from bot.db.engine import Database
from bot.db.models import utcnow
from bot.db.models_zalo import ZaloToken


class DbTokenStore:
    """The OA token pair in `zalo_tokens`; `save` is a compare-and-swap on the single-use refresh token."""

    def __init__(self, db: Database, app_id: str, seed_refresh: str | None = None) -> None:
        self.db = db
        self.app_id = app_id
        self.seed = seed_refresh

    async def load(self) -> TokenPair | None:
        async with self.db.session() as s:
            row = await s.get(ZaloToken, self.app_id)
            if row is not None:
                expires = row.expires_at.timestamp() if row.expires_at else 0.0
                return TokenPair(row.access_token, row.refresh_token, expires)
        if not self.seed:
            return None
        try:  # first start: seed from ZALO_OA_REFRESH_TOKEN; a concurrent worker may win the insert
            async with self.db.session() as s:
                s.add(ZaloToken(app_id=self.app_id, access_token="", refresh_token=self.seed))
        except IntegrityError:
            return await self.load()
        return TokenPair("", self.seed, 0.0)

    async def save(self, new: TokenPair, old_refresh: str) -> bool:
        """Store the new pair only if the row still holds `old_refresh` (one statement, atomic)."""
        stmt = (
            update(ZaloToken)
            .where(ZaloToken.app_id == self.app_id, ZaloToken.refresh_token == old_refresh)  # type: ignore[arg-type]
            .values(
                access_token=new.access_token,
                refresh_token=new.refresh_token,
                expires_at=dt.datetime.fromtimestamp(new.expires_at, dt.UTC),
                updated_at=utcnow(),
            )
        )
        async with self.db.session() as s:
            result = await s.execute(stmt)
            return bool(getattr(result, "rowcount", 0) == 1)
