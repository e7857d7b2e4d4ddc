"""Pure time arithmetic for campaigns: next fire times, quiet-hour deferral, the Week's dates.

Everything takes and returns AWARE UTC datetimes; local wall-clock rules (08:00, 1 October, 21:00–07:00)
are evaluated in the configured time zone. No database, no clock: callers pass `after`/`now`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.db.models_campaigns import CampaignKind

KINDS = tuple(CampaignKind)
_DOW = {"0": "sun", "1": "mon", "2": "tue", "3": "wed", "4": "thu", "5": "fri", "6": "sat", "7": "sun"}
QuietWindow = tuple[dt.time, dt.time]


@dataclass(frozen=True)
class Rule:
    """The schedule part of a campaign (a Campaign row satisfies this shape too)."""

    kind: str
    at: dt.datetime | None = None
    cron: str | None = None
    offset_days: int = 0
    hour: int = 8
    minute: int = 0
    year: int | None = None  # week kind: only this year's Week (None: every year)
    week_starts: tuple[tuple[int, dt.date], ...] = ()  # week kind: (year, first day) where not 1 October


def local_at(day: dt.date, hour: int, minute: int, tz: ZoneInfo) -> dt.datetime:
    """`day` at hour:minute on the local wall clock, as aware UTC."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz).astimezone(dt.UTC)


def week_start(year: int, tz: ZoneInfo, month: int = 10, day: int = 1) -> dt.datetime:
    """Local midnight of the Week's first day (1 October), as aware UTC."""
    return local_at(dt.date(year, month, day), 0, 0, tz)


def crontab_trigger(expr: str, tz: ZoneInfo) -> CronTrigger:
    """A standard 5-field crontab (0/7 = Sunday, 1 = Monday) as an APScheduler 3.x trigger.

    APScheduler 3.x numbers weekdays from Monday = 0, so numeric weekdays are translated to names.
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError('biểu thức cron cần 5 phần: phút giờ ngày tháng thứ, ví dụ "0 8 * * 1"')
    fields[4] = _translate_dow(fields[4])
    minute, hour, day, month, dow = fields
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=dow, timezone=tz)


def _translate_dow(field: str) -> str:
    if field in ("*", "?"):
        return "*"
    out = []
    for part in field.split(","):
        step = ""
        if "/" in part:
            part, step = part.split("/", 1)
            step = "/" + step
        if part in ("0-6", "0-7", "1-7", "*"):
            out.append("*" + step)
            continue
        ends = [_DOW.get(p, p) for p in part.split("-")]
        out.append("-".join(ends) + step)
    return ",".join(out)


def validate_cron(expr: str, tz: ZoneInfo) -> None:
    """Raise ValueError (Vietnamese message) if `expr` is not a usable crontab."""
    try:
        crontab_trigger(expr, tz)
    except ValueError as exc:
        raise ValueError(f"biểu thức cron không hợp lệ: {expr!r} ({exc})") from None


def next_fire(rule: Rule, after: dt.datetime, tz: ZoneInfo) -> dt.datetime | None:
    """The first fire time strictly after `after` (aware UTC), or None when there is none."""
    if rule.kind == CampaignKind.ONCE:
        return rule.at if rule.at is not None and rule.at > after else None
    if rule.kind == CampaignKind.CRON:
        assert rule.cron
        start = after.astimezone(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=1)
        nxt = crontab_trigger(rule.cron, tz).get_next_fire_time(None, start)
        return nxt.astimezone(dt.UTC) if nxt is not None else None
    if rule.kind == CampaignKind.WEEK:
        return _next_week_fire(rule, after, tz)
    if rule.kind in (CampaignKind.JOINED, CampaignKind.INACTIVE):
        return _next_daily(rule.hour, rule.minute, after, tz)
    raise ValueError(f"unknown campaign kind {rule.kind!r}")


def _next_week_fire(rule: Rule, after: dt.datetime, tz: ZoneInfo) -> dt.datetime | None:
    first = after.astimezone(tz).year - 1
    years = [rule.year] if rule.year is not None else list(range(first, first + 3))
    for year in years:
        first_day = dict(rule.week_starts).get(year) or dt.date(year, 10, 1)
        day = first_day + dt.timedelta(days=rule.offset_days)
        t = local_at(day, rule.hour, rule.minute, tz)
        if t > after:
            return t
    return None


def _next_daily(hour: int, minute: int, after: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    day = after.astimezone(tz).date()
    t = local_at(day, hour, minute, tz)
    while t <= after:
        day += dt.timedelta(days=1)
        t = local_at(day, hour, minute, tz)
    return t


def fires_between(
    rule: Rule, after: dt.datetime, until: dt.datetime, tz: ZoneInfo, limit: int = 500
) -> list[dt.datetime]:
    """Every fire time in (after, until], at most `limit` (oldest first)."""
    out: list[dt.datetime] = []
    t = next_fire(rule, after, tz)
    while t is not None and t <= until and len(out) < limit:
        out.append(t)
        t = next_fire(rule, t, tz)
    return out


def in_quiet(t: dt.datetime, window: QuietWindow | None, tz: ZoneInfo) -> bool:
    """Is `t` inside the quiet window (local wall clock; the window may wrap midnight)?"""
    if window is None:
        return False
    start, end = window
    clock = t.astimezone(tz).time()
    if start == end:
        return False
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def defer_quiet(t: dt.datetime, window: QuietWindow | None, tz: ZoneInfo) -> dt.datetime:
    """`t` itself outside quiet hours, else the end of that quiet window (the next morning)."""
    if window is None or not in_quiet(t, window, tz):
        return t
    local = t.astimezone(tz)
    end = window[1]
    day = local.date() if local.time() < end else local.date() + dt.timedelta(days=1)
    return local_at(day, end.hour, end.minute, tz)


def local_date(t: dt.datetime, tz: ZoneInfo) -> dt.date:
    return t.astimezone(tz).date()


def week_of(today: dt.date, month: int = 10, day: int = 1, days: int = 7) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the Week running on `today`, or else of the next one."""
    start = dt.date(today.year, month, day)
    end = start + dt.timedelta(days=days - 1)
    if today > end:
        start = dt.date(today.year + 1, month, day)
        end = start + dt.timedelta(days=days - 1)
    return start, end
