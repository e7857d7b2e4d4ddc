"""Help, the main menu, and platform events such as a user blocking the bot."""

from __future__ import annotations

from bot.core import texts
from bot.core.context import Ctx
from bot.core.dispatcher import MENU_ACTION, menu_reply
from bot.core.messages import Inbound, Kind, Reply
from bot.core.router import Router

router = Router("system")


@router.command("trogiup", "help", "huongdan", aside=True)
async def help_(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The list of commands in plain Vietnamese (an aside: a quiz question waiting comes again after it)."""
    return [menu_reply(texts.HELP)]


@router.command("menu")
@router.action(MENU_ACTION)
async def main_menu(ctx: Ctx, msg: Inbound) -> list[Reply]:
    return [menu_reply()]


@router.on(Kind.BLOCKED)
async def blocked(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The user blocked or unfollowed the bot: stop sending to this account."""
    ctx.identity.active = False
    return []


@router.on(Kind.UNBLOCKED)
async def unblocked(ctx: Ctx, msg: Inbound) -> list[Reply]:
    ctx.identity.active = True
    return []
