"""Which Week a day belongs to, and an officer setting a year's Week: one rule for /tuanle, the CLI and the dashboard.

The curated content (content/data/week.yaml) lists each year whose dates and theme a source confirms; a
deployment's officer sets the coming year (dates, theme) in the `week_overrides` table, audited, without
editing YAML. What the officer set wins for that year; a theme left empty keeps the curated one.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.context import UserFacingError
from bot.db import repo
from bot.db.models import utcnow
from bot.db.models_campaigns import WeekEvent, WeekOverride
from content.schema import WeekInfo, WeekYear
from handlers.answers.store import EVERYONE, default_scope
from handlers.officers.scope import OfficerInfo

THEME_MAX = 300
MAX_DAYS = 31

T_BAD_YEAR = "Năm {year} không hợp lệ (cần từ 2020 đến 2100)."
T_BAD_DATES = "Ngày bắt đầu và kết thúc phải thuộc năm {year}, bắt đầu trước kết thúc, dài không quá {days} ngày."
T_LONG_THEME = "Chủ đề dài quá {max} ký tự."


def merged(info: WeekInfo, year: int, override: WeekOverride | None) -> WeekYear:
    """That year's Week: the officer's dates and theme if set, else the curated year, else the usual dates."""
    base = info.for_year(year)
    if override is None:
        return base
    return WeekYear(year=year, start=override.start, end=override.end, theme=override.theme or base.theme,
                    sources=base.sources)  # fmt: skip


async def week_of_year(s: AsyncSession, info: WeekInfo, year: int) -> WeekYear:
    res = await s.exec(select(WeekOverride).where(WeekOverride.year == year))
    return merged(info, year, res.first())


async def current_week(s: AsyncSession, info: WeekInfo, today: dt.date) -> WeekYear:
    """The Week running on `today` (local date) or else the next one."""
    this = await week_of_year(s, info, today.year)
    return this if today <= this.end else await week_of_year(s, info, today.year + 1)


async def overrides(s: AsyncSession) -> list[WeekOverride]:
    return list((await s.exec(select(WeekOverride).order_by(col(WeekOverride.year)))).all())


def clean_theme(theme: str | None) -> str | None:
    text = " ".join(unicodedata.normalize("NFC", theme or "").split())
    return text or None


def check(year: int, start: dt.date, end: dt.date, theme: str | None) -> None:
    """Raise UserFacingError (Vietnamese) when the Week an officer typed cannot be right."""
    if not 2020 <= year <= 2100:
        raise UserFacingError(T_BAD_YEAR.format(year=year))
    if not (start.year == year and start <= end and (end - start).days < MAX_DAYS):
        raise UserFacingError(T_BAD_DATES.format(year=year, days=MAX_DAYS))
    if theme and len(theme) > THEME_MAX:
        raise UserFacingError(T_LONG_THEME.format(max=THEME_MAX))


async def set_week(
    s: AsyncSession, actor: str, year: int, start: dt.date, end: dt.date, theme: str | None
) -> WeekOverride:
    """Set (or change) this deployment's Week for `year`; the change and the previous value are audited."""
    theme = clean_theme(theme)
    check(year, start, end, theme)
    row = (await s.exec(select(WeekOverride).where(WeekOverride.year == year))).first()
    before = None if row is None else {"start": row.start, "end": row.end, "theme": row.theme}
    if row is None:
        row = WeekOverride(year=year, start=start, end=end, theme=theme, updated_by=actor)
    else:
        row.start, row.end, row.theme, row.updated_by, row.updated_at = start, end, theme, actor, utcnow()
    s.add(row)
    await s.flush()
    detail = {"year": year, "start": start, "end": end, "theme": theme, "before": before}
    await repo.audit(s, actor, "week.set", detail)
    return row


T_EVENT_TITLE = "Tên hoạt động cần từ 3 đến 300 ký tự."
T_EVENT_NO_AREA = "Tài khoản của bạn chưa được giao xã, phường hay tỉnh nào, nên chưa đăng được hoạt động."


async def event_area(s: AsyncSession, officer: OfficerInfo) -> tuple[str | None, str | None]:
    """(province, commune) an officer's event is shown to: the officer's own unit (as for FAQ answers);
    admins post nationwide; an officer with no place gets a clear refusal."""
    area = await default_scope(s, officer)
    if area == EVERYONE and not officer.is_admin:
        raise UserFacingError(T_EVENT_NO_AREA)
    return area


async def add_event(
    s: AsyncSession,
    actor: str,
    title: str,
    day: dt.date,
    place: str = "",
    province: str | None = None,
    commune: str | None = None,
    group: str | None = None,
) -> WeekEvent:
    """A local event of the Week (shown by /tuanle to people of that place or group), audited."""
    title = " ".join(unicodedata.normalize("NFC", title).split())
    if not 3 <= len(title) <= 300:
        raise UserFacingError(T_EVENT_TITLE)
    place = " ".join(unicodedata.normalize("NFC", place or "").split())[:300]
    ev = WeekEvent(title=title, date=day, place=place, province=province or None, commune=commune or None,
                   group_name=group or None, created_by=actor)  # fmt: skip
    s.add(ev)
    await s.flush()
    detail = {"event_id": ev.id, "title": title, "date": day, "province": province, "commune": commune}
    await repo.audit(s, actor, "week.event.add", detail)
    return ev
