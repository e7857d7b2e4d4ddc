"""Learning through the web chat: modules, lessons, a quiz answered with typed numbers, progress, certificate."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import aiohttp
from sqlmodel import col, delete, select

from bot.db.engine import Database
from bot.db.models import Group, Identity, Membership, User
from bot.db.models_learning import ActivityDay, LearningEvent, LessonProgress, QuizAnswer, QuizAttempt, QuizPoll
from bot.settings import Settings
from content.catalog import default_catalog
from handlers.learning import quiz_service as lq
from handlers.learning.quiz_service import daily_question_ids, is_right
from handlers.learning.service import streak
from tests.harness import WebUser, running_bot

CATALOG = default_catalog()


async def web_onboard(u: WebUser) -> None:
    await u.says("/start")
    await u.press("Đồng ý")
    await u.press("Bỏ qua")
    await u.press("Bỏ qua")
    assert "Xong rồi" in u.all_text()


async def user_id_of(db: Database, channel: str, external_id: str) -> int:
    async with db.session() as s:
        ident = (
            await s.exec(select(Identity).where(Identity.channel == channel, Identity.external_id == external_id))
        ).one()
        return ident.user_id


async def seed_passed(db: Database, user_id: int, module_ids: list[str]) -> None:
    """Pretend the learner already read and passed these modules."""
    now = dt.datetime.now(dt.UTC)
    async with db.session() as s:
        for mid in module_ids:
            mod = CATALOG.module(mid)
            assert mod is not None
            s.add(LessonProgress(user_id=user_id, module_id=mid, position=len(mod.lessons) - 1,
                                 seen=len(mod.lessons), completed_at=now))
            ids = json.dumps([q.id for q in mod.quiz])
            s.add(QuizAttempt(user_id=user_id, module_id=mid, question_ids=ids, index=len(mod.quiz),
                              correct=len(mod.quiz), total=len(mod.quiz), score=100, finished_at=now))


def correct_number(text: str) -> str:
    """The 1-based number of a right option for the question shown in `text` ("Câu 2/7. …")."""
    question = text.split(". ", 1)[1]
    q = next(q for m in CATALOG.modules for q in m.quiz if q.question == question)
    return str(q.correct[0] + 1)


def wrong_number(text: str) -> str:
    question = text.split(". ", 1)[1]
    q = next(q for m in CATALOG.modules for q in m.quiz if q.question == question)
    return str(next(i for i in range(len(q.options)) if i not in q.correct) + 1)


async def read_module(u: WebUser, title_part: str) -> None:
    await u.says("/hoc")
    await u.press(title_part)
    while "Tiếp ➡️" in u.buttons():
        await u.press("Tiếp")
    assert "Làm bài kiểm tra" in " ".join(u.buttons())


async def test_web_learning_path_with_numbered_answers(settings: Settings) -> None:
    m1 = CATALOG.modules[0]
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        u = WebUser(bot.url, http)
        await web_onboard(u)
        await u.says("/hoc")
        assert len(u.buttons()) == len(CATALOG.modules) and "Chọn một mô-đun" in u.last_reply()
        await u.press(m1.title)
        assert f"Bài 1/{len(m1.lessons)}" in u.last_reply() and "Tiếp ➡️" in u.buttons()
        await u.press("Tiếp")
        assert f"Bài 2/{len(m1.lessons)}" in u.last_reply() and "⬅️ Quay lại" in u.buttons()
        await u.says("/hoc")  # leave and come back: the module reopens where we left it
        assert "▶️ 1." in u.buttons()[0]
        await u.press(m1.title)
        assert f"Bài 2/{len(m1.lessons)}" in u.last_reply()
        while "Tiếp ➡️" in u.buttons():
            await u.press("Tiếp")
        await u.press("Làm bài kiểm tra")
        assert f"{len(m1.quiz)} câu hỏi" in u.all_text() and u.last_reply().startswith("Câu 1/")
        await u.says(wrong_number(u.last_reply()))  # typed number, wrong on purpose
        assert "Chưa đúng" in u.all_text() and "💡" in u.all_text() and u.last_reply().startswith("Câu 2/")
        while u.last_reply().startswith("Câu "):
            await u.says(correct_number(u.last_reply()))
        n = len(m1.quiz)
        assert f"{n - 1}/{n} câu đúng" in u.all_text() and "đạt" in u.all_text()
        assert any("Học tiếp" in b for b in u.buttons())
        await u.says("/tiendo")
        assert f"điểm cao nhất {(n - 1) * 100 // n}%" in u.all_text()
        assert "Mô-đun đã xong: 1/" in u.all_text() and "1 ngày liên tiếp" in u.all_text()


async def test_web_certificate_asks_name_and_verifies(settings: Settings) -> None:
    last = CATALOG.modules[-1]
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        u = WebUser(bot.url, http)
        await web_onboard(u)
        uid = await user_id_of(bot.runtime.services.db, "web", u.session)
        await seed_passed(bot.runtime.services.db, uid, [m.id for m in CATALOG.modules[:-1]])
        await u.says("/chungnhan")
        assert "chưa đủ điều kiện" in u.all_text() and last.title in u.all_text()
        await read_module(u, last.title)
        await u.press("Làm bài kiểm tra")
        while u.last_reply().startswith("Câu "):
            await u.says(correct_number(u.last_reply()))
        assert "Bạn muốn ghi tên gì" in u.all_text()
        await u.says("Trần Văn Đức")
        assert "Tên in trên chứng nhận: “Trần Văn Đức”" in u.all_text()
        assert not any(r.get("document") for r in u.replies)
        await u.press("Đúng rồi")
        docs = [r["document"] for r in u.replies if r.get("document")]
        assert docs and docs[0]["filename"].endswith(".pdf")
        code = docs[0]["filename"].removeprefix("chung-nhan-").removesuffix(".pdf")
        async with http.get(f"{bot.url}/verify/{code}") as resp:
            page = await resp.text()
            assert resp.status == 200 and "hợp lệ" in page and "Trần Văn Đức" in page
        async with http.get(f"{bot.url}/verify/HB-AAAA-BBBB") as resp:
            assert resp.status == 404 and "Không tìm thấy" in await resp.text()
        await u.says("/chungnhan")  # again, any time: same code
        assert code in u.all_text() and any(r.get("document") for r in u.replies)
        await u.says("/tiendo")
        assert f"Mô-đun đã xong: {len(CATALOG.modules)}/{len(CATALOG.modules)}" in u.all_text() and code in u.all_text()


async def test_stale_buttons_and_daily_quiz(settings: Settings) -> None:
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        u = WebUser(bot.url, http)
        await web_onboard(u)
        await u.says("/kiemtra")
        assert "Câu hỏi hôm nay" in u.buttons()[0]
        await u.press("Câu hỏi hôm nay")
        first = u.replies[-1]["choices"][0]["data"]
        await u.says(correct_number(u.last_reply()))
        assert "Đúng rồi" in u.all_text() and u.last_reply().startswith("Câu 2/5")
        await u._post({"choice": first})  # the same question again
        assert "đã trả lời câu này" in u.all_text() and u.last_reply().startswith("Câu 2/5")
        await u.says(correct_number(u.last_reply()))  # question 2 is still open and counts
        assert "Đúng rồi" in u.all_text() and u.last_reply().startswith("Câu 3/5")
        third = u.replies[-1]["choices"][0]["data"]
        await u.says("/kiemtra")
        await u.press(CATALOG.modules[1].title)  # another quiz: the daily one is abandoned
        await u._post({"choice": first})  # …and the new quiz's question comes again after the note
        assert "bài kiểm tra cũ" in u.all_text() and u.last_reply().startswith("Câu 1/")
        await u._post({"choice": third})  # the question the daily quiz asked last, from before it was abandoned
        assert "bài kiểm tra cũ" in u.all_text() and u.last_reply().startswith("Câu 1/")
        await u._post({"choice": "qa|999999|0|0"})
        assert "bài kiểm tra cũ" in u.all_text() and u.last_reply().startswith("Câu 1/")


async def test_quiz_answers_mark_each_local_day_once(settings: Settings) -> None:
    """The streak's days from quiz answers: one row per local day, also for a quiz that goes on past midnight."""
    now = [dt.datetime(2026, 10, 5, 16, 20, tzinfo=dt.UTC)]  # 23:20 in Việt Nam
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        bot.runtime.services.clock = lambda: now[0]
        u = WebUser(bot.url, http)
        await web_onboard(u)
        await u.says("/kiemtra")
        await u.press(CATALOG.modules[0].title)
        for _ in range(2):
            await u.says(wrong_number(u.last_reply()))
            now[0] += dt.timedelta(minutes=30)  # the second answer is after midnight
        await u.says(correct_number(u.last_reply()))
        assert u.last_reply().startswith("Câu 4/")
        uid = await user_id_of(bot.runtime.services.db, "web", u.session)
        async with bot.runtime.services.db.session() as s:
            days = (await s.exec(select(ActivityDay.day).where(ActivityDay.user_id == uid))).all()
        assert sorted(days) == [dt.date(2026, 10, 5), dt.date(2026, 10, 6)]


