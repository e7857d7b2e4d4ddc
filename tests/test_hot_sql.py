"""Hot statements (bot/db/hot.py): inside a SQLite write transaction they run on the sqlite3 connection, and on
PostgreSQL on the asyncpg connection, without SQLAlchemy's execution, and give what SQLAlchemy gives (same rows,
same types, same errors, same transaction)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import get_history

from bot.core.outbound import pending_json
from bot.core.payloads import AnswerQuiz
from bot.db import hot, repo
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.models import utcnow
from bot.db.models_learning import QuizAttempt
from content.catalog import default_catalog
from handlers.learning import quiz_service as lq
from handlers.learning import service as learning


async def _learner(db: Database) -> tuple[int, int]:
    """A user with an open quiz attempt; their ids."""
    async with db.session() as s:
        user, _ = await repo.load_or_create(s, "telegram", "7", "7", "Lan")
        attempt = QuizAttempt(user_id=user.id, module_id="m1", question_ids=json.dumps(["q1", "q2"]), total=2)
        s.add(attempt)
        await s.flush()
        assert user.id is not None and attempt.id is not None
        return user.id, attempt.id


def _statements(db: Database) -> list[str]:
    """Every statement SQLAlchemy executes from now on."""
    seen: list[str] = []

    @event.listens_for(db.engine.sync_engine, "before_cursor_execute")
    def _seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    return seen


async def test_inside_a_write_transaction_hot_statements_skip_sqlalchemy_and_read_the_same(db_url: str) -> None:
    db = Database(db_url)
    try:
        await upgrade(db)
        user_id, attempt_id = await _learner(db)
        seen = _statements(db)
        now = utcnow()
        async with db.session() as s:
            conn = await s.connection()
            assert await repo.record_inbound(s, "telegram", "100", "7", "callback")  # the first write
            await learning.add_point(s, user_id, "lesson", "m1", now)
            hot_row = (await hot.run(conn, lq._LOAD, {"attempt_id": attempt_id})).first()
            orm_row = (await conn.execute(lq._LOAD.stmt, {"attempt_id": attempt_id})).first()
        assert hot_row is not None and orm_row is not None
        assert tuple(hot_row) == tuple(orm_row)
        attempt = lq._attempt(hot_row)
        assert attempt.id == attempt_id and attempt.ids == ("q1", "q2") and attempt.abandoned is False
        hot_sql = [x for x in seen if "learning_events" in x or "inbound_events" in x]
        assert hot_sql == []  # ran on the sqlite3 / asyncpg connection, not through SQLAlchemy's execution
        assert sum("quiz_attempts" in x for x in seen) == 1  # the ORM read of _LOAD above is the only one
        async with db.session() as s:  # written in that unit of work, with an aware datetime read back in UTC
            conn = await s.connection()
            rows = (await conn.exec_driver_sql("SELECT count(*) FROM learning_events")).scalar()
            assert rows == 1
            assert not await repo.record_inbound(s, "telegram", "100", "7", "callback")  # the event is known
    finally:
        await db.dispose()


async def test_hot_rows_carry_sqlalchemys_types(db_url: str) -> None:
    db = Database(db_url)
    try:
        await upgrade(db)
        user_id, _ = await _learner(db)
        when = dt.datetime(2026, 11, 30, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
        async with db.session() as s:
            assert await repo.record_inbound(s, "telegram", "101", "7", "callback")
            await learning.read_lesson(s, user_id, "m1", 0, 3, when, dt.UTC)  # a new bookmark
            conn = await s.connection()
            row = (await hot.run(conn, learning._READ_BOOKMARK, {"learner": user_id, "module": "m1"})).first()
        assert row is not None
        seen, completed_at, updated_at = row
        assert seen == 1 and completed_at is None
        assert updated_at == when and updated_at.tzinfo is not None and updated_at.utcoffset() == dt.timedelta(0)
    finally:
        await db.dispose()


async def test_a_hot_statement_fails_with_sqlalchemys_error_and_the_unit_of_work_rolls_back(db_url: str) -> None:
    db = Database(db_url)
    try:
        await upgrade(db)
        user_id, _ = await _learner(db)
        bookmark = {"learner": user_id, "module": "m1", "position": 0, "read": 1, "done_at": None, "now": utcnow()}
        with pytest.raises(IntegrityError):
            async with db.session() as s:
                conn = await s.connection()
                assert await repo.record_inbound(s, "telegram", "102", "7", "callback")
                await hot.run(conn, learning._NEW_BOOKMARK, bookmark)
                await hot.run(conn, learning._NEW_BOOKMARK, bookmark)  # the same learner and module again
        async with db.session() as s:
            assert await repo.record_inbound(s, "telegram", "102", "7", "callback")  # rolled back: not known
            conn = await s.connection()
            assert (await conn.exec_driver_sql("SELECT count(*) FROM lesson_progress")).scalar() == 0
    finally:
        await db.dispose()


async def test_the_hot_paths_connection_is_the_sessions_for_as_long_as_its_transaction(db_url: str) -> None:
    """hot.connection(s) asks SQLAlchemy once per transaction: after a commit or a rollback in the same session it
    is the new transaction's connection, and what is written through it is kept (or not) with that transaction."""
    db = Database(db_url)
    try:
        await upgrade(db)
        user_id, _ = await _learner(db)
        async with db.session() as s:
            first = await hot.connection(s)
            assert first is await s.connection() and first is await hot.connection(s)
            await learning.add_point(s, user_id, "lesson", "m1", utcnow())
            await s.rollback()  # the point is gone with its transaction
            await learning.add_point(s, user_id, "answer", "m1", utcnow())
            assert await hot.connection(s) is await s.connection()
            await s.commit()
            await learning.add_point(s, user_id, "answer", "m2", utcnow())  # committed when the unit of work ends
            assert await hot.connection(s) is await s.connection()
        async with db.session() as s:
            conn = await s.connection()
            rows = (await conn.exec_driver_sql("SELECT kind, module_id FROM learning_events ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [("answer", "m1"), ("answer", "m2")]
    finally:
        await db.dispose()


async def test_the_account_loads_without_the_orm_as_the_orm_loads_it(db_url: str) -> None:
    """load_or_create reads the account and its user as plain values and gives the session the objects the ORM
    query would have loaded: same values and types, nothing to flush, a change written by the commit, the same
    objects on a second look in that session."""
    from sqlalchemy import inspect

    db = Database(db_url)
    try:
        await upgrade(db)
        await _learner(db)
        long_ago = utcnow() - dt.timedelta(hours=1)
        async with db.session() as s:
            conn = await s.connection()
            await conn.exec_driver_sql("UPDATE users SET consent_version = 'v1', subscribed = false")
            user, _ = await repo.load_or_create(s, "telegram", "7", "7", "Lan")
            user.last_active_at = long_ago
            user.pending = '[["Tiếp", "x"]]'
        seen = _statements(db)
        async with db.session() as s:
            assert await repo.record_inbound(s, "telegram", "103", "7", "text")
            fast_user, fast_ident = await repo._account_and_user(s, "telegram", "7")
            assert not s.dirty and not s.new and inspect(fast_user).persistent and inspect(fast_ident).persistent
            assert not any("users" in x for x in seen)  # not through SQLAlchemy's execution (nor the ORM)
            assert await repo._account_and_user(s, "telegram", "7") == (fast_user, fast_ident)  # the session's own
            res = await s.exec(repo._USER_BY_ACCOUNT, params={"channel": "telegram", "external_id": "7"})
            ident, orm_user = res.one()
            assert ident is fast_ident and orm_user is fast_user
        async with db.read_session() as s:
            res = await s.exec(repo._USER_BY_ACCOUNT, params={"channel": "telegram", "external_id": "7"})
            ident, orm_user = res.one()
        for fast, orm in ((fast_user, orm_user), (fast_ident, ident)):
            mine = {k: v for k, v in vars(fast).items() if k != "_sa_instance_state"}
            theirs = {k: v for k, v in vars(orm).items() if k != "_sa_instance_state"}
            assert mine == theirs and {k: type(v) for k, v in mine.items()} == {k: type(v) for k, v in theirs.items()}
        assert fast_user.subscribed is False and fast_user.consent_version == "v1" and fast_ident.active is True
        assert fast_user.pending == '[["Tiếp", "x"]]' and fast_user.last_active_at == long_ago
        assert fast_user.last_active_at.tzinfo is not None
        async with db.session() as s:  # the user comes back after an hour: last_active_at written by the commit
            assert await repo.record_inbound(s, "telegram", "104", "7", "text")
            now = utcnow()
            user, ident = await repo.load_or_create(s, "telegram", "7", "8", "Lan", now)
            assert inspect(user).attrs.last_active_at.history.has_changes()
        async with db.read_session() as s:
            user, ident = await repo.load_or_create(s, "telegram", "7", "8", "Lan")
            assert user.last_active_at == now and ident.last_seen_at == now and ident.chat_id == "8"
    finally:
        await db.dispose()


def _hot_runs(monkeypatch: pytest.MonkeyPatch) -> list[hot.Hot]:
    """Every hot statement run from now on."""
    ran: list[hot.Hot] = []
    real = hot.run

    async def run(conn: Any, statement: hot.Hot, params: Any) -> hot.Rows:
        ran.append(statement)
        return await real(conn, statement, params)

    monkeypatch.setattr(hot, "run", run)
    return ran


async def test_an_events_record_and_its_senders_account_are_one_statement_on_postgresql(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """repo.arrival records the event and loads its sender (None for a repeat, created on first contact): on
    PostgreSQL one statement, the account handed to the session as load_or_create hands it; elsewhere two."""
    from sqlalchemy import inspect

    db = Database(db_url)
    try:
        await upgrade(db)
        await _learner(db)
        ran = _hot_runs(monkeypatch)
        seen = _statements(db)
        async with db.session() as s:
            arrived = await repo.arrival(s, "telegram", "200", "7", "text", "7", "Lan")
            assert arrived is not None
            user, ident = arrived
            assert (ident.external_id, ident.user_id, user.display_name) == ("7", user.id, "Lan")
            assert inspect(user).persistent and inspect(ident).persistent and not s.dirty and not s.new
            assert len(ran) == (1 if db.is_postgres else 2) and seen == []  # not through SQLAlchemy's execution
            assert await repo._account_and_user(s, "telegram", "7") == (user, ident)  # the session's own objects
        async with db.session() as s:
            assert await repo.arrival(s, "telegram", "200", "7", "text", "7", "Lan") is None  # a repeat
            first = await repo.arrival(s, "telegram", "201", "8", "text", "8", "Mai")  # a new user
            assert first is not None and first[1].external_id == "8" and first[0].display_name == "Mai"
        async with db.session() as s:
            again = await repo.arrival(s, "telegram", "202", "8", "text", "8", "Mai")
            assert again is not None and again[0].id == first[0].id
            assert not await repo.record_inbound(s, "telegram", "201", "8", "text")  # recorded by the arrival
    finally:
        await db.dispose()


async def test_a_quiz_answer_stores_the_next_choices_with_its_score_on_postgresql(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """score_answer given the learner and the choices the reply offers: on PostgreSQL User.pending is written by
    the answer's one statement and the loaded user holds it as stored (the dispatcher then writes nothing); on
    SQLite the dispatcher writes it. A question answered meanwhile writes no choices."""
    catalog = default_catalog()
    db = Database(db_url)
    try:
        await upgrade(db)
        async with db.session() as s:
            user, _ = await repo.load_or_create(s, "telegram", "7", "7", "Lan")
            assert user.id is not None
            attempt = await lq.start_attempt(s, catalog, user.id, "m1", utcnow(), dt.UTC)
        following = lq.next_question(catalog, attempt)
        assert following is not None and following.text.startswith("Câu 2/")
        assert following == lq.question_reply(catalog, replace(attempt, index=1))
        ran = _hot_runs(monkeypatch)
        async with db.session() as s:
            user, _ = await repo.load_or_create(s, "telegram", "7", "7", "Lan")
            ran.clear()
            scored = await lq.score_answer(s, catalog, attempt, (0,), utcnow(), dt.UTC, (user, following.choices))
            assert scored is not None and scored.attempt.index == 1
            stored = pending_json(following.choices)
            if db.is_postgres:
                assert user.pending == stored and not get_history(user, "pending").has_changes()
            ran.clear()
            await repo.set_pending(s, user, stored)  # what the dispatcher does after the reply
            assert ran == ([] if db.is_postgres else [repo._SET_PENDING])
            late = await lq.score_answer(s, catalog, attempt, (0,), utcnow(), dt.UTC, (user, []))
            assert late is None
        async with db.read_session() as s:
            user, _ = await repo.load_or_create(s, "telegram", "7", "7", "Lan")
            assert user.pending == stored
            assert [c.data for c in following.choices] == [AnswerQuiz(attempt.id, 1, k).pack()
                                                            for k in range(len(following.choices))]  # fmt: skip
    finally:
        await db.dispose()


async def test_sent_polls_are_one_statement_on_postgresql(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Quiz polls written together: on PostgreSQL one INSERT for all of them (the fields as arrays), same rows."""
    db = Database(db_url)
    try:
        await upgrade(db)
        user_id, attempt_id = await _learner(db)
        ran = _hot_runs(monkeypatch)
        async with db.session() as s:
            await lq._add_polls(s, {f"p{i}": lq.SentPoll(user_id, attempt_id, i) for i in range(3)})
            gone = lq.SentPoll(user_id, attempt_id + 1, 0)  # an attempt deleted since (/xoadulieu): not written
            await lq._add_polls(s, {"gone": gone, "p3": lq.SentPoll(user_id, attempt_id, 3)})
        assert len(ran) == (2 if db.is_postgres else 5)
        async with db.read_session() as s:
            conn = await s.connection()
            sql = 'SELECT poll_id, attempt_id, "index", user_id FROM quiz_polls ORDER BY poll_id'
            rows = (await conn.exec_driver_sql(sql)).all()
        assert [tuple(r) for r in rows] == [(f"p{i}", attempt_id, i, user_id) for i in range(4)]
    finally:
        await db.dispose()


async def test_a_unit_of_work_of_hot_statements_commits_on_asyncpg_itself_on_postgresql(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a unit of work whose writes all went through hot statements (nothing for the ORM to flush) is
    committed on its asyncpg connection, not through SQLAlchemy's awaited commit; with an ORM change, with no
    statement at all, or on SQLite, as before. Either way the rows are kept, the connection goes back to the pool
    (also when giving it back may close it), and a COMMIT that fails (the server ended the connection) fails the
    unit of work as SQLAlchemy would, with nothing kept, and the next unit of work gets a working connection."""
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.faults import database_down

    db = Database(db_url)
    try:
        await upgrade(db)
        await _learner(db)
        direct: list[bool | str] = []
        awaited: list[int] = []
        real_commit, real_awaited = hot.commit, AsyncSession.commit

        async def commit(s: Any) -> bool:
            try:
                done = await real_commit(s)
            except Exception:
                direct.append("failed")
                raise
            direct.append(done)
            return done

        async def awaited_commit(s: Any) -> None:
            awaited.append(1)
            await real_awaited(s)

        monkeypatch.setattr(hot, "commit", commit)
        monkeypatch.setattr(AsyncSession, "commit", awaited_commit)
        pool = db.engine.sync_engine.pool
        async with db.session() as s:  # the hot path: one event recorded
            assert await repo.record_inbound(s, "telegram", "300", "7", "text")
        async with db.session() as s:  # an ORM change besides
            assert await repo.record_inbound(s, "telegram", "301", "7", "text")
            user, _ = await repo.load_or_create(s, "telegram", "7", "7", "Lan")
            user.display_name = "Lan Anh"
        async with db.session() as s:  # nothing ran
            pass
        with monkeypatch.context() as m:  # giving the connection back would close it: through SQLAlchemy's greenlet
            m.setattr(pool, "checkedin", lambda: pool.size())
            async with db.session() as s:
                assert await repo.record_inbound(s, "telegram", "302", "7", "text")
        assert direct == ([True, False, False, True] if db.is_postgres else [False] * 4)
        assert len(awaited) == (2 if db.is_postgres else 4)
        assert pool.checkedout() == 0
        async with db.session() as s:
            for event in ("300", "301", "302"):
                assert not await repo.record_inbound(s, "telegram", event, "7", "text")  # all kept
            user, _ = await repo.load_or_create(s, "telegram", "7", "7", "Lan")
            assert user.display_name == "Lan Anh"
        if not db.is_postgres:
            return
        with pytest.raises(Exception) as failed:
            async with db.session() as s:
                assert await repo.record_inbound(s, "telegram", "303", "7", "text")
                conn = await s.connection()
                pid = (await conn.exec_driver_sql("SELECT pg_backend_pid()")).scalar()
                async with db.session() as other:
                    ended = await other.connection()
                    assert (await ended.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")).scalar()
        assert database_down(failed.value) and direct[-2:] == [False, "failed"]  # the other unit, then this one
        async with db.session() as s:
            assert await repo.record_inbound(s, "telegram", "303", "7", "text")  # not kept: recorded now
        assert direct[-1] is True and pool.checkedout() == 0
    finally:
        await db.dispose()
