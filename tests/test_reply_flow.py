"""A Reply is a value: made once (by a handler or the outbox) and sent as it is to every recipient on every
channel. An LLM answer is written by the dispatcher, not by a channel: drafts on Telegram only, then one final
message; what the answer leaves in the log is recorded once, before the final message, so a send that fails
loses nothing. The pacer is woken after the officer's confirmation commits, never before."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlmodel import select

from bench.broadcast import add_group, seed_subscribers
from bot.core.messages import Choice, Reply
from bot.db.models_faq import AnswerLog
from handlers.answers.service import AnswerService
from tests.conftest import make_settings
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.fakes.zalo_bot_server import FakeZaloBot
from tests.harness import WebUser, running_bot
from tests.test_answers_telegram import LLM_WEEK, WEEK_Q
from tests.test_broadcast_telegram import _datas, _labels
from tests.test_zalo_features_e2e import onboard, says, zalo_settings

ANSWER = f"{LLM_WEEK} Ai cũng có thể tham gia [1]. Hãy hỏi Hội Khuyến học ở xã bạn [1]."
ADMIN = 5560001


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake
        fake.assert_clean()


@pytest.fixture
async def llm() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
async def zbot() -> AsyncIterator[FakeZaloBot]:
    async with FakeZaloBot(idle_timeout=0.2) as server:
        yield server


def with_telegram(tg: FakeTelegram, **extra: Any) -> dict[str, Any]:
    return {"telegram_bot_token": DEFAULT_TOKEN, "telegram_api_base_url": tg.base_url, **extra}


def with_llm(llm: FakeOpenAI) -> dict[str, Any]:
    return {"openai_api_key": llm.api_key, "openai_base_url": llm.base_url}


async def answer_logs(bot: Any) -> list[AnswerLog]:
    async with bot.runtime.services.db.session() as s:
        return list((await s.exec(select(AnswerLog).order_by(AnswerLog.id))).all())  # type: ignore[arg-type]


def test_a_reply_cannot_be_changed_once_made() -> None:
    """What a handler returns is what every recipient gets: no field can be set afterwards, the choices and the
    keyboard cannot grow, and a changed copy leaves the original as it was."""
    reply = Reply("Chọn một mục", choices=[Choice("1", "a")], keyboard=[["Học", "Hỏi"]])
    with pytest.raises(dataclasses.FrozenInstanceError):
        reply.text = "khác"  # type: ignore[misc]
    assert reply.choices == (Choice("1", "a"),) and reply.keyboard == (("Học", "Hỏi"),)
    with pytest.raises(AttributeError):
        reply.choices.append(Choice("2", "b"))  # type: ignore[attr-defined]
    copy_ = dataclasses.replace(reply, text="khác")
    assert (reply.text, copy_.text, copy_.choices) == ("Chọn một mục", "khác", reply.choices)


async def test_one_reply_sent_to_many_people_reaches_each_alike_and_stays_as_made(
    db_url: str, tg: FakeTelegram, zbot: FakeZaloBot
) -> None:
    """One Reply (as the pacer holds for a broadcast) sent to two people on Zalo, where its buttons become
    numbers, and to two on Telegram: each sees the same message, and the Reply is unchanged afterwards."""
    reply = Reply("Tuần lễ học tập bắt đầu ngày 1/10.", choices=[Choice("📚 Học AI", "menu|learn"),
                                                                   Choice("💬 Hỏi đáp", "menu|ask")])
    before = copy.deepcopy(reply)
    async with running_bot(zalo_settings(db_url, zbot, **with_telegram(tg))) as bot:
        zalo, telegram = bot.runtime.channels["zalo"], bot.runtime.channels["telegram"]
        lan, hoa = zbot.user("z-lan", "Lan"), zbot.user("z-hoa", "Hoa")
        await onboard(lan)
        await onboard(hoa)
        an, binh = tg.user(5560101, first_name="An"), tg.user(5560102, first_name="Bình")
        for person in (lan, hoa):
            await zalo.send(person.user_id, reply)
        for person in (an, binh):
            await telegram.send(str(person.id), reply)
        seen = [await lan.wait_reply(timeout=5), await hoa.wait_reply(timeout=5)]
        assert seen[0] == seen[1] and seen[0].count("1. 📚 Học AI") == 1 and seen[0].count("2. 💬 Hỏi đáp") == 1
        await an.wait_for(1)
        await binh.wait_for(1)
        assert an.last_text() == binh.last_text() == reply.text
        assert an.buttons() == binh.buttons() == ["📚 Học AI", "💬 Hỏi đáp"]
    assert reply == before


async def test_a_photo_reply_goes_by_link_or_as_the_file_with_its_caption_and_buttons(
    db_url: str, tg: FakeTelegram, tmp_path: Any
) -> None:
    """A reply with a picture on Telegram: a link is sent as the link, a file of the content as its bytes; the text
    is the caption (escaped) and the buttons ride on the photo; a text too long for a caption follows it."""
    picture = tmp_path / "tuan-le.jpg"
    picture.write_bytes(b"\xff\xd8 jpeg")
    buttons = [Choice("📚 Học AI", "menu|learn")]
    async with running_bot(make_settings(db_url, **with_telegram(tg))) as bot:
        telegram = bot.runtime.channels["telegram"]
        an = tg.user(5560111, first_name="An")
        await telegram.send(str(an.id), Reply("Ảnh <1>", image="https://khuyenhoc.vn/a.jpg", choices=buttons))
        await telegram.send(str(an.id), Reply("Ảnh 2", image=str(picture)))
        await telegram.send(str(an.id), Reply("dài " * 400, image="https://khuyenhoc.vn/b.jpg", choices=buttons))
        await an.wait_for(4)
    link, upload, long_photo = (c.params for c in tg.calls("sendPhoto", status=200))
    assert link["photo"] == "https://khuyenhoc.vn/a.jpg" and link["caption"] == "Ảnh &lt;1&gt;"
    assert link["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "menu|learn"
    assert upload["photo"].data == b"\xff\xd8 jpeg" and upload["photo"].filename == "tuan-le.jpg"
    assert "caption" not in long_photo and "reply_markup" not in long_photo
    follow = tg.calls("sendMessage", status=200)[-1].params
    assert follow["text"].startswith("dài") and follow["reply_markup"]["inline_keyboard"]


async def test_a_final_message_that_cannot_be_sent_still_logs_the_answer_once(
    db_url: str, tg: FakeTelegram, llm: FakeOpenAI
) -> None:
    """The model answers while the user watches the drafts; Telegram then refuses the final message. The
    answer log still says the model answered, once; the next question is answered and logged as usual."""
    llm.reply(ANSWER, chunk_words=2)
    llm.slow(0.2, between_chunks=0.08)
    async with running_bot(make_settings(db_url, **with_telegram(tg), **with_llm(llm))) as bot:
        lan = tg.user(5560201, first_name="Lan")
        tg.fail_next("sendMessage", 400, description="Bad Request: message can't be sent")
        await lan.send(WEEK_Q)
        await tg.wait_until(lambda: bool(tg.calls("sendMessage", status=400)), timeout=12)
        assert tg.drafts(lan.id), "the answer was shown growing before the final message"
        assert tg.sent_to(lan.id) == 0
        await asyncio.sleep(0.3)  # nothing is written late
        logs = await answer_logs(bot)
        assert [(r.mode, r.faq_id) for r in logs] == [("llm", "week_what")]

        await lan.send(WEEK_Q)
        msgs = await lan.wait_for(1, timeout=12)
        assert msgs[-1]["text"].startswith(ANSWER)
        assert [r.mode for r in await answer_logs(bot)] == ["llm", "llm"]


async def test_a_broken_answer_stream_still_gives_the_curated_answer(
    db_url: str, tg: FakeTelegram, llm: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug while the model's answer is being written (here: finishing it fails) costs the user nothing: the
    curated answer goes out with its sources and 👍 / 👎, once, and the log says it was the curated one."""
    llm.reply(ANSWER, chunk_words=2)

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("a bug in finishing the answer")

    monkeypatch.setattr(AnswerService, "finish", broken)
    async with running_bot(make_settings(db_url, **with_telegram(tg), **with_llm(llm))) as bot:
        lan = tg.user(5560301, first_name="Lan")
        await lan.send(WEEK_Q)
        msgs = await lan.wait_for(1, timeout=12)
        assert "ngày 1 đến ngày 7 tháng 10" in msgs[-1]["text"] and "Nguồn: Tuần lễ" in msgs[-1]["text"]
        assert lan.buttons() == ["👍 Hữu ích", "👎 Chưa đúng ý"] and tg.sent_to(lan.id) == 1
        assert [r.mode for r in await answer_logs(bot)] == ["retrieval"]


