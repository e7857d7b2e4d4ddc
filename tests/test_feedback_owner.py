"""Feedback buttons under an answer work only for the person who asked, consent or not (web chat)."""

from __future__ import annotations

import aiohttp

from handlers.answers.chat import NOTED, THANKS_DOWN
from tests.conftest import make_settings
from tests.harness import WebUser, running_bot


def button(user: WebUser, label_part: str) -> str:
    for reply in user.replies:
        for choice in reply["choices"]:
            if label_part in choice["label"]:
                return str(choice["data"])
    raise AssertionError(f"no {label_part!r} in {user.replies}")


async def test_a_stranger_cannot_press_another_askers_buttons(db_url: str) -> None:
    async with running_bot(make_settings(db_url)) as bot, aiohttp.ClientSession() as http:
        asker, stranger = WebUser(bot.url, http), WebUser(bot.url, http)
        await asker.says("Tuần lễ học tập suốt đời là gì?")  # no consent: the log row has no user id
        down = button(asker, "Chưa đúng")
        await stranger.says("/trogiup")
        for forged in (down, "|".join(down.split("|")[:3]), "fb|1|d"):
            await stranger._post({"choice": forged})
            assert stranger.last_reply() != THANKS_DOWN, forged
        await stranger._post({"choice": "faqx|1"})
        assert stranger.last_reply() != NOTED
        await asker._post({"choice": down})
        assert asker.last_reply() == THANKS_DOWN
