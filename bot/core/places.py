"""Where a person lives against an area (everywhere, a province, or one commune of it): ONE rule for every feature
that addresses or serves people by place (locality groups, officers' scopes, scoped FAQ answers, the dashboard's
units, the Week's contests). Communes compare without case; in SQL both sides go through the database's lower()
(SQLite's lower() leaves “Đ”, “Ô”, “Â”… as they are, so lowering only one side would miss them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, literal, true


def same_commune(a: str | None, b: str | None) -> bool:
    return (a or "").lower() == (b or "").lower()


def covers(province: str | None, commune: str | None, place_province: str | None, place_commune: str | None) -> bool:
    """Does the area (`province`, `commune`; either left out means all of it) contain the place?"""
    if province and place_province != province:
        return False
    return not commune or same_commune(place_commune, commune)


def covers_sql(province: str | None, commune: str | None, province_col: Any, commune_col: Any) -> Any:
    """`covers` as a SQL condition on a place's two columns."""
    parts: list[Any] = []
    if province:
        parts.append(province_col == province)
    if commune:
        parts.append(func.lower(commune_col) == func.lower(literal(commune)))
    return and_(true(), *parts)
