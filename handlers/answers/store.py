"""FAQ entries that live in the DB, not in content/: officers' answers an admin approved in the dashboard
(`web-{id}`). They join the search index at start, every minute (those another worker approved), at once
when approved here, and in `hocbot ask`; the unanswered questions they answer are no longer open."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.faults import log_failure
from bot.core.places import covers
from bot.core.tasks import running
from bot.db.engine import Database
from bot.db.models import Group
from bot.db.models_dashboard import FaqProposal
from bot.db.models_faq import UnansweredQuestion
from content.schema import FaqEntry, Source
from handlers.officers.scope import OfficerInfo

if TYPE_CHECKING:
    from bot.core.context import Services
    from content.deferred_index import Index

log = logging.getLogger(__name__)

SOURCE = Source(id="hkh-canbo", title="Hội Khuyến học (cán bộ trả lời, đã duyệt)", kind="officer")
SCOPE_TAG = "noi:"  # an entry's tag "noi:Ninh Bình" or "noi:Ninh Bình|Gia Viễn": served only there
Scope = tuple[str | None, str | None]  # (province, commune); (None, None): everyone
EVERYONE: Scope = (None, None)
MAX_ALTERNATIVES = 12
SYNC_SECONDS = 60.0
CLI_TIMEOUT = 5.0  # `hocbot ask` answers from content alone rather than wait longer for the DB


def _ids(p: FaqProposal) -> list[int]:
    return [int(i) for i in json.loads(p.unanswered_ids or "[]")]


# ---- where an officer's answer applies -----------------------------------------------------------------------


def scope_tags(scope: Scope) -> list[str]:
    province, commune = scope
    if not province:
        return []
    return [f"{SCOPE_TAG}{province}|{commune}" if commune else f"{SCOPE_TAG}{province}"]


def entry_scope(entry: FaqEntry | None) -> Scope:
    """Where a FAQ entry may be served (content entries and unscoped answers: everyone)."""
    for tag in entry.tags if entry is not None else []:
        if tag.startswith(SCOPE_TAG):
            province, _, commune = tag.removeprefix(SCOPE_TAG).partition("|")
            return province, commune or None
    return EVERYONE


def serves(scope: Scope, place: Scope) -> bool:
    """May an answer scoped to `scope` be given to someone living at `place` (province, commune)?"""
    return not scope[0] or covers(*scope, *place)


def scope_label(scope: Scope) -> str:
    province, commune = scope
    return f"xã/phường {commune}, {province}" if commune else f"tỉnh/thành {province}" if province else "cả nước"


async def default_scope(s: AsyncSession, officer: OfficerInfo) -> Scope:
    """The writer's unit (the safe default): a commune officer's commune, a province officer's province, a group
    officer's group's place; admins write for everyone."""
    if officer.is_admin:
        return EVERYONE
    for kind, value in officer.scopes:
        if kind == "commune":
            commune, _, province = value.partition("|")
            return province, commune
    for kind, value in officer.scopes:
        if kind == "province":
            return value, None
    for kind, value in officer.scopes:
        g = (await s.exec(select(Group).where(Group.name == value))).first() if kind == "group" else None
        if g is not None and g.province:
            return g.province, g.commune
    return EVERYONE


def proposal_scope(p: FaqProposal) -> Scope:
    return (p.scope_province, p.scope_commune) if p.scope_province else EVERYONE


async def entry_of(s: AsyncSession, p: FaqProposal) -> FaqEntry:
    """The FAQ entry of a proposal; the grouped questions become its alternative wordings; its scope a tag."""
    ids = _ids(p)
    texts = (await s.exec(select(UnansweredQuestion.question).where(col(UnansweredQuestion.id).in_(ids)))).all()
    alternatives = [t for t in dict.fromkeys(texts) if t and t.strip() != p.question.strip()][:MAX_ALTERNATIVES]
    return FaqEntry(id=f"web-{p.id}", question=p.question, alternatives=alternatives, answer=p.answer,
                    sources=[SOURCE.id], tags=["dashboard", *scope_tags(proposal_scope(p))])  # fmt: skip


async def approved_entries(s: AsyncSession, skip: Iterable[int] = ()) -> list[tuple[int, FaqEntry]]:
    """(proposal id, FAQ entry) of every approved answer except those in `skip`, oldest first."""
    stmt = select(FaqProposal).where(col(FaqProposal.status) == "approved")
    if seen := sorted(skip):
        stmt = stmt.where(col(FaqProposal.id).not_in(seen))
    rows = (await s.exec(stmt.order_by(col(FaqProposal.id)))).all()
    return [(p.id or 0, await entry_of(s, p)) for p in rows]


async def answered_question_ids(s: AsyncSession) -> set[int]:
    """Unanswered-question ids an approved answer was written for."""
    rows = (await s.exec(select(FaqProposal).where(col(FaqProposal.status) == "approved"))).all()
    return {i for p in rows for i in _ids(p)}


def add_to_index(catalog: Any, search: Index | None, entry: FaqEntry) -> None:
    """Searchable from now on; its source line names the officers' association."""
    if catalog is not None and SOURCE.id not in catalog.sources:
        catalog.sources[SOURCE.id] = SOURCE
    if search is not None:
        search.add_entry(entry)


def publish(services: Services, entry: FaqEntry, proposal_id: int | None = None) -> None:
    """Searchable from now on, in this process (answers and suggestions use the same index)."""
    add_to_index(services.catalog, services.search, entry)
    if proposal_id is not None:
        services.answers.published.add(proposal_id)


async def load_approved(services: Services) -> int:
    """Approved answers not yet in this process's search index (all of them at start; later, those another
    worker approved). Returns how many were added."""
    async with services.db.session() as s:
        entries = await approved_entries(s, services.answers.published)
    for pid, entry in entries:
        publish(services, entry, pid)
    return len(entries)


@contextlib.asynccontextmanager
async def keep_loaded(services: Services) -> AsyncIterator[None]:
    """Background work of `hocbot run`: load at start, then every minute those approved on another worker."""
    await load_approved(services)
    async with running(_sync(services)):
        yield


async def _sync(services: Services) -> None:
    while True:
        await asyncio.sleep(SYNC_SECONDS)
        try:
            await load_approved(services)
        except Exception as exc:
            log_failure(log, "faq_store", "faq_store: loading approved answers failed", exc)


def _missing_sqlite_file(url: str) -> bool:
    parsed = make_url(url)
    name = parsed.database or ""
    return parsed.get_backend_name() == "sqlite" and name not in ("", ":memory:") and not Path(name).exists()


async def read_approved(url: str) -> list[FaqEntry] | None:
    """Approved answers for a one-off command, read only (no migration, no new SQLite file); None when the
    DB is missing, unreachable or not migrated yet."""
    if _missing_sqlite_file(url):
        return None
    db = Database(url)
    try:
        async with asyncio.timeout(CLI_TIMEOUT), db.session() as s:
            return [e for _, e in await approved_entries(s)]
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        log.warning("approved answers not loaded (%s); answering from content only", type(exc).__name__)
        return None
    finally:
        await db.dispose()
