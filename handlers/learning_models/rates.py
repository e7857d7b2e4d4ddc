"""Rates of the roll-up: recognised units against the households / units of a place, where its officer entered
that number (the denominator, per model and year). `rate` is the one computation; every surface (the report,
its JSON, the dashboard, the CSV/XLSX) shows `rate_text`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select as sa_select
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db import repo
from bot.db.models import utcnow
from bot.db.models_learning_models import LearningDenominator
from handlers.officers.scope import OfficerInfo, place_condition

if TYPE_CHECKING:
    from handlers.learning_models.service import Place

COUNT_MAX = 10_000_000  # households of the largest province, with room
NONE = "—"

DenKey = tuple[str, str, str]  # (province, commune or "" for the whole province, model)


def rate(recognised: int, denominator: int | None) -> float | None:
    """Recognised / denominator in percent (one decimal), only where a denominator was entered."""
    if not denominator:
        return None
    return round(100 * recognised / denominator, 1)


def rate_text(recognised: int, denominator: int | None) -> str:
    """“12,5%” (Vietnamese decimal comma), or “—” where no denominator was entered."""
    r = rate(recognised, denominator)
    return NONE if r is None else f"{r:.1f}".replace(".", ",").replace(",0", "") + "%"


async def set_denominator(s: AsyncSession, actor: str, year: int, province: str, commune: str | None, model: str,
                          count: int) -> None:  # fmt: skip
    """The households / units of a place (commune, or the whole province when commune is empty); audited.
    0 removes the figure. The caller checked the scope and the model."""
    stmt = select(LearningDenominator).where(LearningDenominator.year == year, LearningDenominator.province ==
                                             province, LearningDenominator.model == model)  # fmt: skip
    row = next((d for d in (await s.exec(stmt)).all() if d.commune.lower() == (commune or "").lower()), None)
    if count <= 0:
        if row is not None:
            await s.delete(row)
    else:
        row = row or LearningDenominator(year=year, province=province, commune=commune or "", model=model, count=0)
        row.count, row.set_by, row.set_at = count, actor, utcnow()
        s.add(row)
    await repo.audit(s, actor, "mohinh.denominator", {"year": year, "province": province, "commune": commune or "",
                                                      "model": model, "count": count})  # fmt: skip


async def denominators(s: AsyncSession, year: int, province: str | None = None,
                       officer: OfficerInfo | None = None) -> dict[DenKey, int]:  # fmt: skip
    """{(province, commune, model): count} entered for `year` (in the officer's places if one is given)."""
    d = LearningDenominator.__table__.c  # type: ignore[attr-defined]
    stmt: Any = sa_select(d.province, d.commune, d.model, d.count).where(d.year == year)
    if province:
        stmt = stmt.where(d.province == province)
    cond = place_condition(officer, d.province, d.commune) if officer else None
    if cond is not None:
        stmt = stmt.where(cond)
    conn = await s.connection()  # Core rows: 16,500 of them for a whole country, no ORM objects
    return {(prov, commune, model): int(n) for prov, commune, model, n in (await conn.execute(stmt)).all()}


SUMMARY_HEADER = ["Cấp", "Tỉnh/thành", "Xã/phường", "Mô hình", "Số hộ/đơn vị trên địa bàn", "Đăng ký",
                  "Xã xác nhận", "Công nhận", "Tỉ lệ công nhận"]  # fmt: skip
SUMMARY_WIDTHS = [10, 16, 18, 20, 14, 10, 12, 10, 14]


def summary_rows(top: Place, names: dict[str, str]) -> list[list[Any]]:
    """The roll-up as a commune sends it upward: one row per place and model (deployment, each province, each of
    its communes), Vietnamese headers (SUMMARY_HEADER); the rate only where a denominator was entered."""
    rows: list[list[Any]] = []

    def add(level: str, province: str, commune: str, place: Place) -> None:
        for m in sorted(set(place.models) | set(place.denominators), key=lambda m: list(names).index(m)
                        if m in names else len(names)):  # fmt: skip
            t = place.models.get(m)
            d = place.denominators.get(m)
            rec = t.recognised if t else 0
            rows.append([level, province, commune, names.get(m, m), d if d else NONE, t.registered if t else 0,
                         t.assessed if t else 0, rec, rate_text(rec, d)])  # fmt: skip

    if len(top.parts) != 1:  # one province: its own rows are the total
        add("Toàn bộ", "", "", top)
    for pname, p in sorted(top.parts.items()):
        add("Tỉnh", pname, "", p)
        for cname, c in sorted(p.parts.items()):
            add("Xã", pname, cname, c)
    return rows