async def test_lessons_mark_each_local_day_once_and_score_a_lesson_once(settings: Settings) -> None:
    """Reading lessons: a point for each lesson read for the first time (not for going back), the streak's day
    once per local day, also when reading goes on past midnight; the module is finished by its last lesson."""
    now = [dt.datetime(2026, 10, 5, 16, 20, tzinfo=dt.UTC)]  # 23:20 in Việt Nam
    mod = CATALOG.modules[0]
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        bot.runtime.services.clock = lambda: now[0]
        u = WebUser(bot.url, http)
        await web_onboard(u)
        await u.says("/hoc")
        await u.press(mod.title)  # lesson 1
        await u.press("Tiếp")  # lesson 2
        await u.press("Quay lại")  # lesson 1 again: no point
        now[0] += dt.timedelta(minutes=50)  # after midnight
        while "Tiếp ➡️" in u.buttons():
            await u.press("Tiếp")
        uid = await user_id_of(bot.runtime.services.db, "web", u.session)
        async with bot.runtime.services.db.session() as s:
            days = (await s.exec(select(ActivityDay.day).where(ActivityDay.user_id == uid))).all()
            points = (await s.exec(select(LearningEvent).where(LearningEvent.user_id == uid))).all()
            prog = (await s.exec(select(LessonProgress).where(LessonProgress.user_id == uid))).one()
    assert sorted(days) == [dt.date(2026, 10, 5), dt.date(2026, 10, 6)]
    assert len(points) == len(mod.lessons)
    assert (prog.seen, prog.position, prog.completed_at) == (len(mod.lessons), len(mod.lessons) - 1, now[0])


