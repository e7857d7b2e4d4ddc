"""Officer-written FAQ answers, the dashboard's workflow: unanswered questions grouped when similar,
proposals, and approval into a live FAQ entry (handlers/answers/store.py turns it into one and publishes it)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.callback import parse_int
from bot.db.models import Group
from bot.db.models_dashboard import FaqProposal
from bot.db.models_faq import UnansweredQuestion
from bot.redact import mask_pii
from content.schema import FAQ_ANSWER_MAX, QUESTION_MAX, FaqEntry
from content.textnorm import content_syllables, syllables
from handlers.answers.store import default_scope, entry_of, publish
from handlers.officers.scope import OfficerInfo, group_in_scope

SIMILAR = 0.5  # Jaccard of folded content syllables from which two questions are "the same question"
MAX_OPEN = 300


@dataclass
class Cluster:
    """Similar open questions: the most asked one first."""

    rows: list[UnansweredQuestion] = field(default_factory=list)
    sig: frozenset[str] = frozenset()

    @property
    def count(self) -> int:
        return sum(r.count for r in self.rows)

    @property
    def ids(self) -> str:
        return ",".join(str(r.id) for r in self.rows)

    @property
    def head(self) -> UnansweredQuestion:
        return self.rows[0]


def signature(text: str) -> frozenset[str]:
    """Folded content syllables: “AI là gì ạ?” and “ai la gi” have the same one (content/textnorm.py)."""
    return frozenset(content_syllables(text) or syllables(text))


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Most words shared, and the same numbers (“xã 3” and “xã 4” are different questions)."""
    if not a or not b:
        return a == b
    if {w for w in a if w.isdigit()} != {w for w in b if w.isdigit()}:
        return False
    return len(a & b) / len(a | b) >= SIMILAR


def cluster(rows: list[UnansweredQuestion]) -> list[Cluster]:
    """Greedy grouping, most asked first: a question joins the first group whose lead it resembles."""
    groups: list[Cluster] = []
    by_numbers: dict[frozenset[str], list[Cluster]] = {}  # similar() needs the same numbers: look only there
    for row in sorted(rows, key=lambda r: (-r.count, r.id or 0)):
        sig = signature(row.question or row.folded)
        same = by_numbers.setdefault(frozenset(w for w in sig if w.isdigit()), [])
        for g in same:
            if similar(sig, g.sig):
                g.rows.append(row)
                break
        else:
            groups.append(Cluster([row], sig))
            same.append(groups[-1])
    return sorted(groups, key=lambda g: (-g.count, g.head.id or 0))


def question_in_scope(officer: OfficerInfo, row: UnansweredQuestion) -> bool:
    """Admins see every question; an officer those asked by people of their own units (a question whose asker
    gave no place is for admins)."""
    if officer.is_admin:
        return True
    if row.province is None:
        return False
    return group_in_scope(officer, Group(name="", province=row.province, commune=row.commune))


async def open_clusters(s: AsyncSession, officer: OfficerInfo) -> tuple[list[Cluster], int]:
    """Open questions of the officer's units (not those refused as out of scope) grouped; and how many
    out-of-scope were hidden."""
    stmt = (
        select(UnansweredQuestion)
        .where(col(UnansweredQuestion.status) == "open")
        .order_by(col(UnansweredQuestion.count).desc(), col(UnansweredQuestion.last_seen).desc())
        .limit(MAX_OPEN)
    )
    rows = [r for r in (await s.exec(stmt)).all() if question_in_scope(officer, r)]
    keep = [r for r in rows if r.reason != "out_of_scope"]
    return cluster(keep), len(rows) - len(keep)


def check_texts(question: str, answer: str) -> list[str]:
    errors = []
    if not question or len(question) > QUESTION_MAX:
        errors.append(f"Câu hỏi phải có từ 1 đến {QUESTION_MAX} ký tự.")
    if not answer or len(answer) > FAQ_ANSWER_MAX:
        errors.append(f"Câu trả lời phải có từ 1 đến {FAQ_ANSWER_MAX} ký tự.")
    return errors


def parse_ids(raw: str) -> list[int]:
    return sorted({n for p in raw.split(",") if (n := parse_int(p, lo=1)) is not None})[:300]


async def propose(s: AsyncSession, question: str, answer: str, ids: list[int], officer: OfficerInfo) -> FaqProposal:
    """A pending answer, scoped to the writer's unit (an admin may widen it when approving)."""
    rows = (await s.exec(select(UnansweredQuestion).where(col(UnansweredQuestion.id).in_(ids)))).all()
    found = [r.id for r in rows if r.id and question_in_scope(officer, r)]
    province, commune = await default_scope(s, officer)
    p = FaqProposal(question=mask_pii(question), answer=answer, unanswered_ids=json.dumps(sorted(found)),
                    proposed_by=officer.actor, scope_province=province, scope_commune=commune)  # fmt: skip
    s.add(p)
    await s.flush()
    return p


SCOPE_CHOICES = ("unit", "province", "all")  # the approve form's `scope`: as proposed, its province, everyone


def widen(p: FaqProposal, choice: str) -> None:
    """The admin's choice at approval: keep the writer's unit, widen it to its province, or serve everyone."""
    if choice == "all":
        p.scope_province, p.scope_commune = None, None
    elif choice == "province":
        p.scope_commune = None


async def approve(s: AsyncSession, services: Any, p: FaqProposal, actor: str, now: dt.datetime,
                  scope: str = "unit") -> FaqEntry:  # fmt: skip
    """Turn a pending proposal into a FAQ entry served within its scope; its questions are marked answered.
    Raises ValueError."""
    widen(p, scope)
    try:
        entry = await entry_of(s, p)
    except ValidationError as exc:
        raise ValueError(str(exc)) from None
    ids = json.loads(p.unanswered_ids or "[]")
    for row in (await s.exec(select(UnansweredQuestion).where(col(UnansweredQuestion.id).in_(ids)))).all():
        row.status = "answered"
        s.add(row)
    p.status, p.faq_id, p.decided_by, p.decided_at = "approved", entry.id, actor, now
    s.add(p)
    await s.flush()
    publish(services, entry, p.id)
    return entry