async def test_zalo_and_the_web_chat_get_the_model_answer_whole_without_drafts(
    db_url: str, zbot: FakeZaloBot, llm: FakeOpenAI
) -> None:
    """Channels without drafts get the finished answer in one message, sources included, logged as the
    model's; nothing is previewed there."""
    llm.reply(ANSWER, chunk_words=2)
    async with running_bot(zalo_settings(db_url, zbot, **with_llm(llm))) as bot, aiohttp.ClientSession() as http:
        lan = zbot.user("z-lan", "Lan")
        (shown,) = await says(lan, WEEK_Q)
        assert shown.startswith(ANSWER) and "Nguồn: Tuần lễ" in shown
        web = WebUser(bot.url, http)
        await web.says(WEEK_Q)
        assert web.last_reply().startswith(ANSWER) and "Nguồn: Tuần lễ" in web.last_reply()
        assert len(web.replies) == 1
        assert [r.mode for r in await answer_logs(bot)] == ["llm", "llm"]


async def test_a_confirmed_broadcast_goes_out_at_once_not_at_the_next_poll(db_url: str, tg: FakeTelegram) -> None:
    """The officer's “✅ Gửi” wakes the pacer after the deliveries are committed: with the pacer polling only
    every 30 s, the subscribers still get the announcement right away (woken before the commit, the pacer
    found nothing on PostgreSQL and slept until its next poll)."""
    settings = make_settings(db_url, **with_telegram(tg, hocbot_admins=f"telegram:{ADMIN}", hocbot_broadcast_rate=25))
    async with running_bot(settings) as bot:
        db = bot.runtime.services.db
        pacer = bot.runtime.pacer
        pacer_idle_before = pacer.idle_poll  # the longest idle wait the lanes may be in
        nb = await add_group(db, "Ninh Bình", "locality", province="Ninh Bình")
        people = await seed_subscribers(db, 3, first_chat=760_000)
        for chat in people:
            tg.set_fate(chat, None)
        admin = tg.user(ADMIN, "Cán bộ")
        await admin.send("/thongbao")
        await admin.wait_for(lambda m: "Soạn thông báo" in (m[-1]["text"] or "") if m else False)
        await admin.send("Họp chi hội tối thứ Sáu.")
        await admin.wait_for(lambda m: f"bcg|{nb}" in _datas(m[-1:]))
        await admin.press(f"bcg|{nb}")
        await admin.wait_for(lambda m: "✅ Ninh Bình" in _labels(m[-1:]))
        await admin.press("bcg|done")
        await admin.wait_for(lambda m: any("bcok|" in d for d in _datas(m[-1:])))
        pacer.poll = pacer.idle_poll = 30.0
        await asyncio.sleep(pacer_idle_before + 0.3)  # every lane is now asleep for up to 30 s unless woken
        confirm = next(d for d in _datas(admin.messages()[-1:]) if d.startswith("bcok|"))
        await admin.press(confirm)
        await tg.wait_until(lambda: all(tg.sent_to(c) == 1 for c in people), timeout=8)
