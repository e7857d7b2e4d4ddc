"""/tuanle: the lifelong-learning Week (usually 1–7 October): countdown, theme, purpose, local events, reminders."""

from __future__ import annotations

import datetime as dt

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core import texts
from bot.core.context import Ctx
from bot.core.messages import Choice, Inbound, Reply
from bot.core.payloads import SPEC_LABELS, ContestList, WeekReminder
from bot.core.router import Router
from bot.db import repo
from bot.db.models import Group, Membership, User
from bot.db.models_campaigns import WeekEvent
from content.schema import WeekInfo, WeekYear
from handlers.week.service import current_week

router = Router("week")

WEEK_GROUP = "tuanle"  # interest group of people who asked to be reminded of the Week
WEEK_GROUP_TITLE = "Nhắc Tuần lễ học tập suốt đời"

T_HEAD = "📅 {name} năm {year}\n🗓 Từ {start} đến {end}."
T_RUNNING = "🎉 Tuần lễ đang diễn ra — hôm nay là ngày thứ {n}."
T_COUNTDOWN = "⏳ Còn {days} ngày nữa."
T_TOMORROW = "⏳ Ngày mai bắt đầu!"
T_THEME = "🎯 Chủ đề năm {year}: “{theme}”."
T_NO_THEME = "🎯 Chủ đề năm {year} sẽ được công bố sau."
T_PURPOSE = "💡 Ý nghĩa: {purpose}"
T_EVENTS = "📍 Hoạt động ở địa phương bạn:"
T_NO_EVENTS = "📍 Chưa có hoạt động địa phương nào được đăng. Hãy hỏi Hội Khuyến học xã/phường nhé."
T_ACTIVITIES = "Bạn có thể: {items}."
B_REMIND = "🔔 Nhắc tôi"
B_UNREMIND = "🔕 Thôi nhắc"
T_REMIND_ON = "🔔 Đã xong!"
T_REMIND_LATER = "Bot sẽ nhắc bạn trước và trong Tuần lễ học tập suốt đời."
T_REMIND_ALREADY = "Bạn đã đăng ký nhắc Tuần lễ rồi. 👍"
T_REMIND_OFF = "🔕 Đã thôi nhắc Tuần lễ học tập. Bạn bấm “Nhắc tôi” bất cứ lúc nào để bật lại."
T_REMIND_UNPAUSED = "Bot cũng đã bật lại nhắc học cho bạn."
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def vn_date(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day}/{day.month}/{day.year}"


def week_text(today: dt.date, info: WeekInfo, events: list[WeekEvent], week: WeekYear) -> str:
    """The /tuanle message for `today` (local date) and its `week` (handlers.week.service.current_week): dates,
    countdown, theme, purpose, local events."""
    start, end = week.start, week.end
    head = T_HEAD.format(name=info.name, year=week.year, start=vn_date(start), end=vn_date(end))
    if start <= today <= end:
        head += "\n" + T_RUNNING.format(n=(today - start).days + 1)
    else:
        days = (start - today).days
        head += "\n" + (T_TOMORROW if days == 1 else T_COUNTDOWN.format(days=days))
    theme = week.theme
    parts = [
        head,
        T_THEME.format(year=week.year, theme=theme) if theme else T_NO_THEME.format(year=week.year),
        T_PURPOSE.format(purpose=" ".join(info.purpose.split())),
    ]
    if events:
        lines = [T_EVENTS]
        for ev in events:
            where = f" — {ev.place}" if ev.place else ""
            lines.append(f"• {ev.date.day}/{ev.date.month}: {ev.title}{where}")
        parts.append("\n".join(lines))
    else:
        acts = [a.split("(")[0].strip() for a in info.activities[1:4]]
        parts.append(
            T_NO_EVENTS + ("\n" + T_ACTIVITIES.format(items="; ".join(acts).lower()) if acts else "")
        )
    return "\n\n".join(parts)


async def local_events(s: AsyncSession, user: User, start: dt.date, end: dt.date) -> list[WeekEvent]:
    """Events of this Week's season (a month before to the last day) for the user's place and groups."""
    names = await user_group_names(s, user.id) if user.id is not None else []
    q = select(WeekEvent).where(
        WeekEvent.date >= start - dt.timedelta(days=31),
        WeekEvent.date <= end,
        or_(col(WeekEvent.province).is_(None), WeekEvent.province == user.province),
        or_(col(WeekEvent.commune).is_(None), WeekEvent.commune == user.commune),
        or_(col(WeekEvent.group_name).is_(None), col(WeekEvent.group_name).in_(names or [""])),
    )
    res = await s.exec(q.order_by(col(WeekEvent.date), col(WeekEvent.id)).limit(10))
    return list(res.all())


async def user_group_names(s: AsyncSession, user_id: int | None) -> list[str]:
    res = await s.exec(
        select(Group.name)
        .join(Membership, col(Membership.group_id) == col(Group.id))
        .where(Membership.user_id == user_id)
    )
    return list(res.all())


async def week_group(s: AsyncSession) -> Group:
    """The “tuanle” interest group, created on first use."""
    res = await s.exec(select(Group).where(Group.name == WEEK_GROUP))
    group = res.first()
    if group is None:
        group = Group(name=WEEK_GROUP, title=WEEK_GROUP_TITLE, kind="interest")
        s.add(group)
        await s.flush()
    return group


@router.command("tuanle", "week")
@router.menu(texts.MENU_WEEK)
async def show_week(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The current or next Week with a countdown, theme, purpose, local events and a reminder button."""
    info = ctx.services.catalog.week
    today = ctx.now().astimezone(ctx.settings.tz).date()
    week = await current_week(ctx.session, info, today)
    events = await local_events(ctx.session, ctx.user, week.start, week.end) if ctx.consented else []
    member = ctx.consented and WEEK_GROUP in await user_group_names(ctx.session, ctx.user_id)
    button = Choice(B_UNREMIND, WeekReminder("off").pack()) if member else Choice(B_REMIND, WeekReminder("on").pack())
    return [Reply(week_text(today, info, events, week), choices=[*await _contest_button(ctx), button])]


async def _contest_button(ctx: Ctx) -> list[Choice]:
    """“Vào thi” first while a contest of the Week is open for this person's place (handlers/contests)."""
    from handlers.contests.service import open_for
    if not ctx.consented or not await open_for(ctx.session, ctx.user, ctx.now()):
        return []
    return [Choice(SPEC_LABELS["contest"], ContestList().pack())]


@router.action(WeekReminder.action, consent=True)
async def remind_me(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Join (or leave) the Week reminder group."""
    group = await week_group(ctx.session)
    assert group.id is not None
    if (WeekReminder.read(msg.choice) or WeekReminder()).turn == "off":
        res = await ctx.session.exec(
            select(Membership).where(Membership.user_id == ctx.user_id, Membership.group_id == group.id)
        )
        for row in res.all():
            await ctx.session.delete(row)
        return [Reply(T_REMIND_OFF, choices=[Choice(B_REMIND, WeekReminder("on").pack())])]
    joined = await repo.join_group(ctx.session, ctx.user_id, group.id)
    notes = [texts.promise(T_REMIND_ON, T_REMIND_LATER, ctx.channel) if joined else T_REMIND_ALREADY]
    if ctx.user.reminders_paused or not ctx.user.subscribed:
        ctx.user.reminders_paused = False
        ctx.user.subscribed = True
        notes.append(T_REMIND_UNPAUSED)
    return [Reply("\n".join(notes))]
