"""/caidat, /huy and /dangky: where I live, reminders, leaderboard name, unsubscribe."""

from __future__ import annotations

from bot.core import texts
from bot.core.context import Ctx
from bot.core.dispatcher import menu_reply
from bot.core.messages import Choice, Inbound, Reply
from bot.core.payloads import Setting, Unsubscribe
from bot.core.router import Router
from handlers.learning.certificate import suggest_name
from handlers.onboarding.start import ask_province

router = Router("settings")
ASK_BOARD_NAME = "board_name"
BOARD_NAME_MAX = 40


def settings_reply(ctx: Ctx) -> Reply:
    u = ctx.user
    place = ", ".join(p for p in (u.commune, u.province) if p) or texts.NOT_SET
    text = texts.SETTINGS.format(
        place=place,
        subs=texts.ON if u.subscribed else texts.OFF,
        remind=texts.OFF if u.reminders_paused or not u.subscribed else texts.ON,
    )
    choices = [
        Choice(texts.SET_PLACE, Setting("place").pack()),
        Choice(texts.SET_RESUME, Setting("resume").pack())
        if u.reminders_paused
        else Choice(texts.SET_PAUSE, Setting("pause").pack()),
        Choice(texts.SET_HIDE_NAME, Setting("hide").pack())
        if u.show_name
        else Choice(texts.SET_SHOW_NAME, Setting("show").pack()),
    ]
    return Reply(text, choices=choices)


@router.command("caidat", "settings", consent=True)
@router.menu(texts.MENU_SETTINGS, consent=True)
async def show_settings(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The user's settings with one button per change."""
    return [settings_reply(ctx)]


@router.action(Setting.action, consent=True)
async def change_setting(ctx: Ctx, msg: Inbound) -> list[Reply]:
    what = (Setting.read(msg.choice) or Setting()).what
    if what == "place":
        return ask_province(ctx)
    notes = {
        "pause": (texts.PAUSED, "reminders_paused", True),
        "resume": (texts.RESUMED, "reminders_paused", False),
        "show": (texts.NAME_SHOWN, "show_name", True),
        "hide": (texts.NAME_HIDDEN, "show_name", False),
    }
    if what not in notes:
        return [menu_reply(texts.STALE_BUTTON)]
    if what == "show" and not ctx.user.display_name.strip():  # the web chat and Zalo give no name: ask for one
        ctx.set_state(ASK_BOARD_NAME)
        return [Reply(texts.ASK_BOARD_NAME)]
    note, attr, value = notes[what]
    setattr(ctx.user, attr, value)
    return [Reply(note), settings_reply(ctx)]


@router.state(ASK_BOARD_NAME)
async def board_name_typed(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The name to show on the leaderboard, for a learner whose channel gave none."""
    name = suggest_name(msg.text)
    if not 2 <= len(name) <= BOARD_NAME_MAX:
        return [Reply(texts.BOARD_NAME_BAD)]
    ctx.set_state(None)
    ctx.user.display_name, ctx.user.show_name = name, True
    return [Reply(texts.NAME_SHOWN), settings_reply(ctx)]


@router.command("huy", "stop", "unsubscribe")
async def unsubscribe_ask(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Ask before stopping every broadcast and reminder."""
    return [
        Reply(
            texts.UNSUB_CONFIRM,
            choices=[Choice(texts.UNSUB_YES, Unsubscribe("y").pack()), Choice(texts.UNSUB_NO, Unsubscribe("n").pack())],
            columns=2,
        )
    ]


@router.action(Unsubscribe.action)
async def unsubscribe(ctx: Ctx, msg: Inbound) -> list[Reply]:
    if not (Unsubscribe.read(msg.choice) or Unsubscribe()).yes:
        return [menu_reply(texts.CANCELLED)]
    ctx.user.subscribed = False
    return [menu_reply(texts.UNSUBSCRIBED)]


@router.command("dangky", "subscribe")
async def resubscribe(ctx: Ctx, msg: Inbound) -> list[Reply]:
    ctx.user.subscribed = True
    ctx.user.reminders_paused = False
    return [menu_reply(texts.RESUBSCRIBED)]