async def test_an_answer_is_scored_once_when_two_workers_take_it(settings: Settings) -> None:
    """The same awaited question answered twice at once (a double tap reaching two workers): the second finds it
    answered and writes nothing."""
    db = Database(settings.database_url)
    from bot.db.migrate import upgrade

    await upgrade(db)
    now = dt.datetime.now(dt.UTC)
    try:
        async with db.session() as s:
            user = User(display_name="x")
            s.add(user)
            await s.flush()
            assert user.id is not None
            attempt = await lq.start_attempt(s, CATALOG, user.id, "m1", now, settings.tz)
        right = CATALOG.questions("m1")[0].correct[0]
        async with db.session() as s:
            first = await lq.score_answer(s, CATALOG, attempt, (right,), now, settings.tz)
            again = await lq.score_answer(s, CATALOG, attempt, (right,), now, settings.tz)
        assert first is not None and first.right and first.attempt.index == 1 and again is None
        async with db.session() as s:
            stored = await lq.load_attempt(s, attempt.id)
            answers = (await s.exec(select(QuizAnswer))).all()
            points = (await s.exec(select(LearningEvent))).all()
        assert stored is not None and (stored.index, stored.correct) == (1, 1)
        assert len(answers) == 1 and len(points) == 1
    finally:
        await db.dispose()


