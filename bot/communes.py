"""One spelling per commune: citizens often type “gia vien” for “Gia Viễn”. A typed commune takes the spelling
of a locality group of the same province that folds to the same words (accents, case and a leading “xã”,
“phường”, “thị trấn” aside), and a new commune group gives its spelling to the users who typed it otherwise,
so broadcasts and numbers by commune reach them."""

from __future__ import annotations

import re

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Group, User
from content.textnorm import fold

_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu)\s+")


def commune_key(name: str) -> str:
    return _PREFIX.sub("", fold(name))


async def known_spelling(s: AsyncSession, province: str | None, typed: str) -> str:
    """The commune as a locality group of the province spells it, or `typed` when there is none."""
    if not province:
        return typed
    key = commune_key(typed)
    stmt = select(Group.commune).where(col(Group.kind) == "locality", col(Group.province) == province,
                                       col(Group.commune).is_not(None))  # fmt: skip
    for commune in (await s.exec(stmt)).all():
        if commune and commune_key(commune) == key:
            return commune
    return typed


async def adopt_spelling(s: AsyncSession, province: str, commune: str) -> int:
    """Users of the province whose commune is the same one spelt otherwise now spell it like the group."""
    key = commune_key(commune)
    stmt = select(User.commune).where(col(User.province) == province, col(User.commune).is_not(None)).distinct()
    variants = [c for c in (await s.exec(stmt)).all() if c and c != commune and commune_key(c) == key]
    if not variants:
        return 0
    result = await s.execute(update(User).where(col(User.province) == province, col(User.commune).in_(variants))
                             .values(commune=commune))  # fmt: skip
    return int(getattr(result, "rowcount", 0) or 0)
