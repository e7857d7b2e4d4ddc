"""The 34 provinces and cities since 1 July 2025, with the former provinces each absorbed, and their 3,321 communes
(xã, phường, đặc khu): the official names of the 2025 arrangement as the General Statistics Office lists them
(taken from the `vietnam-provinces` 2025.10.1 data, retrieved 2025-10-18), stored without their unit word."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from content.textnorm import fold

DATA = Path(__file__).with_name("data") / "provinces-2025.csv"
COMMUNES = Path(__file__).with_name("data") / "communes-2025.csv"
_PREFIXES = ("tinh ", "thanh pho ", "tp ", "tp. ")
_ALIASES = {"hcm": "Hồ Chí Minh", "tphcm": "Hồ Chí Minh", "saigon": "Hồ Chí Minh", "hn": "Hà Nội"}


@dataclass(frozen=True)
class Province:
    name: str
    kind: str
    formed_from: tuple[str, ...]


@dataclass(frozen=True)
class ProvinceMatch:
    province: Province
    former: str | None  # the old province name the user typed, if any


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        Province(r["name"], r["kind"], tuple(p.strip() for p in r["formed_from"].split(";") if p.strip()))
        for r in rows
    )


@dataclass(frozen=True)
class Commune:
    name: str  # as stored and shown after the province: “Gia Viễn”
    kind: str = ""  # xã | phường | đặc khu; "" for a commune only a locality group knows

    @property
    def label(self) -> str:
        """The full name, as a button shows it: “Xã Gia Viễn”, “Phường Hoa Lư”."""
        return f"{self.kind.capitalize()} {self.name}" if self.kind else self.name


@lru_cache(maxsize=1)
def _communes() -> dict[str, tuple[Commune, ...]]:
    by_province: dict[str, list[Commune]] = {}
    with COMMUNES.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            by_province.setdefault(r["province"], []).append(Commune(r["name"], r["kind"]))
    return {p: tuple(cs) for p, cs in by_province.items()}


def communes(province: str) -> tuple[Commune, ...]:
    """The official communes of a province (by its current name); () for a name that is none."""
    return _communes().get(province, ())


def _key(text: str) -> str:
    key = " ".join(fold(text).replace("-", " ").split())
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
    return key.replace(" ", "")


def find_province(text: str) -> ProvinceMatch | None:
    """Match a typed name (accents optional, old names accepted) to a current province."""
    key = _key(text)
    if not key:
        return None
    for p in provinces():
        if _key(p.name) == key:
            return ProvinceMatch(p, None)
    for p in provinces():
        for old in p.formed_from:
            if _key(old) == key:
                return ProvinceMatch(p, old)
    if key in _ALIASES:
        return find_province(_ALIASES[key])
    return None


_UNITS = ("xa ", "phuong ", "dac khu ", "thi tran ")


@lru_cache(maxsize=1)
def _commune_keys() -> frozenset[str]:
    return frozenset(_key(c.name) for cs in _communes().values() for c in cs)


@lru_cache(maxsize=1)
def _province_keys() -> frozenset[str]:
    """Every key `find_province` accepts, for a quick test on every message."""
    names = [n for p in provinces() for n in (p.name, *p.formed_from)]
    return frozenset(_key(n) for n in names) | frozenset(_ALIASES)


def is_commune_name(text: str) -> bool:
    """Some province's commune is called this ("gia vien", "xã Gia Viễn"), accents and unit word optional."""
    folded = " ".join(fold(text).replace("-", " ").split())
    unit = next((u for u in _UNITS if folded.startswith(u)), "")
    return _key(folded[len(unit):]) in _commune_keys()


def names_a_place(text: str) -> bool:
    """The whole message only names where someone lives, the way people answer "bạn ở đâu?": a province (current
    or former: "Ninh Bình", "nam dinh", "tỉnh Hà Nam") or a commune with its unit ("xã Gia Viễn", "phuong hoa
    lu"), or both ("xa gia vien, ninh binh"). A commune's name alone is not taken: many are ordinary words."""
    if len(text) > 80 or "?" in text:
        return False
    parts = [p for p in re.split(r"[,;.]+", text) if p.strip()]
    if not parts:
        return False
    for part in parts:
        folded = " ".join(fold(part).replace("-", " ").split())
        unit = next((u for u in _UNITS if folded.startswith(u)), None)
        if unit is not None:
            if _key(folded[len(unit):]) not in _commune_keys():
                return False
        elif _key(part) not in _province_keys():
            return False
    return True


# Where the asker lives: "nhà tui ở Quảng Nam", "tôi ở tỉnh Hà Tĩnh", "em sống tại Huế", "quê Nghệ An", "dân Huế"
_HOME = frozenset({"que", "dan"})
_AT = frozenset({"o", "tai"})
_WHO_LIVES = frozenset("toi tui em minh chau con bac co chu anh chi nha ba me bo ong tao song".split())
_UNIT = frozenset({"tinh", "tp"})
_WORD = re.compile(r"\w+")


# "ở", "tại", "quê", "dân", typed with or without accents (NFC), before a word
_SAYS_WHERE = re.compile(r"\b(?:ở|o|tại|tai|quê|que|dân|dan)\s", re.IGNORECASE)


def places_told(text: str) -> list[tuple[int, int, str]]:
    """The provinces (current or former, as `find_province` reads them) a message says the asker lives in ("nhà
    tui ở Quảng Nam", "tôi ở tỉnh Hà Tĩnh", "quê Nghệ An", "dân Huế"): (start, end, key) of each name in `text`,
    the words that tell where left out. A province named otherwise ("Quảng Nam có mấy xã", "Hội Khuyến học tỉnh
    An Giang", "lớp học ở Huế") is what is asked about, and is not taken. `text` in NFC (as typed, mostly)."""
    if not _SAYS_WHERE.search(text):
        return []  # most messages have no word that tells where (one quick search)
    words = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words) - 1:
        w = words[i][2]
        lives = w in _HOME or (w in _AT and i > 0 and words[i - 1][2] in _WHO_LIVES)
        first = i + 1 if lives else 0
        if first and words[first][2] in _UNIT:
            first += 1  # "ở tỉnh Quảng Nam", "ở tp Huế"
        elif first and first + 1 < len(words) and words[first][2] == "thanh" and words[first + 1][2] == "pho":
            first += 2  # "ở thành phố Huế"
        for n in (4, 3, 2, 1) if first else ():
            if first + n <= len(words):
                key = "".join(t for _, _, t in words[first:first + n])
                if key in _province_keys():
                    out.append((words[first][0], words[first + n - 1][1], key))
                    i = first + n - 1
                    break
        i += 1
    return out


def provinces_in(text: str) -> frozenset[str]:
    """The keys of the provinces (current or former, or an alias of one) that a text names, written with their
    accents as the content writes them ("Thái Nguyên", "Hà Tĩnh")."""
    padded = f" {' '.join(_WORD.findall(unicodedata.normalize('NFC', text).lower()))} "
    keys = {_key(n) for p in provinces() for n in (p.name, *p.formed_from)
            if f" {' '.join(_WORD.findall(unicodedata.normalize('NFC', n).lower()))} " in padded}
    return frozenset(keys | {a for a, n in _ALIASES.items() if _key(n) in keys})
