"""Content: modules, lessons, quizzes and FAQ shown as citizens see them, with the validation status."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from sqlmodel import col, select

from bot import learning_texts as t
from bot.context import Services
from bot.db.models_dashboard import FaqProposal
from bot.faq_store import entry_of
from bot.messages import Choice, Reply
from bot.render import numbered
from bot.web.dashboard.auth import Dash
from bot.web.dashboard.common import Route
from bot.web.dashboard.render import not_found, render
from content.catalog import CheckReport, check_catalog
from content.schema import FaqEntry, Module


@dataclass
class Shown:
    """One message as a citizen gets it: the reply, and its Zalo form (numbered text)."""

    reply: Reply
    zalo: str


def lesson_messages(mod: Module) -> list[Shown]:
    """Each lesson as handlers/learn.py sends it (header, text, the navigation buttons)."""
    out = []
    n = len(mod.lessons)
    for i, lesson in enumerate(mod.lessons):
        text = t.LESSON_HEAD.format(module=mod.title, i=i + 1, n=n, title=lesson.title) + "\n\n" + lesson.text
        last = i == n - 1
        choices = [Choice(t.BTN_TAKE_QUIZ if last else t.BTN_NEXT, "-")]
        if i > 0:
            choices.append(Choice(t.BTN_BACK, "-"))
        choices.append(Choice(t.BTN_TOC, "-"))
        if last:
            text += "\n\n" + t.MODULE_READ.format(n=n, module=mod.title)
        reply = Reply(text, choices=choices, image=lesson.image)
        out.append(Shown(reply, numbered(reply)))
    return out


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
    holder: dict[str, Any] = services.extras.setdefault("content_check", {"lock": asyncio.Lock()})
    async with holder["lock"]:
        if "report" not in holder:
            holder["report"] = await asyncio.to_thread(check_catalog)
    report: CheckReport = holder["report"]
    return report


def routes(services: Services) -> list[Route]:
    def source_titles(entry: FaqEntry) -> list[str]:
        cat = services.catalog
        return [str(cat.source_title(ref) or ref) if cat is not None else ref for ref in entry.sources]

    async def index(request: web.Request, dash: Dash) -> web.StreamResponse:
        report = await validation(services)
        async with services.db.session() as s:
            stmt = select(FaqProposal).where(col(FaqProposal.status) == "approved").order_by(col(FaqProposal.id))
            approved = [await entry_of(s, p) for p in (await s.exec(stmt)).all()]
        catalog = services.catalog
        faq = [(e, source_titles(e), False) for e in catalog.faq] + [(e, source_titles(e), True) for e in approved]
        return render("content.html", dash=dash, active="content", report=report, modules=catalog.modules,
                      faq=faq, week=catalog.week)  # fmt: skip

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
    ]
