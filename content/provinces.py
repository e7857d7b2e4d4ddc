"""The 34 provinces and cities since 1 July 2025, with the former provinces each absorbed, and their 3,321 communes
(xã, phường, đặc khu): the official names of the 2025 arrangement as the General Statistics Office lists them
(taken from the `vietnam-provinces` 2025.10.1 data, retrieved 2025-10-18), stored without their unit word."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from content.textnorm import fold

DATA = Path(__file__).with_name("data") / "provinces-2025.csv"
COMMUNES = Path(__file__).with_name("data") / "communes-2025.csv"
_PREFIXES = ("tinh ", "thanh pho ", "tp ", "tp. ")


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
    aliases = {"hcm": "Hồ Chí Minh", "tphcm": "Hồ Chí Minh", "saigon": "Hồ Chí Minh", "hn": "Hà Nội"}
    if key in aliases:
        return find_province(aliases[key])
    return None
