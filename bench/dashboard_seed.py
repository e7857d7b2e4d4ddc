"""Seeds a province-sized database for bench/dashboard.py in seconds: one INSERT ... SELECT per table over a
generated series (SQLite recursive CTE, PostgreSQL generate_series), never ORM objects one by one.

    counts = await seed(db, users=100_000, deliveries=1_000_000)

Shape: 4 provinces × 10 communes of subscribers (user ids 1..N, a Telegram identity each, every tenth also on
Zalo), locality groups for each province and commune, 5 join-code groups, broadcasts of N deliveries each
(the last one still going out), learning progress, quiz attempts, answers and unanswered questions, campaigns
with their fires. A commune officer (Xã 1, Ninh Bình) is added; admins come from HOCBOT_ADMINS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.db.engine import Database

PROVINCES = ["Ninh Bình", "Nam Định", "Thái Bình", "Hà Nam"]
COMMUNES = [f"Xã {i}" for i in range(1, 11)]
CODE_GROUPS = 5
MODULES = [f"m{i}" for i in range(1, 9)]
ERRORS = ["Forbidden: bot was blocked by the user", "Bad Request: chat not found", "Timed out"]
OFFICER_CHAT = "880001"


class Sql:
    """The few expressions that differ between SQLite and PostgreSQL."""

    def __init__(self, dialect: str) -> None:
        self.pg = dialect == "postgresql"
        self.true, self.false = ("TRUE", "FALSE") if self.pg else ("1", "0")

    def series(self, n: int) -> tuple[str, str]:
        """(prefix, FROM clause) producing a column x = 1..n."""
        if self.pg:
            return "", f"generate_series(1, {n}) AS s(x)"
        return f"WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < {n}) ", "s"

    def ago(self, minutes: str) -> str:
        """A timestamp `minutes` (an SQL expression) before now, as the app stores it."""
        if self.pg:
            return f"(now() - ({minutes}) * interval '1 minute')"
        return f"(strftime('%Y-%m-%d %H:%M:%S', 'now', '-' || ({minutes}) || ' minutes') || '.000000')"

    def days_ago(self, days: str) -> str:
        return f"(current_date - ({days}))" if self.pg else f"date('now', '-' || ({days}) || ' days')"

    def flag(self, cond: str) -> str:
        return f"({cond})" if self.pg else f"(CASE WHEN {cond} THEN 1 ELSE 0 END)"


def pick(expr: str, values: Sequence[str]) -> str:
    """CASE expr % len(values) WHEN 0 THEN values[0] ... (values are trusted literals)."""
    whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"(CASE ({expr}) % {len(values)} {whens} END)"


async def fill(
    conn: AsyncConnection, sql: Sql, table: str, n: int, columns: dict[str, str], where: str = ""
) -> int:
    """INSERT INTO table (columns) SELECT expressions FROM a series x = 1..n [WHERE ...]; rows inserted."""
    prefix, source = sql.series(n)
    names = ", ".join(f'"{c}"' for c in columns)
    exprs = ", ".join(columns.values())
    stmt = f"{prefix}INSERT INTO {table} ({names}) SELECT {exprs} FROM {source}"
    if where:
        stmt += f" WHERE {where}"
    res: Any = await conn.execute(text(stmt))
    if not sql.pg:  # the DB-API rowcount is -1 for an INSERT that starts with WITH
        return int((await conn.execute(text("SELECT changes()"))).scalar_one())
    return int(res.rowcount or 0)


async def _people(conn: AsyncConnection, sql: Sql, n: int) -> dict[str, int]:
    t, f = sql.true, sql.false
    minutes = f"(({n} - x) * {180 * 1440 // max(n, 1)} + 1)"  # created over the last 180 days, oldest first
    out = {"users": await fill(conn, sql, "users", n, {
        "display_name": "'Người dùng ' || CAST(x AS TEXT)", "created_at": sql.ago(minutes),
        "last_active_at": sql.ago("(x % 20000) + 1"),
        "consent_at": f"CASE WHEN x % 33 = 0 THEN NULL ELSE {sql.ago(minutes)} END", "consent_version": "'1'",
        "province": pick("x", PROVINCES), "commune": pick("x / 4", COMMUNES),
        "subscribed": sql.flag("x % 20 <> 0"), "reminders_paused": f, "show_name": f,
    })}  # fmt: skip
    ident = {"user_id": "x", "channel": "'telegram'", "external_id": "CAST(1000000 + x AS TEXT)",
             "chat_id": "CAST(1000000 + x AS TEXT)", "active": sql.flag("x % 29 <> 0"), "reachable_free": t,
             "created_at": sql.ago("1"), "last_seen_at": sql.ago("1")}  # fmt: skip
    out["identities"] = await fill(conn, sql, "identities", n, ident)
    zalo = {**ident, "channel": "'zalo'", "external_id": "'z' || CAST(x AS TEXT)", "chat_id": "'z' || CAST(x AS TEXT)"}
    out["identities"] += await fill(conn, sql, "identities", n, zalo, "x % 10 = 0")
    return out


async def _groups(conn: AsyncConnection, sql: Sql, n: int) -> dict[str, int]:
    rows: list[tuple[str, str, str, str, str | None, str | None]]
    rows = [(p, p, "locality", p, None, None) for p in PROVINCES]
    rows += [(f"{c}, {p}", f"{c}, {p}", "locality", p, c, None) for p in PROVINCES for c in COMMUNES]
    rows += [(f"CLB {i}", f"Câu lạc bộ {i}", "code", PROVINCES[0], None, f"clb{i}") for i in range(1, CODE_GROUPS + 1)]
    await conn.execute(
        text("INSERT INTO groups (name, title, kind, province, commune, join_code, created_at) "
             f"VALUES (:n, :t, :k, :p, :c, :j, {sql.ago('1')})"),
        [{"n": a, "t": b, "k": c, "p": d, "c": e, "j": f} for a, b, c, d, e, f in rows],
    )  # fmt: skip
    first = int((await conn.execute(text("SELECT min(id) FROM groups WHERE kind = 'code'"))).scalar_one())
    members = await fill(conn, sql, "memberships", n, {
        "user_id": "x", "group_id": f"{first} + (x / 20) % {CODE_GROUPS}", "joined_at": sql.ago("x % 5000 + 1"),
    }, "x % 20 = 0")  # fmt: skip
    return {"groups": len(rows), "memberships": members}


async def _broadcasts(conn: AsyncConnection, sql: Sql, n: int, deliveries: int) -> dict[str, int]:
    big = max(1, -(-deliveries // n))
    total = 0
    for b in range(1, big + 1):
        last = b == big
        status = "sending" if last else "done"
        done_at = "NULL" if last else sql.ago(str((big - b) * 1440 * 3 - 60))
        res = await conn.execute(text(
            "INSERT INTO broadcasts (created_by, text, group_ids, kind, status, recipients, created_at, finished_at,"
            f" report_sent) VALUES ('telegram:{OFFICER_CHAT}', :text, '\"all\"', 'broadcast', '{status}', :n,"
            f" {sql.ago(str((big - b) * 1440 * 3))}, {done_at}, {sql.false if last else sql.true})"
            " RETURNING id"
        ), {"text": f"Thông báo số {b}: Tuần lễ học tập suốt đời.", "n": min(n, deliveries - total)})  # fmt: skip
        bid = int(res.scalar_one())
        size = min(n, deliveries - total)
        state = ("CASE WHEN x % 10 < 3 THEN 'queued' WHEN x % 50 = 0 THEN 'failed' WHEN x % 29 = 0 THEN 'blocked'"
                 " ELSE 'sent' END" if last else
                 "CASE WHEN x % 50 = 0 THEN 'failed' WHEN x % 29 = 0 THEN 'blocked' ELSE 'sent' END")  # fmt: skip
        total += await fill(conn, sql, "deliveries", size, {
            "broadcast_id": str(bid), "user_id": "x", "channel": "'telegram'", "chat_id": "CAST(1000000 + x AS TEXT)",
            "state": state, "attempts": "1 + x % 3",
            "last_error": f"CASE WHEN x % 50 = 0 THEN {pick('x / 50', ERRORS)} ELSE NULL END",
            "next_attempt_at": sql.ago("1"),
            "sent_at": f"CASE WHEN x % 50 = 0 OR x % 29 = 0 THEN NULL ELSE {sql.ago('x % 600 + 1')} END",
        })  # fmt: skip
    for b in range(20):  # small ones to fill the list: drafts and cancelled announcements
        await conn.execute(text(
            "INSERT INTO broadcasts (created_by, text, group_ids, kind, status, recipients, created_at, report_sent)"
            f" VALUES ('cli', 'Nháp {b}', '[1]', 'broadcast', '{'draft' if b % 2 else 'cancelled'}', 0,"
            f" {sql.ago(str(b * 300 + 5))}, {sql.false})"
        ))  # fmt: skip
    return {"broadcasts": big + 20, "deliveries": total}


async def _learning(conn: AsyncConnection, sql: Sql, n: int) -> dict[str, int]:
    f = sql.false
    active = max(1, n * 3 // 10)
    days = await fill(conn, sql, "learning_days", 3 * active, {
        "user_id": f"(x - 1) % {active} + 1",
        "day": sql.days_ago(f"((x - 1) / {active}) * 3 + ((x - 1) % {active}) % 3"),
    })  # fmt: skip
    progress = 0
    for k, module in enumerate(MODULES):
        progress += await fill(conn, sql, "lesson_progress", n, {
            "user_id": "x", "module_id": f"'{module}'", "position": "x % 3", "seen": "1 + x % 3",
            "completed_at": f"CASE WHEN x % 3 = 0 THEN {sql.ago('x % 80000 + 1')} ELSE NULL END",
            "updated_at": sql.ago("x % 80000 + 1"),
        }, f"x % {k + 2} = 0")  # fmt: skip
    quizzes = await fill(conn, sql, "quiz_attempts", n, {
        "user_id": "x", "kind": "'module'", "module_id": pick("x / 3", MODULES), "question_ids": "'[]'",
        "index": "5", "correct": "x % 6", "total": "5", "score": "(x * 37) % 101",
        "started_at": sql.ago("x % 80000 + 2"),
        "finished_at": f"CASE WHEN x % 5 = 0 THEN NULL ELSE {sql.ago('x % 80000 + 1')} END", "abandoned": f,
    }, "x % 3 = 0")  # fmt: skip
    answers = await fill(conn, sql, "answer_log", n // 2, {
        "user_id": f"(x * 7) % {n} + 1", "channel": "'telegram'", "question": "'AI là gì? (' || CAST(x AS TEXT) || ')'",
        "decision": "CASE WHEN x % 7 = 0 THEN 'refuse' ELSE 'answer' END", "mode": "'retrieval'",
        "refused": sql.flag("x % 7 = 0"), "faq_id": "'faq-ai'", "created_at": sql.ago("x % 80000 + 1"),
    })  # fmt: skip
    unanswered = await fill(conn, sql, "unanswered_questions", 2000, {
        "question": "'Câu hỏi chưa trả lời số ' || CAST(x AS TEXT)",
        "folded": "'cau hoi chua tra loi so ' || CAST(x AS TEXT)",
        "count": "1 + x % 17", "reason": "'unknown'", "first_seen": sql.ago("x * 30 + 60"),
        "last_seen": sql.ago("x * 3 + 1"), "status": "CASE WHEN x % 4 = 0 THEN 'answered' ELSE 'open' END",
    })  # fmt: skip
    return {"learning_days": days, "lesson_progress": progress, "quiz_attempts": quizzes, "answer_log": answers,
            "unanswered_questions": unanswered}  # fmt: skip


async def _campaigns(conn: AsyncConnection, sql: Sql) -> dict[str, int]:
    year = dt.date.today().year + 1  # Week-relative campaigns for next year's Week: nothing fires during the bench
    campaigns = await fill(conn, sql, "campaigns", 40, {
        "name": "'Nhắc học ' || CAST(x AS TEXT)", "groups": "'all'", "text": "'Mời bà con học bài mới.'",
        "button": "'module:m1'", "button_label": "'Học ngay'", "kind": "'week'", "offset_days": "x % 7",
        "hour": "8", "minute": "0", "year": str(year), "paused": sql.flag("x % 5 = 0"), "created_by": "'cli'",
        "created_at": sql.ago("x * 60 + 1"),
    })  # fmt: skip
    first = int((await conn.execute(text("SELECT min(id) FROM campaigns"))).scalar_one())
    fires = await fill(conn, sql, "campaign_fires", 4000, {
        "campaign_id": f"{first} + (x - 1) % 40", "fire_time": sql.ago("x * 60"), "done_at": sql.ago("x * 60 - 1"),
        "status": "CASE WHEN x % 9 = 0 THEN 'skipped' ELSE 'sent' END", "reason": "''", "queued": "x % 1000",
        "skipped": "x % 13", "skip_reasons": "'{}'",
    })  # fmt: skip
    await conn.execute(text(
        f"INSERT INTO officers (channel, external_id, role, name, created_at) VALUES ('telegram', '{OFFICER_CHAT}',"
        f" 'officer', 'Cán bộ xã 1', {sql.ago('1')})"
    ))  # fmt: skip
    oid = int((await conn.execute(text("SELECT max(id) FROM officers"))).scalar_one())
    await conn.execute(text(f"INSERT INTO officer_scopes (officer_id, kind, value) VALUES ({oid}, 'commune', "
                            f"'{COMMUNES[0]}|{PROVINCES[0]}')"))  # fmt: skip
    return {"campaigns": campaigns, "campaign_fires": fires}


async def seed(db: Database, *, users: int, deliveries: int) -> dict[str, int]:
    """Fill a freshly migrated database; returns the row counts per table."""
    sql = Sql(db.engine.dialect.name)
    async with db.engine.begin() as conn:
        if (await conn.execute(text("SELECT count(*) FROM users"))).scalar_one():
            raise RuntimeError("seed() needs an empty database")
        counts = await _people(conn, sql, users)
        counts |= await _groups(conn, sql, users)
        counts |= await _broadcasts(conn, sql, users, deliveries)
        counts |= await _learning(conn, sql, users)
        counts |= await _campaigns(conn, sql)
    if sql.pg:  # what autovacuum does soon after a bulk load (statistics, and the visibility map that
        # index-only scans need); VACUUM runs outside a transaction
        async with db.engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.execute(text("VACUUM ANALYZE"))
    return counts
