"""Officers in chat: /thongbao (write → choose groups → preview → confirm) and /thongke (numbers).

Nothing is queued before the officer presses "Gửi". Photos: chat platforms give us no public URL for an
uploaded photo, so an officer attaches a photo by pasting an image link (https://…) on the first line.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from bot.core.callback import parse_int
from bot.core.context import Ctx, UserFacingError
from bot.core.dispatcher import menu_reply
from bot.core.messages import Choice, Inbound, Reply
from bot.core.payloads import CancelBroadcast, PickGroup, SendBroadcast
from bot.core.router import Router
from bot.db import repo
from bot.db.models_officers import Broadcast, BroadcastStatus
from handlers.officers import audience, outbox
from handlers.officers.scope import OfficerInfo, check_targets, find_officer, groups_in_scope

router = Router("officer")

WRITE = "bc_text"
PICK = "bc_groups"
MAX_GROUP_BUTTONS = 30

NOT_OFFICER = (
    "Lệnh này chỉ dành cho cán bộ Hội Khuyến học. Nếu bạn là cán bộ, hãy nhờ quản trị viên cấp quyền."
)
ASK_TEXT = (
    "📢 Soạn thông báo\nHãy gõ nội dung thông báo gửi tới bà con.\n"
    "Muốn kèm ảnh: dán đường link ảnh (https://…) ở dòng đầu, nội dung ở các dòng sau.\n"
    "Muốn thôi, bấm “❌ Hủy”."
)
NO_GROUPS = "Bạn chưa phụ trách nhóm nào. Hãy nhờ quản trị viên thêm nhóm cho bạn."
ASK_GROUPS = "Chọn các nhóm nhận thông báo (bấm để chọn ✅ hoặc bỏ chọn), rồi bấm “Xong”."
PICK_NONE = "Bạn chưa chọn nhóm nào. Hãy bấm vào tên nhóm để chọn ✅."
PREVIEW_HEAD = "👀 Xem trước — bà con sẽ nhận đúng như tin dưới đây:"
CONFIRM = "Gửi tới {n} người trong: {groups}.\nBạn có muốn gửi ngay không?"
NOBODY = audience.NOBODY
QUEUED = "✅ Đã xếp hàng gửi thông báo #{id} tới {n} người. Khi gửi xong, tôi sẽ báo kết quả cho bạn."
CANCELLED = "Đã hủy. Không có tin nào được gửi."
ALREADY = "Thông báo này đã được xử lý rồi."
TYPE_HINT = "Hãy bấm chọn nhóm rồi bấm “Xong”, hoặc bấm “❌ Hủy” để thôi."
ALL_LABEL = "🌐 Tất cả người đăng ký"
DONE_LABEL = "Xong"
SEND_LABEL = "✅ Gửi"
CANCEL_LABEL = "❌ Hủy"
STATS_HEAD = "📊 Số người nhận tin theo nhóm:"
STATS_RECENT = "📨 Thông báo gần đây:"
STATS_NONE = "Chưa có thông báo nào."


async def officer_or_refuse(ctx: Ctx, action: str) -> OfficerInfo:
    info = await find_officer(ctx.session, ctx.settings, ctx.channel, ctx.identity.external_id)
    if info is None:
        actor = f"{ctx.channel}:{ctx.identity.external_id}"
        await repo.audit(ctx.session, actor, action, "not an officer", allowed=False)
        raise UserFacingError(NOT_OFFICER)
    return info


@router.command("thongbao", "announce")
async def announce(ctx: Ctx, msg: Inbound) -> list[Reply]:
    await officer_or_refuse(ctx, "broadcast.start")
    ctx.set_state(WRITE)
    return [Reply(ASK_TEXT, choices=[Choice(CANCEL_LABEL, CancelBroadcast("-").pack())])]


def split_photo(text: str) -> tuple[str | None, str]:
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    if first.startswith(("https://", "http://")) and " " not in first and rest.strip():
        return first, rest.strip()
    return None, text.strip()


@router.state(WRITE)
async def text_written(ctx: Ctx, msg: Inbound) -> list[Reply]:
    officer = await officer_or_refuse(ctx, "broadcast.text")
    photo, text = split_photo(msg.text)
    groups = await groups_in_scope(ctx.session, officer)
    if not groups and not officer.is_admin:
        ctx.set_state(None)
        return [menu_reply(NO_GROUPS)]
    ctx.set_state(PICK, {"text": text, "photo": photo, "sel": []})
    return [await picker(ctx, officer, [])]


async def picker(ctx: Ctx, officer: OfficerInfo, selected: list[Any]) -> Reply:
    groups = (await groups_in_scope(ctx.session, officer))[:MAX_GROUP_BUTTONS]
    choices = []
    if officer.is_admin:
        choices.append(Choice(("✅ " if "all" in selected else "⬜ ") + ALL_LABEL, PickGroup("all").pack()))
    for g in groups:
        mark = "✅ " if g.id in selected else "⬜ "
        choices.append(Choice(mark + (g.title or g.name)[:50], PickGroup(str(g.id)).pack()))
    choices.append(Choice(DONE_LABEL, PickGroup("done").pack()))
    choices.append(Choice(CANCEL_LABEL, CancelBroadcast("-").pack()))
    return Reply(ASK_GROUPS, choices=choices, columns=1)


@router.state(PICK)
async def typed_while_picking(ctx: Ctx, msg: Inbound) -> list[Reply]:
    officer = await officer_or_refuse(ctx, "broadcast.pick")
    return [Reply(TYPE_HINT), await picker(ctx, officer, ctx.state_data.get("sel", []))]


@router.action(PickGroup.action)
async def group_pressed(ctx: Ctx, msg: Inbound) -> list[Reply]:
    officer = await officer_or_refuse(ctx, "broadcast.pick")
    data = ctx.state_data
    if ctx.user.state != PICK or "text" not in data:
        return [menu_reply(ALREADY)]
    arg = (PickGroup.read(msg.choice) or PickGroup("")).choice
    sel: list[Any] = list(data.get("sel", []))
    if arg == "done":
        return await preview(ctx, officer, data, sel)
    key: Any = "all" if arg == "all" else parse_int(arg, -1)
    if key == "all" and not officer.is_admin:
        await check_targets(ctx.session, officer, "all", "broadcast.pick")
    if key != "all":
        await check_targets(ctx.session, officer, [key], "broadcast.pick")
    sel = [s for s in sel if s != key] if key in sel else [*sel, key]
    ctx.set_state(PICK, {**data, "sel": sel})
    return [await picker(ctx, officer, sel)]


async def preview(ctx: Ctx, officer: OfficerInfo, data: dict[str, Any], sel: list[Any]) -> list[Reply]:
    if not sel:
        return [Reply(PICK_NONE), await picker(ctx, officer, sel)]
    target: Any = "all" if "all" in sel else [int(s) for s in sel]
    groups = await check_targets(ctx.session, officer, target, "broadcast.preview")
    n = await audience.count_people(ctx.session, target)
    names = ALL_LABEL if target == "all" else ", ".join(g.title or g.name for g in groups)
    if n == 0:
        return [Reply(NOBODY), await picker(ctx, officer, sel)]
    b = await outbox.create_broadcast(
        ctx.session, text=data["text"], photo=data.get("photo"), created_by=officer.actor, group_ids=target,
        report_channel=ctx.channel, report_chat_id=ctx.identity.chat_id, officer_id=officer.officer_id,
    )
    ctx.set_state(None)
    confirm = Reply(
        CONFIRM.format(n=n, groups=names),
        choices=[Choice(SEND_LABEL, SendBroadcast(str(b.id)).pack()),
                 Choice(CANCEL_LABEL, CancelBroadcast(str(b.id)).pack())],
        columns=2,
    )
    return [Reply(PREVIEW_HEAD), outbox.broadcast_reply(b), confirm]


async def own_draft(ctx: Ctx, officer: OfficerInfo, arg: str) -> Broadcast | None:
    bid = parse_int(arg, lo=1)
    b = await ctx.session.get(Broadcast, bid) if bid is not None else None
    if b is None or b.status != BroadcastStatus.DRAFT or b.created_by != officer.actor:
        return None
    return b


@router.action(SendBroadcast.action)
async def confirm_send(ctx: Ctx, msg: Inbound) -> list[Reply]:
    officer = await officer_or_refuse(ctx, "broadcast.send")
    b = await own_draft(ctx, officer, button.broadcast_id if (button := SendBroadcast.read(msg.choice)) else "")
    if b is None or b.id is None:
        return [menu_reply(ALREADY)]
    sel = audience.load_groups(b.group_ids)
    await check_targets(ctx.session, officer, sel, "broadcast.send")
    n = await outbox.queue_broadcast(ctx.session, b)
    await repo.audit(ctx.session, officer.actor, "broadcast.send", {"broadcast_id": b.id, "recipients": n})
    ctx.after_commit(ctx.services.wake_outbox)  # before the commit the pacer would find no rows (next poll)
    return [menu_reply(QUEUED.format(id=b.id, n=n))]


@router.action(CancelBroadcast.action)
async def cancel(ctx: Ctx, msg: Inbound) -> list[Reply]:
    officer = await officer_or_refuse(ctx, "broadcast.cancel")
    arg = (CancelBroadcast.read(msg.choice) or CancelBroadcast()).broadcast_id
    ctx.set_state(None)
    if arg != "-":
        b = await own_draft(ctx, officer, arg)
        if b is None:
            return [menu_reply(ALREADY)]
        b.status = BroadcastStatus.CANCELLED
    return [menu_reply(CANCELLED)]


@router.command("thongke", "stats")
async def stats(ctx: Ctx, msg: Inbound) -> list[Reply]:
    officer = await officer_or_refuse(ctx, "stats")
    lines = [STATS_HEAD]
    groups = await groups_in_scope(ctx.session, officer)
    counts = await audience.count_per_group(ctx.session, groups)
    for g in groups:
        lines.append(f"• {g.title or g.name}: {counts.get(g.id or 0, 0)}")
    if len(lines) == 1:
        lines.append(NO_GROUPS)
    lines += ["", STATS_RECENT]
    stmt = select(Broadcast).where(col(Broadcast.status) != BroadcastStatus.DRAFT).order_by(col(Broadcast.id).desc())
    stmt = stmt.limit(5)
    if not officer.is_admin:
        stmt = stmt.where(Broadcast.created_by == officer.actor)
    recent = (await ctx.session.exec(stmt)).all()
    for b in recent:
        assert b.id is not None
        c = await outbox.broadcast_counts(ctx.session, b.id)
        when = b.created_at.astimezone(ctx.settings.tz).strftime("%d/%m %H:%M")
        head = b.text.replace("\n", " ")[:30]
        lines.append(
            f"#{b.id} {when} “{head}”: gửi {c['sent']}/{b.recipients}, lỗi {c['failed']}, "
            f"chặn bot {c['blocked']}, tài khoản đã xoá {c['gone']}, đang chờ {c['queued'] + c['sending']}"
        )
    if not recent:
        lines.append(STATS_NONE)
    return [menu_reply("\n".join(lines))]
