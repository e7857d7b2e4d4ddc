"""What a platform cannot show becomes numbered text, in one place (bot/channels/base.py OutputChannel): buttons,
quiz answers, a file, a photo, sent to the real Zalo adapters against the fake Zalo servers and to the terminal
chat. “2” then picks the second choice, as a tap on the second button would. The web page shows them all."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest

from bot.channels.console import ConsoleChannel
from bot.core import texts
from bot.core.messages import Choice, Document, QuizSpec, Reply
from bot.core.payloads import button_of
from tests.conftest import make_settings
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.zalo_bot_server import FakeZaloBot
from tests.fakes.zalo_oa_server import FakeZaloOA
from tests.harness import WebUser, running_bot
from tests.test_learning import CATALOG
from tests.test_webchat_push import onboard as web_onboard
from tests.test_webchat_push import wait_for_inbox
from tests.test_zalo_features_e2e import APP_SECRET, OA_SECRET, onboard, onboard_oa, says, wait_until, zalo_settings
from tests.test_zalo_oa_e2e import inbox

M1, M2 = CATALOG.modules[0], CATALOG.modules[1]
TEXT = "Tuần này học mô-đun nào?"
PHOTO = "https://example.org/lop-hoc.jpg"
PDF = Document("chung-nhan-AB12.pdf", b"%PDF-1.4 test", TEXT)


@pytest.fixture
async def zbot() -> AsyncIterator[FakeZaloBot]:
    async with FakeZaloBot(idle_timeout=0.2) as server:
        yield server


@pytest.fixture
async def oa() -> AsyncIterator[FakeZaloOA]:
    async with FakeZaloOA(secret_key=APP_SECRET, oa_secret=OA_SECRET) as server:
        yield server


def opens(module_id: str) -> str:
    _label, data = button_of(f"module:{module_id}")
    assert data is not None
    return data


def modules(n: int = 2) -> list[Choice]:
    """n choices: the first opens module 1, the second module 2, any more open module 1 again."""
    picks = [M1, M2] + [M1] * (n - 2)
    return [Choice(f"{m.title} ({i})", opens(m.id)) for i, m in enumerate(picks, 1)]


def quiz(choices: list[Choice]) -> Reply:
    spec = QuizSpec(TEXT, tuple(c.label for c in choices), (0,), attempt_ref="0:0")
    return Reply(TEXT, choices=choices, quiz=spec)


REPLIES: dict[str, Callable[[list[Choice]], Reply]] = {
    "buttons": lambda ch: Reply(TEXT, choices=ch),
    "quiz": quiz,
    "document": lambda ch: Reply(TEXT, choices=ch, document=PDF),
    "photo": lambda ch: Reply(TEXT, choices=ch, image=PHOTO),
}


def as_numbers(choices: list[Choice]) -> str:
    return "\n".join(f"{i}. {c.label}" for i, c in enumerate(choices, 1)) + "\n\n" + texts.numbered_footer(len(choices))


def opened_module_2(reply: str) -> bool:
    return f"Bài 1/{len(M2.lessons)}: {M2.lessons[0].title}" in reply


@pytest.mark.parametrize("kind", list(REPLIES))
async def test_zalo_bot_numbers_what_it_cannot_show(db_url: str, zbot: FakeZaloBot, kind: str) -> None:
    """Zalo Bot has no buttons, quiz polls or files: one numbered message (a photo keeps its picture, the
    numbers in its caption), the file as a note with the web address, and “2” opens module 2."""
    choices = modules()
    async with running_bot(zalo_settings(db_url, zbot)) as bot:
        lan = zbot.user("z-lan", "Lan")
        await onboard(lan)
        await bot.runtime.channels["zalo"].send("z-lan", REPLIES[kind](choices))
        shown = await lan.wait_reply(timeout=5)
        assert shown.startswith(TEXT) and shown.count(TEXT) == 1 and as_numbers(choices) in shown
        if kind == "document":
            note = texts.NO_FILES.format(channel="Zalo", filename=PDF.filename, url=bot.runtime.settings.web_base_url)
            assert f"{TEXT}\n\n{note}\n\n1. " in shown  # the note, then the choices
        if kind == "photo":
            assert zbot.calls_to("sendPhoto")[-1].params["photo"] == PHOTO
        (lesson,) = await says(lan, "2")
        assert opened_module_2(lesson)


async def test_zalo_oa_links_the_photo_notes_the_file_and_numbers_many_choices(
    db_url: str, zbot: FakeZaloBot, oa: FakeZaloOA
) -> None:
    """The OA shows text and at most 5 buttons: a photo becomes a link, a file a note, 6 choices a numbered
    list that “2” answers; 2 choices stay buttons."""
    async with running_bot(zalo_settings(db_url, zbot, oa)) as bot:
        oa.webhook_url = bot.url + "/zalo/oa/webhook"
        hoa = oa.user("oa-hoa", "Hoa", following=False)
        await onboard_oa(hoa)
        channel = bot.runtime.channels["zalo_oa"]
        seen = len(hoa.inbox)

        await channel.send("oa-hoa", Reply(TEXT, choices=modules(2), image=PHOTO))
        shown = (await inbox(hoa, seen + 1))[-1]
        assert shown == f"{TEXT}\n\n{texts.IMAGE_LINK.format(url=PHOTO)}"
        assert [title for title, _ in hoa.buttons()] == [c.label for c in modules(2)]

        many = modules(6)
        await channel.send("oa-hoa", Reply(TEXT, choices=many, document=PDF))
        shown = (await inbox(hoa, seen + 2))[-1]
        note = texts.NO_FILES.format(channel="Zalo", filename=PDF.filename, url=bot.runtime.settings.web_base_url)
        assert shown == f"{TEXT}\n\n{note}\n\n{as_numbers(many)}"
        assert hoa.buttons() == []
        await hoa.send("2")
        assert opened_module_2((await inbox(hoa, seen + 3))[-1])


async def test_terminal_chat_prints_quiz_file_and_photo_as_text(db_url: str) -> None:
    """`hocbot chat` has nothing but text: the quiz's answers numbered, the file a note, the photo a link."""
    out = io.StringIO()
    choices = modules()
    async with running_bot(make_settings(db_url)) as bot:
        console = ConsoleChannel(bot.runtime.dispatcher, out=out)
        for kind in ("quiz", "document", "photo"):
            await console.deliver("local", REPLIES[kind](choices))
    printed = out.getvalue().split("🤖 ")[1:]
    assert all(as_numbers(choices) in p for p in printed)
    assert PDF.filename in printed[1] and bot.runtime.settings.web_base_url in printed[1]
    assert texts.IMAGE_LINK.format(url=PHOTO) in printed[2]



