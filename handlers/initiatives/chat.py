"""/sangkien (citizens) and /duyetsangkien (officers): platform-free chat handlers returning Replies.

Citizens: write a short initiative (for themselves, or for a learning unit they registered); on Telegram a photo
may go with it (kept as its file id). Officers: the initiatives from their places, shortlist / praise (the sender
is told), and publish praised ones to their groups: the /thongbao preview and “Gửi”, nothing sent before that."""

from __future__ import annotations

from sqlmodel import col, select

from bot.core import texts
from bot.core.callback import pack, parse_int, unpack
from bot.core.context import Ctx
from bot.core.dispatcher import menu_reply
from bot.core.messages import Choice, Inbound, Kind, Reply
from bot.core.router import Router
from bot.db.models_initiatives import NEW, PRAISED, SHORTLISTED, Initiative
from bot.db.models_learning_models import LearningUnit
from bot.db.models_officers import Broadcast, BroadcastStatus
from handlers.initiatives import service
from handlers.initiatives import texts as t
from handlers.officers import audience, outbox
from handlers.officers import chat as announce
from handlers.officers.chat import officer_or_refuse
from handlers.officers.scope import OfficerInfo, groups_in_scope

router = Router("initiatives")

ASK_TEXT = "sk_text"
ASK_PHOTO = "sk_photo"
PHOTO_CHANNELS = ("telegram",)  # only Telegram gives a photo id that can be sent again without downloading it
LISTED = 20


def _day(ctx: Ctx, row: Initiative) -> str:
    return row.created_at.astimezone(ctx.settings.tz).strftime("%d/%m/%Y")


def _place(row: Initiative) -> str:
    return ", ".join(p for p in (row.commune, row.province) if p) or "—"


