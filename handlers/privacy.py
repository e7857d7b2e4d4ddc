"""/xoadulieu: delete my personal data after a confirmation."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import col

from bot import texts
from bot.callback import pack, unpack
from bot.context import Ctx
from bot.db.models import Identity, Membership
from bot.dispatcher import menu_reply
from bot.messages import Choice, Inbound, Reply
from bot.router import Router

router = Router("privacy")


@router.command("xoadulieu", "deletedata", "delete")
async def delete_ask(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Say what is deleted and what anonymous numbers stay, then ask to confirm."""
    return [
        Reply(
            texts.DELETE_CONFIRM,
            choices=[
                Choice(texts.DELETE_YES, pack("forget", "y")),
                Choice(texts.UNSUB_NO, pack("forget", "n")),
            ],
            columns=2,
        )
    ]


@router.action("forget")
async def delete_confirmed(ctx: Ctx, msg: Inbound) -> list[Reply]:
    if unpack(msg.choice or "").arg(0) != "y":
        return [menu_reply(texts.CANCELLED)]
    await forget_user(ctx)
    return [Reply(texts.DELETED, remove_keyboard=True)]


async def forget_user(ctx: Ctx) -> None:
    """Remove personal data everywhere; keep an anonymous row (province only) for statistics."""
    s, uid = ctx.session, ctx.user_id
    for hook in ctx.services.forget_hooks:
        await hook(s, uid)
    await s.exec(delete(Membership).where(col(Membership.user_id) == uid))  # type: ignore[call-overload]
    await s.exec(delete(Identity).where(col(Identity.user_id) == uid))  # type: ignore[call-overload]
    u = ctx.user
    u.display_name = ""
    u.commune = None
    u.consent_at = None
    u.subscribed = False
    u.show_name = False
    u.state = None
    u.state_data = None
    u.deleted_at = ctx.now()