async def test_a_push_during_a_reply_keeps_its_numbers(db_url: str, zbot: FakeZaloBot) -> None:
    """A reminder with numbered choices is pushed while Lan's long question is being handled (the LLM takes
    its time rewriting it). The reminder waits for that reply, so it is the last list she sees, and her “2”
    opens its second module: the reply's unit of work can no longer overwrite what the reminder offered
    (it did on PostgreSQL, where the push wrote its choices in the middle of that unit of work)."""
    story = ("hôm qua đi chợ gặp bà hàng xóm bà ấy kể chuyện nhà bà ấy con cháu đi làm xa cả năm mới về "
             "một lần nên tôi cũng lo lắng nhiều thứ lắm, rồi nghe nói có cái gì đó mới")
    async with FakeOpenAI() as llm:
        settings = zalo_settings(db_url, zbot, openai_api_key=llm.api_key, openai_base_url=llm.base_url)
        async with running_bot(settings) as bot:
            lan = zbot.user("z-lan", "Lan")
            await onboard(lan)
            await says(lan, "hoc ai")  # the module list: her “2” means its second module for now
            llm.hang()
            await lan.send(story)

            async def asked() -> bool:  # her question is being handled: the LLM was asked to rewrite it
                return bool(llm.requests)

            await wait_until(asked)
            reminder = Reply(TEXT, choices=modules())
            push = asyncio.create_task(bot.runtime.channels["zalo"].send("z-lan", reminder))
            answer, shown = await lan.wait_reply(timeout=5), await lan.wait_reply(timeout=5)
            await push
            assert TEXT not in answer and shown.startswith(TEXT) and as_numbers(modules()) in shown
            (lesson,) = await says(lan, "2")
            assert opened_module_2(lesson)


async def test_web_chat_shows_buttons_quiz_file_and_photo_as_they_are(db_url: str) -> None:
    """The web page shows everything a reply carries, so nothing is turned into text there: a pushed message
    keeps its buttons, its file and its photo link, and tapping the second button opens module 2."""
    async with running_bot(make_settings(db_url)) as bot, aiohttp.ClientSession() as http:
        lan = WebUser(bot.url, http)
        await web_onboard(lan)
        choices = modules()
        for kind in ("quiz", "document", "photo"):
            await bot.runtime.channels["web"].send(lan.session, REPLIES[kind](choices))
        got = await wait_for_inbox(lan, n=3)
        quiz_item, doc_item, photo_item = got["messages"]
        assert all(m["text"] == TEXT for m in got["messages"])  # no numbered list, no note: the page has them
        assert all([c["label"] for c in m["choices"]] == [c.label for c in choices] for m in got["messages"])
        assert doc_item["document"]["filename"] == PDF.filename and photo_item["image"] == PHOTO
        await lan._post({"choice": quiz_item["choices"][1]["data"]})
        assert opened_module_2(lan.all_text())
