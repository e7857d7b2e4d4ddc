"""One spelling per commune: citizens often type “gia vien” for “Gia Viễn”. A typed commune takes the official
spelling of the province's commune that folds to the same words (accents, case and a leading “xã”, “phường”,
“thị trấn” aside), or a locality group's spelling of it; when several fold alike the citizen is asked which.
A new commune group gives its spelling to the users who typed it otherwise, so broadcasts and numbers by commune
reach them."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Group, User
from content.provinces import Commune, communes
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


@dataclass(frozen=True)
class CommuneMatch:
    """What a typed commune names in its province."""

    found: str | None  # the one commune it names, spelt as stored; None: ask
    alike: tuple[Commune, ...] = ()  # several communes that fold alike: which one?
    close: tuple[Commune, ...] = ()  # none matched: the nearest names, if any


async def match_commune(s: AsyncSession, province: str | None, typed: str) -> CommuneMatch:
    """THE rule for a commune a citizen types (onboarding, /caidat, the learning models): the official name of
    the province's commune it folds to, spelt as a locality group spells it if one does. Several alike: an
    accent-exact one, else ask. Without a province there is no list: the text is kept, tidied."""
    name = normalise_commune(typed)
    places = await _places(s, province) if province else []
    if not places:
        return CommuneMatch(name)
    key = commune_key(name)
    alike = [c for c in places if commune_key(c.name) == key]
    exact = [c for c in alike if c.name.lower() == name.lower()]
    if len(alike) == 1 or len(exact) == 1:
        return CommuneMatch((exact or alike)[0].name)
    if alike:
        return CommuneMatch(None, alike=tuple(alike))
    keys = {commune_key(c.name): c for c in places}
    return CommuneMatch(None, close=tuple(keys[k] for k in difflib.get_close_matches(key, list(keys), 3, 0.8)))


async def known_spelling(s: AsyncSession, province: str | None, typed: str) -> str:
    """The commune as the province's list or a locality group spells it, or `typed` when that is not one name."""
    return (await match_commune(s, province, typed)).found or typed


async def _places(s: AsyncSession, province: str) -> list[Commune]:
    """The province's official communes, each spelt as a locality group spells it (the spelling officers
    address), and the communes only a group knows."""
    places = list(communes(province))
    stmt = select(Group.commune).where(col(Group.kind) == "locality", col(Group.province) == province,
                                       col(Group.commune).is_not(None)).distinct()  # fmt: skip
    for spelt in (await s.exec(stmt)).all():
        if not spelt or any(c.name.lower() == spelt.lower() for c in places):
            continue
        same = [i for i, c in enumerate(places) if c.kind and fold(c.name) == fold(spelt)]
        if len(same) == 1:
            places[same[0]] = Commune(spelt, places[same[0]].kind)
        else:
            places.append(Commune(spelt))
    return places


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
