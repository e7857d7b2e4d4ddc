"""/xoadulieu: delete my personal data after a confirmation."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlmodel import col, select

from bot.core import texts
from bot.core.context import Ctx
from bot.core.dispatcher import menu_reply
from bot.core.messages import Choice, Inbound, Reply
from bot.core.payloads import Forget
from bot.core.router import Router
from bot.db.models import AuditLog, Identity, InboundEvent, Membership
from bot.db.models_dashboard import LoginToken
from bot.db.models_faq import forget_answers
from bot.db.models_officers import OPEN_STATES, Delivery
from bot.db.models_zalo import LinkCode
from bot.db.repo import FORGOTTEN_ACTOR
from handlers.contests.service import forget as forget_contests
from handlers.initiatives.service import forget as forget_initiatives
from handlers.learning.service import forget as forget_learning
from handlers.learning_models.service import forget as forget_learning_models
from handlers.week.campaigns import forget as forget_campaigns

FEATURE_FORGETS = (forget_learning, forget_learning_models, forget_campaigns, forget_answers, forget_contests,
                   forget_initiatives)

router = Router("privacy")


@router.command("xoadulieu", "deletedata", "delete")
async def delete_ask(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Say what is deleted and what anonymous numbers stay, then ask to confirm."""
    return [
        Reply(
            texts.DELETE_CONFIRM,
            choices=[
                Choice(texts.DELETE_YES, Forget("y").pack()),
                Choice(texts.UNSUB_NO, Forget("n").pack()),
            ],
            columns=2,
        )
    ]


@router.action(Forget.action)
async def delete_confirmed(ctx: Ctx, msg: Inbound) -> list[Reply]:
    if not (Forget.read(msg.choice) or Forget()).yes:
        return [menu_reply(texts.CANCELLED)]
    await forget_user(ctx)
    return [Reply(texts.DELETED, remove_keyboard=True)]


async def forget_user(ctx: Ctx) -> None:
    """Remove personal data everywhere; keep an anonymous row (province only) for statistics.

    Every feature deletes its own rows (FEATURE_FORGETS; channels' own rows: Services.forget_hooks); here go the
    platform accounts and everything that could lead back to them: event ids, delivery addresses, link codes,
    login links and the account names in the audit log."""
    s, uid = ctx.session, ctx.user_id
    for hook in (*FEATURE_FORGETS, *ctx.services.forget_hooks):
        await hook(s, uid)
    accounts = (await s.exec(select(Identity).where(Identity.user_id == uid))).all()
    for ident in accounts:
        await s.exec(update(InboundEvent).where(  # type: ignore[call-overload]
            col(InboundEvent.channel) == ident.channel, col(InboundEvent.user_key) == ident.external_id,
        ).values(user_key=""))  # fmt: skip
        await s.exec(delete(LoginToken).where(  # type: ignore[call-overload]
            col(LoginToken.channel) == ident.channel, col(LoginToken.external_id) == ident.external_id,
        ))  # fmt: skip
        await s.exec(update(AuditLog).where(  # type: ignore[call-overload]
            col(AuditLog.actor) == f"{ident.channel}:{ident.external_id}"
        ).values(actor=FORGOTTEN_ACTOR))  # fmt: skip
    mine = col(Delivery.user_id) == uid
    await s.exec(delete(Delivery).where(mine, col(Delivery.state).in_(OPEN_STATES)))  # type: ignore[call-overload]
    await s.exec(update(Delivery).where(mine).values(chat_id=""))  # type: ignore[call-overload]
    await s.exec(delete(LinkCode).where(col(LinkCode.user_id) == uid))  # type: ignore[call-overload]
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
    u.pending = None
    u.deleted_at = ctx.now()
