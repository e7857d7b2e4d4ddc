"""One spelling per commune: citizens often type “gia vien” for “Gia Viễn”. A typed commune takes the spelling
of a locality group of the same province that folds to the same words (accents, case and a leading “xã”,
“phường”, “thị trấn” aside), and a new commune group gives its spelling to the users who typed it otherwise,
so broadcasts and numbers by commune reach them."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Group, User
from content.textnorm import fold

_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu)\s+")
# the unit words a citizen types before the name, with or without their accents (never "Phương", "Xà"…)
_TYPED_PREFIXES = (("xã",), ("xa",), ("phường",), ("phuong",), ("thị", "trấn"), ("thi", "tran"),
                   ("đặc", "khu"), ("dac", "khu"))
MAX_LEN = 80


def normalise_commune(text: str) -> str:
    """The one way a typed commune/ward is stored: NFC, single spaces, no “Xã”/“Phường”/“Thị trấn” in front,
    each syllable capitalised (“xa  gia vien” → “Gia Vien”, “Xã Gia Viễn” → “Gia Viễn”)."""
    words = unicodedata.normalize("NFC", text).split(",")[0].split()  # “gia vien, ninh binh”: the commune
    lower = [w.lower() for w in words]
    for prefix in _TYPED_PREFIXES:
        if len(words) > len(prefix) and tuple(lower[: len(prefix)]) == prefix:
            words = words[len(prefix) :]
            break
    clean = " ".join(words)[:MAX_LEN]
    return " ".join(w[:1].upper() + w[1:].lower() for w in clean.split(" ") if w)


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
