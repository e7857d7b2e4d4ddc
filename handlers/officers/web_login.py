"""/web and /dangnhap: an officer gets a one-time link to the web dashboard (10 minutes, single use)."""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.messages import Inbound, Reply
from bot.core.router import Router
from bot.db.models_officers import Officer
from handlers.officers.chat import officer_or_refuse
from handlers.officers.login import LINK_TTL, create_login_link

router = Router("web_login")

LINK = (
    "🔐 Đường link vào bảng điều khiển (dùng một lần, hết hạn sau {minutes} phút):\n{url}\n\n"
    "Mở trên máy tính hoặc điện thoại rồi bấm “Vào bảng điều khiển”. Đừng chuyển link này cho ai khác."
)


@router.command("web", "dangnhap")
async def web_link(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Officers only: a fresh login link; citizens get the polite “for officers only” reply."""
    officer = await officer_or_refuse(ctx, "dashboard.link")
    channel, external_id = ctx.channel, ctx.identity.external_id
    row = await ctx.session.get(Officer, officer.officer_id) if officer.officer_id is not None else None
    if row is not None and row.channel and row.external_id and (channel, external_id) not in ctx.settings.admin_keys:
        channel, external_id = row.channel, row.external_id  # the account the dashboard resolves again
    url = await create_login_link(ctx.session, ctx.settings, channel, external_id,
                                  created_by=officer.actor, officer_id=officer.officer_id, now=ctx.now())  # fmt: skip
    return [Reply(LINK.format(minutes=int(LINK_TTL.total_seconds() // 60), url=url))]