@router.command("sangkien", "initiative", consent=True)
@router.action("sk", consent=True)
async def home(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """What an initiative is, the person's own with their state, and a button to send one."""
    ctx.set_state(None)
    lines = [t.HEAD]
    rows = await service.mine(ctx.session, ctx.user_id)
    if rows:
        lines += ["", t.MINE, *(t.MINE_LINE.format(id=r.id, day=_day(ctx, r), status=t.STATUS.get(r.status, r.status))
                                for r in rows)]  # fmt: skip
    return [Reply("\n".join(lines), choices=[Choice(t.BTN_SEND, pack("skn"))])]


async def _own_units(ctx: Ctx) -> list[LearningUnit]:
    """The learning units (not a personal one) the person registered: they may send for them."""
    stmt = select(LearningUnit).where(LearningUnit.owner_user_id == ctx.user_id, col(LearningUnit.invite_code)
                                      .is_not(None)).order_by(col(LearningUnit.id).desc()).limit(5)  # fmt: skip
    return list((await ctx.session.exec(stmt)).all())


@router.action("skn", consent=True)
async def new(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Ask whose initiative it is when the person registered a unit; otherwise straight to the text."""
    if not ctx.user.province:
        return [menu_reply(t.NEED_PROVINCE)]
    units = await _own_units(ctx)
    if not units:
        return _ask_text(ctx, None)
    choices = [Choice(t.BTN_AS_ME, pack("skw", 0))]
    choices += [Choice(t.BTN_AS_UNIT.format(name=u.name[:40]), pack("skw", u.id)) for u in units]
    return [Reply(t.ASK_WHO, choices=choices)]


@router.action("skw", consent=True)
async def who_picked(ctx: Ctx, msg: Inbound) -> list[Reply]:
    unit_id = parse_int(unpack(msg.choice or "").arg(0), lo=1)
    return _ask_text(ctx, unit_id if unit_id in {u.id for u in await _own_units(ctx)} else None)


def _ask_text(ctx: Ctx, unit_id: int | None) -> list[Reply]:
    ctx.set_state(ASK_TEXT, {"unit": unit_id})
    return [Reply(t.ASK_TEXT_PHOTO if ctx.channel in PHOTO_CHANNELS else t.ASK_TEXT)]


def _text_ok(text: str) -> bool:
    return service.TEXT_MIN <= len(text) <= service.TEXT_MAX


@router.state(ASK_TEXT)
async def text_typed(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The initiative's text; on Telegram then a photo is offered (unless one came already)."""
    text = " ".join(msg.text.split())
    if not _text_ok(text):
        return [Reply(t.BAD_TEXT.format(lo=service.TEXT_MIN, hi=service.TEXT_MAX))]
    data = {**ctx.state_data, "text": text}
    if ctx.channel in PHOTO_CHANNELS and not data.get("photo"):
        ctx.set_state(ASK_PHOTO, data)
        return [Reply(t.ASK_PHOTO, choices=[Choice(t.BTN_NO_PHOTO, pack("skp"))])]
    return await _save(ctx, data)


@router.state(ASK_PHOTO)
async def text_instead_of_photo(ctx: Ctx, msg: Inbound) -> list[Reply]:
    return [Reply(t.PHOTO_ONLY_HERE, choices=[Choice(t.BTN_NO_PHOTO, pack("skp"))])]


@router.action("skp", consent=True)
async def no_photo(ctx: Ctx, msg: Inbound) -> list[Reply]:
    if ctx.user.state != ASK_PHOTO or "text" not in ctx.state_data:
        return await home(ctx, msg)
    return await _save(ctx, ctx.state_data)


@router.on(Kind.PHOTO)
async def photo_sent(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """A photo while an initiative is being written (its caption may be the text); anywhere else: words only."""
    state = ctx.user.state if ctx.consented else None
    if state not in (ASK_TEXT, ASK_PHOTO) or not msg.photo:
        return [menu_reply(texts.UNSUPPORTED_MEDIA)]
    data = {**ctx.state_data, "photo": msg.photo}
    caption = " ".join(msg.text.split())
    if state == ASK_TEXT and _text_ok(caption):
        data["text"] = caption
    if "text" in data:
        return await _save(ctx, data)
    ctx.set_state(ASK_TEXT, data)
    return [Reply(t.ASK_TEXT)]


async def _save(ctx: Ctx, data: dict[str, object]) -> list[Reply]:
    unit_id = data.get("unit")
    unit = await ctx.session.get(LearningUnit, unit_id) if isinstance(unit_id, int) else None
    if unit is not None and unit.owner_user_id != ctx.user_id:
        unit = None
    place = (unit.province, unit.commune) if unit else (ctx.user.province, ctx.user.commune)
    photo = data.get("photo")
    row = await service.submit(
        ctx.session, user_id=ctx.user_id, author=unit.name if unit else (ctx.user.display_name or "Người dân"),
        text=str(data["text"]), province=place[0], commune=place[1], channel=ctx.channel,
        photo=photo if isinstance(photo, str) else None, unit_id=unit.id if unit else None,
    )  # fmt: skip
    ctx.set_state(None)
    return [menu_reply(texts.promise(t.SENT.format(id=row.id, photo=t.WITH_PHOTO if row.photo else ""), t.SENT_LATER,
                                      ctx.channel))]


# -- officers ---------------------------------------------------------------------------------------------


async def _unpublished(ctx: Ctx, rows: list[Initiative]) -> list[Initiative]:
    """Praised initiatives no announcement carried yet (a draft that was cancelled does not count)."""
    out = []
    for r in rows:
        b = await ctx.session.get(Broadcast, r.broadcast_id) if r.broadcast_id else None
        if r.status == PRAISED and (b is None or b.status == BroadcastStatus.CANCELLED):
            out.append(r)
    return out


@router.command("duyetsangkien", "reviewinitiatives")
@router.action("sko")
async def review(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The initiatives from the officer's places, newest first, and the praised ones ready to publish."""
    officer = await officer_or_refuse(ctx, "sangkien.review")
    ctx.set_state(None)
    rows = await service.in_scope(ctx.session, officer, (NEW, SHORTLISTED, PRAISED), limit=LISTED)
    if not rows:
        return [menu_reply("\n".join([t.OFF_HEAD, t.OFF_NONE]))]
    lines = [t.OFF_HEAD]
    for r in rows:
        lines.append(t.OFF_LINE.format(id=r.id, who=r.author, place=_place(r), status=t.STATUS.get(r.status, r.status),
                                       photo=t.PHOTO_MARK if r.photo else "", text=r.text[:120]))  # fmt: skip
    choices = [Choice(t.BTN_OPEN.format(id=r.id, who=r.author[:30]), pack("sku", r.id)) for r in rows]
    ready = await _unpublished(ctx, rows)
    if ready:
        choices.append(Choice(f"{t.BTN_PUBLISH} ({min(len(ready), service.PUBLISH_MAX)})", pack("skb", "all")))
    return [Reply("\n".join(lines), choices=choices)]


async def _view(ctx: Ctx, row: Initiative) -> Reply:
    text = t.VIEW.format(id=row.id, who=row.author, place=_place(row), day=_day(ctx, row),
                         status=t.STATUS.get(row.status, row.status), photo=t.PHOTO_MARK if row.photo else "",
                         text=row.text)  # fmt: skip
    choices = []
    if row.status == NEW:
        choices.append(Choice(t.BTN_SHORTLIST, pack("skd", row.id, "shortlist")))
    if row.status == SHORTLISTED:
        choices.append(Choice(t.BTN_UNSHORTLIST, pack("skd", row.id, "unshortlist")))
    if row.status in (NEW, SHORTLISTED):
        choices.append(Choice(t.BTN_PRAISE, pack("skd", row.id, "praise")))
    if await _unpublished(ctx, [row]):
        choices.append(Choice(t.BTN_PUBLISH, pack("skb", row.id)))
    return Reply(text, image=row.photo if ctx.channel in PHOTO_CHANNELS else None, choices=choices, columns=2)


@router.action("sku")
async def officer_view(ctx: Ctx, msg: Inbound) -> list[Reply]:
    officer = await officer_or_refuse(ctx, "sangkien.view")
    row = await service.for_officer(ctx.session, officer, parse_int(unpack(msg.choice or "").arg(0), lo=1),
                                    "sangkien.view")  # fmt: skip
    return [await _view(ctx, row)]


@router.action("skd")
async def decide(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Shortlist, take off the shortlist, or praise (the sender is told); audited."""
    p = unpack(msg.choice or "")
    action = p.arg(1) if p.arg(1) in service.DECISIONS else "view"
    officer = await officer_or_refuse(ctx, f"sangkien.{action}")
    row = await service.for_officer(ctx.session, officer, parse_int(p.arg(0), lo=1), f"sangkien.{action}")
    if action == "view":
        return [await _view(ctx, row)]
    if not await service.decide(ctx.session, officer, row, action, ctx.now(), tz=ctx.settings.tz):
        return [Reply(t.NOT_NOW.format(id=row.id, status=t.STATUS.get(row.status, row.status)))]
    if action == "praise":
        ctx.after_commit(ctx.services.wake_outbox)  # the sender's message is queued once this unit of work commits
    return [Reply(t.DONE[action].format(id=row.id)), await _view(ctx, row)]


@router.action("skb")
async def publish(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """A draft announcement of praised initiatives to the officer's groups, previewed with “Gửi” / “Hủy”."""
    officer = await officer_or_refuse(ctx, "sangkien.publish")
    arg = unpack(msg.choice or "").arg(0)
    if arg == "all":
        rows = await service.in_scope(ctx.session, officer, (PRAISED,), limit=LISTED)
    else:
        rows = [await service.for_officer(ctx.session, officer, parse_int(arg, lo=1), "sangkien.publish")]
    rows = (await _unpublished(ctx, rows))[: service.PUBLISH_MAX]
    if not rows:
        return [Reply(t.PRAISE_FIRST)]
    return await _preview(ctx, officer, rows)


async def _preview(ctx: Ctx, officer: OfficerInfo, rows: list[Initiative]) -> list[Reply]:
    groups = await groups_in_scope(ctx.session, officer)
    target: outbox.GroupSel = "all" if officer.is_admin else [g.id for g in groups if g.id is not None]
    if not target:
        return [menu_reply(announce.NO_GROUPS)]
    n = await audience.count_people(ctx.session, target)
    if n == 0:
        return [menu_reply(announce.NOBODY)]
    b = await service.publish(ctx.session, officer, rows, target, report=(ctx.channel, ctx.identity.chat_id))
    names = announce.ALL_LABEL if target == "all" else ", ".join(g.title or g.name for g in groups)
    confirm = Reply(announce.CONFIRM.format(n=n, groups=names), columns=2,
                    choices=[Choice(announce.SEND_LABEL, pack("bcok", b.id)),
                             Choice(announce.CANCEL_LABEL, pack("bcx", b.id))])  # fmt: skip
    return [Reply(announce.PREVIEW_HEAD), outbox.broadcast_reply(b), confirm]
