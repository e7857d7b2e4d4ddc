"""Placeholders for features not built yet: they answer “sắp có” instead of “I don't understand”."""

from __future__ import annotations

from bot import texts
from bot.context import Ctx
from bot.dispatcher import menu_reply
from bot.messages import Inbound, Reply
from bot.router import Router, menu_key

router = Router("soon")

COMMANDS = ("hoc", "learn", "kiemtra", "quiz", "hoi", "ask", "tuanle", "week", "tiendo", "progress")
MENUS = (texts.MENU_LEARN, texts.MENU_QUIZ, texts.MENU_ASK, texts.MENU_WEEK, texts.MENU_PROGRESS)


@router.command(*COMMANDS)
@router.menu(*MENUS)
async def coming_soon(ctx: Ctx, msg: Inbound) -> list[Reply]:
    return [menu_reply(texts.COMING_SOON)]


def fill_missing(target: Router) -> None:
    """Register placeholders only where no real handler exists yet."""
    for name in COMMANDS:
        target.commands.setdefault(name, router.commands[name])
    for label in MENUS:
        target.menus.setdefault(menu_key(label), router.menus[menu_key(label)])
