"""Contest results: leaderboards per commune and province (names only with consent), winners, the export rows
and the winners' certificates (the course certificate's page, bot/certificate.py, with a QR code to /verify).

Winners: the top N of the contest's own leaderboard (N = the contest's `winners`, 3 unless the officer set it),
once the contest has closed, among people with at least one correct answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import User
from bot.db.models_contests import Contest, ContestAttempt
from handlers.contests import service
from handlers.contests import texts as t

CERT_PREFIX = "TH"


@dataclass(frozen=True)
class Row:
    rank: int
    attempt: ContestAttempt
    name: str | None  # None: the person did not agree to show it

    @property
    def seconds(self) -> str:
        return seconds_text(self.attempt.total_ms)


def seconds_text(ms: int) -> str:
    return f"{ms / 1000:.1f}".replace(".", ",")


def masked(user_id: int) -> str:
    """A stable, short stand-in for a hidden name: never the whole id."""
    return t.HIDDEN.format(mask=f"**{user_id % 100:02d}")


def shown_name(row: Row) -> str:
    return row.name or masked(row.attempt.user_id)


async def ranking(
    s: AsyncSession, contest_id: int, province: str | None = None, commune: str | None = None,
    limit: int | None = None,
) -> list[Row]:
    """Finished attempts, best first: most correct, then least time, then who finished first."""
    stmt = (select(ContestAttempt, User).join(User, col(User.id) == col(ContestAttempt.user_id))
            .where(ContestAttempt.contest_id == contest_id, col(ContestAttempt.finished_at).is_not(None)))  # fmt: skip
    stmt = stmt.where(*_place(province, commune)).order_by(
        col(ContestAttempt.correct).desc(), col(ContestAttempt.total_ms), col(ContestAttempt.finished_at),
        col(ContestAttempt.id))  # fmt: skip
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = []
    for rank, (attempt, user) in enumerate((await s.exec(stmt)).all(), 1):
        consented = user.show_name and user.deleted_at is None and bool(user.display_name.strip())
        rows.append(Row(rank, attempt, user.display_name if consented else None))
    return rows


def _place(province: str | None, commune: str | None) -> list[Any]:
    where: list[Any] = []
    if province is not None:
        where.append(ContestAttempt.province == province)
    if commune is not None:
        where.append(func.lower(col(ContestAttempt.commune)) == commune.lower())
    return where


async def rank_of(s: AsyncSession, attempt: ContestAttempt, province: str | None, commune: str | None,
                  ) -> tuple[int, int]:  # fmt: skip
    """(rank, how many finished) of a finished attempt on a leaderboard: two counts, in the order of `ranking`
    (never the whole board: a province's contest can have tens of thousands of people)."""
    a = attempt
    c, ms, done = col(ContestAttempt.correct), col(ContestAttempt.total_ms), col(ContestAttempt.finished_at)
    tied = and_(c == a.correct, ms == a.total_ms)
    ahead = or_(c > a.correct, and_(c == a.correct, ms < a.total_ms), and_(tied, done < a.finished_at),
                and_(tied, done == a.finished_at, col(ContestAttempt.id) < a.id))
    stmt = select(func.count(), func.coalesce(func.sum(case((ahead, 1), else_=0)), 0)).where(
        ContestAttempt.contest_id == a.contest_id, done.is_not(None), *_place(province, commune))
    total, before = (await s.exec(stmt)).one()
    return int(before) + 1, int(total)


def board_text(contest: Contest, rows: list[Row], place: str, me: int | None, total: int) -> str:
    lines = [t.BOARD_HEAD.format(title=contest.title, place=place)]
    for r in rows:
        you = t.BOARD_YOU if r.attempt.user_id == me else ""
        lines.append(t.BOARD_LINE.format(rank=r.rank, name=shown_name(r) + you, correct=r.attempt.correct,
                                         total=total, time=r.seconds))  # fmt: skip
    if not rows:
        lines.append(t.BOARD_EMPTY)
    return "\n".join(lines)


async def winners(s: AsyncSession, contest: Contest, now: dt.datetime) -> list[Row]:
    """The top N once the contest has closed (nobody before), with at least one correct answer."""
    if contest.id is None or now < contest.closes_at:
        return []
    rows = await ranking(s, contest.id, limit=contest.winners)
    return [r for r in rows if r.attempt.correct > 0]


async def winner_rank(s: AsyncSession, contest: Contest, attempt: ContestAttempt, now: dt.datetime) -> int | None:
    return next((r.rank for r in await winners(s, contest, now) if r.attempt.id == attempt.id), None)


async def issue_code(s: AsyncSession, attempt: ContestAttempt) -> str:
    """The winner's certificate code, made once (asking again gives the same code)."""
    from handlers.learning.certificate import new_code

    while attempt.cert_code is None:
        raw = new_code()[3:].replace("-", "")
        code = f"{CERT_PREFIX}-{raw[:4]}-{raw[4:]}"
        if (await s.exec(select(ContestAttempt.id).where(ContestAttempt.cert_code == code))).first() is None:
            attempt.cert_code = code
    s.add(attempt)
    return attempt.cert_code


async def by_cert_code(s: AsyncSession, code: str) -> tuple[ContestAttempt, Contest, User] | None:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    if not raw.startswith(CERT_PREFIX) or len(raw) != len(CERT_PREFIX) + 8:
        return None
    full = f"{CERT_PREFIX}-{raw[2:6]}-{raw[6:]}"
    stmt = (select(ContestAttempt, Contest, User)
            .join(Contest, col(Contest.id) == col(ContestAttempt.contest_id))
            .join(User, col(User.id) == col(ContestAttempt.user_id))
            .where(ContestAttempt.cert_code == full))  # fmt: skip
    row = (await s.exec(stmt)).first()
    return (row[0], row[1], row[2]) if row else None


def certificate_pdf(contest: Contest, attempt: ContestAttempt, name: str, rank: int, url: str, tz: ZoneInfo) -> bytes:
    from handlers.learning import certificate as certs

    assert attempt.cert_code is not None and attempt.finished_at is not None
    body = t.CERT_BODY.format(rank=rank, title=contest.title, year=contest.year,
                              place=service.place_text(contest.province, contest.commune))  # fmt: skip
    return certs.render(title=f"{contest.title} — {name}", lead=t.CERT_LEAD, name=name, body=body,
                        issued=contest.closes_at.astimezone(tz).strftime("%d/%m/%Y"), code=attempt.cert_code,
                        url=url)  # fmt: skip


async def export_rows(s: AsyncSession, contest: Contest, tz: ZoneInfo) -> list[list[Any]]:
    """One row per person who finished, in rank order, Vietnamese headers in texts.EXPORT_HEADER (the exporters,
    bot/web/dashboard/exports.py, pass every cell through `cell_text`)."""
    assert contest.id is not None
    total = len(service.ids_of(contest))
    out: list[list[Any]] = []
    for r in await ranking(s, contest.id):
        a = r.attempt
        done = a.finished_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if a.finished_at else ""
        out.append([r.rank, shown_name(r), a.province or "", a.commune or "", a.correct, total, r.seconds, done,
                    a.cert_code or ""])
    return out