async def test_a_whole_quiz_scored_writes_each_answer_and_a_point_per_right_one(settings: Settings) -> None:
    """A wrong answer, then right ones to the end: one answer row each, a point for each right one only, and the
    last answer closes the attempt with its score (on PostgreSQL all of an answer's writes are one statement)."""
    db = Database(settings.database_url)
    from bot.db.migrate import upgrade

    await upgrade(db)
    now = dt.datetime.now(dt.UTC)
    questions = CATALOG.questions("m1")
    try:
        async with db.session() as s:
            user = User(display_name="x")
            s.add(user)
            await s.flush()
            attempt = await lq.start_attempt(s, CATALOG, user.id or 0, "m1", now, settings.tz)
        for i, q in enumerate(questions):
            wrong = next(k for k in range(len(q.options)) if k not in q.correct)
            picked = (wrong if i == 0 else q.correct[0],)
            async with db.session() as s:
                scored = await lq.score_answer(s, CATALOG, attempt, picked, now, settings.tz)
            assert scored is not None and scored.right == (i > 0)
            attempt = scored.attempt
        n = len(questions)
        assert attempt.finished and (attempt.correct, attempt.score) == (n - 1, (n - 1) * 100 // n)
        async with db.session() as s:
            stored = await lq.load_attempt(s, attempt.id)
            answers = (await s.exec(select(QuizAnswer).order_by(col(QuizAnswer.index)))).all()
            points = (await s.exec(select(LearningEvent))).all()
        assert stored is not None and stored.finished and (stored.correct, stored.score) == (n - 1, attempt.score)
        assert [(a.index, a.question_id, a.correct) for a in answers] == [
            (i, q.id, i > 0) for i, q in enumerate(questions)
        ]
        assert len(points) == n - 1
        assert {(p.user_id, p.kind, p.module_id) for p in points} == {(user.id, "answer", "m1")}
    finally:
        await db.dispose()


async def test_sent_polls_are_written_together_and_found_before(settings: Settings) -> None:
    """Quiz polls sent at once are written in one unit of work; until then a vote finds them in memory; a poll
    of an attempt deleted meanwhile (/xoadulieu) is dropped, one the database refuses does not hold up the others;
    `flush` waits for the write (shutdown)."""
    db = Database(settings.database_url)
    from bot.db.migrate import upgrade

    await upgrade(db)
    now = dt.datetime.now(dt.UTC)
    try:
        async with db.session() as s:
            users = [User(display_name=name) for name in ("a", "b")]
            s.add_all(users)
            await s.flush()
            kept, gone = [await lq.start_attempt(s, CATALOG, u.id or 0, "m1", now, settings.tz) for u in users]
        async with db.session() as s:
            await s.exec(delete(QuizAttempt).where(col(QuizAttempt.id) == gone.id))  # type: ignore[call-overload]
        sent = lq.SentPolls(db)
        sent.add(kept.user_id, f"{kept.id}:0", "p-kept")
        sent.add(gone.user_id, f"{gone.id}:0", "p-gone")
        sent.add(kept.user_id, "c:1:0", "p-odd")  # not a learning quiz's reference
        async with db.session() as s:
            target = await lq.poll_target(s, sent, "p-kept")
        assert target is not None and target.attempt is not None and target.attempt.id == kept.id
        await sent.flush()
        assert sent.get("p-kept") is None
        async with db.session() as s:
            polls = (await s.exec(select(QuizPoll))).all()
            target = await lq.poll_target(s, sent, "p-kept")
        assert [(p.poll_id, p.attempt_id, p.index, p.user_id) for p in polls] == [("p-kept", kept.id, 0, kept.user_id)]
        assert target is not None and target.attempt is not None and target.attempt.id == kept.id
        sent.add(kept.user_id, f"{kept.id}:0", "p-kept")  # refused by the database (already there) …
        sent.add(kept.user_id, f"{kept.id}:1", "p-next")  # … and not holding up the poll sent with it
        await sent.flush()
        async with db.session() as s:
            assert len((await s.exec(select(QuizPoll).where(QuizPoll.poll_id == "p-next"))).all()) == 1
        assert sent.get("p-kept") is None and sent.get("p-next") is None
    finally:
        await db.dispose()


async def test_leaderboard_hides_names_and_forget_keeps_counts(settings: Settings) -> None:
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        db = bot.runtime.services.db
        a, b = WebUser(bot.url, http), WebUser(bot.url, http)
        for u in (a, b):
            await web_onboard(u)
        await a.says("/bangxephang")
        assert "chưa tham gia nhóm" in a.last_reply()
        ua, ub = await user_id_of(db, "web", a.session), await user_id_of(db, "web", b.session)
        async with db.session() as s:
            g = Group(name="xa-hai-hau", title="Xã Hải Hậu")
            s.add(g)
            await s.flush()
            assert g.id is not None
            s.add_all([Membership(user_id=ua, group_id=g.id), Membership(user_id=ub, group_id=g.id)])
            for uid, name, show in ((ua, "Lan", True), (ub, "Bí Mật", False)):
                user = await s.get(User, uid)
                assert user is not None
                user.display_name, user.show_name = name, show
        await read_module(a, CATALOG.modules[0].title)
        await b.says("/hoc")
        await b.press(CATALOG.modules[0].title)
        await b.says("/bangxephang")
        board = b.last_reply()
        n = len(CATALOG.modules[0].lessons)
        assert f"1. Lan — {n} điểm" in board and "2. Một học viên (bạn) — 1 điểm" in board
        assert "Bí Mật" not in board
        await b.says("/xoadulieu")
        await b.press("Có, xoá")
        async with db.session() as s:
            assert not (await s.exec(select(LessonProgress).where(LessonProgress.user_id == ub))).all()
            events = (await s.exec(select(LearningEvent))).all()
        assert len([e for e in events if e.user_id is None]) == 1  # the anonymous count stays
        await a.says("/bangxephang")
        assert "2." not in a.last_reply()


async def test_streak_scoring_and_daily_choice(settings: Settings) -> None:
    today = dt.date(2026, 10, 5)
    db = Database(settings.database_url)
    from bot.db.migrate import upgrade

    await upgrade(db)
    try:
        async with db.session() as s:
            user = User(display_name="x")
            s.add(user)
            await s.flush()
            assert user.id is not None
            for back in (1, 2, 3, 5):
                s.add(ActivityDay(user_id=user.id, day=today - dt.timedelta(days=back)))
        async with db.session() as s:
            assert await streak(s, user.id, today) == 3  # today still open: yesterday's run counts
            assert await streak(s, user.id, today + dt.timedelta(days=1)) == 0
            s.add(ActivityDay(user_id=user.id, day=today))
        async with db.session() as s:
            assert await streak(s, user.id, today) == 4
    finally:
        await db.dispose()
    a, b = daily_question_ids(CATALOG, today), daily_question_ids(CATALOG, today)
    assert a == b and len(set(a)) == 5 and a != daily_question_ids(CATALOG, today + dt.timedelta(days=1))
    q: Any = CATALOG.modules[0].quiz[0].model_copy(update={"correct": [0, 2]})
    assert is_right(q, (2,)) and is_right(q, (0, 2)) and not is_right(q, (1,)) and not is_right(q, ())


async def test_typing_tiep_on_the_last_lesson_goes_on_to_the_quiz(settings: Settings) -> None:
    """A learner who types “tiep” lesson after lesson is not sent to the FAQ at the last one: it opens the quiz."""
    m1 = CATALOG.modules[0]
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        u = WebUser(bot.url, http)
        await web_onboard(u)
        await u.says("/hoc")
        await u.press(m1.title)
        for i, typed in zip(range(2, len(m1.lessons) + 1), ("tiep", "tiếp tục", "bài tiếp theo", "tiep"), strict=False):
            await u.says(typed)
            assert f"Bài {i}/{len(m1.lessons)}" in u.last_reply()
        await u.says("Tiếp")
        assert f"{len(m1.quiz)} câu hỏi" in u.all_text() and u.last_reply().startswith("Câu 1/")
        assert "Nguồn:" not in u.all_text()


async def test_help_names_every_command_a_citizen_can_use(settings: Settings) -> None:
    """/trogiup lists what a citizen may type: the certificate, the leaderboard and linking too."""
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        u = WebUser(bot.url, http)
        await web_onboard(u)
        await u.says("/trogiup")
        shown = u.last_reply()
        for command in ("/hoc", "/kiemtra", "/hoi", "/tuanle", "/tiendo", "/chungnhan", "/bangxephang", "/mohinh",
                        "/thi", "/caidat", "/huy", "/dangky", "/lienket", "/xoadulieu"):  # fmt: skip
            assert command in shown, command
