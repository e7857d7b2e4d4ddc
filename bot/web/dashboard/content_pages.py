"""Content: modules, lessons, quizzes and FAQ shown as citizens see them, with the validation status, the
digital-competence domains each module covers, sources by kind, and the Week by year (admins set a year)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import weakref
from collections import Counter
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from sqlmodel import col, select

from bot.core.context import Services, UserFacingError
from bot.core.messages import Choice, Reply
from bot.core.render import numbered
from bot.db.models_campaigns import WeekEvent
from bot.db.models_dashboard import FaqProposal
from bot.web.dashboard.auth import Dash, web_actor
from bot.web.dashboard.common import Route, field, see_other
from bot.web.dashboard.render import not_found, refuse, render
from content.catalog import Catalog, CheckReport, check_catalog
from content.schema import DIGITAL_DOMAINS, FaqEntry, Module, WeekYear
from handlers.answers.store import entry_of
from handlers.learning import texts as t
from handlers.learning.screens import lesson_reply
from handlers.week.service import add_event, event_area, merged, overrides, set_week

SOURCE_KIND_LABELS = {
    "official": "văn bản, cổng chính thức",
    "press": "báo chí",
    "seed": "bài gốc (seed)",
    "platform": "trang của dịch vụ",
    "bot": "hướng dẫn của bot",
    "officer": "cán bộ trả lời",
}


@dataclass
class Shown:
    """One message as a citizen gets it: the reply, and its Zalo form (numbered text)."""

    reply: Reply
    zalo: str


def lesson_messages(mod: Module) -> list[Shown]:
    """Each lesson exactly as the chat sends it (handlers/learning/screens.lesson_reply)."""
    return [Shown(reply, numbered(reply)) for reply in (lesson_reply(mod, i) for i in range(len(mod.lessons)))]


def quiz_messages(mod: Module) -> list[dict[str, Any]]:
    n = len(mod.quiz)
    return [
        {"q": q, "text": t.QUESTION.format(i=i + 1, n=n, question=q.question),
         "zalo": numbered(Reply(t.QUESTION.format(i=i + 1, n=n, question=q.question),
                                choices=[Choice(o, "-") for o in q.options]))}
        for i, q in enumerate(mod.quiz)
    ]  # fmt: skip


async def validation(services: Services) -> CheckReport:
    """`hocbot content check`, once per process (at start-up, off the event loop): the catalog served is the one
    loaded at start, so the report of the content folder then is the one that matches it until a restart."""
    check = _CHECKS.setdefault(services, _Check())
    async with check.lock:
        if check.report is None:
            check.report = await asyncio.to_thread(check_catalog)
        return check.report


@dataclass
class _Check:
    lock: asyncio.Lock = dataclasses.field(default_factory=asyncio.Lock)
    report: CheckReport | None = None


_CHECKS: weakref.WeakKeyDictionary[Services, _Check] = weakref.WeakKeyDictionary()


def coverage(modules: list[Module]) -> list[dict[str, Any]]:
    """Each domain of the national digital-competence framework and the modules that teach it."""
    return [{"key": key, "name": name, "modules": [m for m in modules if key in m.domains]}
            for key, name in DIGITAL_DOMAINS.items()]  # fmt: skip


def sources_by_kind(catalog: Catalog) -> list[tuple[str, int]]:
    counts = Counter(src.kind for src in catalog.sources.values())
    return [(SOURCE_KIND_LABELS.get(kind, kind), n) for kind, n in sorted(counts.items())]


def week_years(catalog: Catalog, set_by_officer: dict[int, Any], coming: int) -> list[tuple[WeekYear, bool]]:
    years = sorted({y.year for y in catalog.week.years} | set(set_by_officer) | {coming})
    return [(merged(catalog.week, y, set_by_officer.get(y)), y in set_by_officer) for y in years]


def routes(services: Services) -> list[Route]:
    def source_titles(entry: FaqEntry) -> list[str]:
        cat = services.catalog
        return [str(cat.source_title(ref) or ref) if cat is not None else ref for ref in entry.sources]

    async def index(request: web.Request, dash: Dash) -> web.StreamResponse:
        report = await validation(services)
        async with services.db.session() as s:
            stmt = select(FaqProposal).where(col(FaqProposal.status) == "approved").order_by(col(FaqProposal.id))
            approved = [await entry_of(s, p) for p in (await s.exec(stmt)).all()]
            set_by_officer = {o.year: o for o in await overrides(s)}
        catalog = services.catalog
        faq = [(e, source_titles(e), False) for e in catalog.faq] + [(e, source_titles(e), True) for e in approved]
        today = services.now().astimezone(services.settings.tz).date()
        this = merged(catalog.week, today.year, set_by_officer.get(today.year))
        coming = today.year if today <= this.end else today.year + 1
        async with services.db.session() as s:
            in_year = select(WeekEvent).where(col(WeekEvent.date) >= dt.date(coming, 1, 1),
                                              col(WeekEvent.date) <= dt.date(coming, 12, 31))  # fmt: skip
            events = [ev for ev in (await s.exec(in_year.order_by(col(WeekEvent.date)))).all()
                      if dash.officer.is_admin or ev.created_by == web_actor(dash.officer)]  # fmt: skip
        return render("content.html", dash=dash, active="content", report=report, modules=catalog.modules,
                      faq=faq, week=catalog.week, coverage=coverage(catalog.modules), domains=DIGITAL_DOMAINS,
                      kinds=sources_by_kind(catalog), years=week_years(catalog, set_by_officer, coming),
                      coming=coming, events=events)  # fmt: skip

    async def week_set(request: web.Request, dash: Dash) -> web.StreamResponse:
        """An admin sets a year's Week (dates, theme) for this deployment; audited like every change."""
        form = await request.post()
        year_text, start_text, end_text = field(form, "year", 8), field(form, "start", 12), field(form, "end", 12)
        theme = field(form, "theme", 400)
        async with services.db.session() as s:
            if not dash.officer.is_admin:
                return await refuse(s, dash, "dashboard.week.set", {"year": year_text})
            try:
                start, end = dt.date.fromisoformat(start_text), dt.date.fromisoformat(end_text)
                year = int(year_text)
            except ValueError:
                return render("message.html", dash=dash, active="content", status=400, title="Chưa lưu được",
                              message="Năm hoặc ngày không hợp lệ (ngày viết dạng 2027-10-01).",
                              back="/dashboard/content#week")  # fmt: skip
            try:
                await set_week(s, web_actor(dash.officer), year, start, end, theme)
            except UserFacingError as exc:
                return render("message.html", dash=dash, active="content", status=400, title="Chưa lưu được",
                              message=exc.text, back="/dashboard/content#week")  # fmt: skip
        raise see_other("/dashboard/content#week")

    async def event_add(request: web.Request, dash: Dash) -> web.StreamResponse:
        """An officer posts a local event of the Week, shown by /tuanle in the officer's own area only."""
        form = await request.post()
        title, date_text, place = field(form, "title", 300), field(form, "date", 12), field(form, "place", 300)
        async with services.db.session() as s:
            try:
                day = dt.date.fromisoformat(date_text)
                province, commune = await event_area(s, dash.officer)
                await add_event(s, web_actor(dash.officer), title, day, place, province, commune)
            except ValueError:
                return render("message.html", dash=dash, active="content", status=400, title="Chưa lưu được",
                              message="Ngày không hợp lệ (viết dạng 2027-10-02).",
                              back="/dashboard/content#week")  # fmt: skip
            except UserFacingError as exc:
                return render("message.html", dash=dash, active="content", status=400, title="Chưa lưu được",
                              message=exc.text, back="/dashboard/content#week")  # fmt: skip
        raise see_other("/dashboard/content#week")

    async def module_page(request: web.Request, dash: Dash) -> web.StreamResponse:
        mod = services.catalog.module(request.match_info.get("id", "")[:40])
        if mod is None:
            return not_found(dash)
        sources = [str(services.catalog.source_title(ref) or ref) for ref in mod.sources]
        return render("module.html", dash=dash, active="content", m=mod, lessons=lesson_messages(mod),
                      quiz=quiz_messages(mod), sources=sources)  # fmt: skip

    return [
        ("GET", "/dashboard/content", index),
        ("GET", "/dashboard/content/modules/{id}", module_page),
        ("POST", "/dashboard/content/week", week_set),
        ("POST", "/dashboard/content/week/events", event_add),
    ]
