"""/tiendo, /chungnhan and /bangxephang: progress, streak, the certificate and the weekly leaderboard."""

from __future__ import annotations

import asyncio

from bot.core import texts
from bot.core.context import Ctx
from bot.core.dispatcher import menu_reply
from bot.core.messages import Choice, Document, Inbound, Reply
from bot.core.payloads import CertificateNameOk, GetCertificate, ModuleList, RenameCertificate, ShowProgress
from bot.core.router import Router
from bot.db.models_learning import Certificate
from handlers.learning import certificate as certs
from handlers.learning import service as learning
from handlers.learning import texts as t

router = Router("progress")

ASK_CERT_NAME = "cert_name"


@router.command("tiendo", "progress", consent=True, aside=True)
@router.menu(texts.MENU_PROGRESS, consent=True, aside=True)
@router.action(ShowProgress.action, consent=True, aside=True)
async def show_progress(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Modules done, best scores, the learning streak and the certificate status."""
    catalog = ctx.services.catalog
    status = await learning.course_status(ctx.session, catalog, ctx.user_id)
    lines = [t.PROGRESS_HEAD.format(done=len(status.done), n=len(catalog.modules))]
    for m in catalog.modules:
        prog, best = status.progress.get(m.id), status.best.get(m.id)
        if m.id in status.done:
            lines.append(t.PROGRESS_DONE.format(order=m.order, title=m.title, best=best))
        elif prog is not None or best is not None:
            lines.append(t.PROGRESS_STARTED.format(
                order=m.order, title=m.title, seen=prog.seen if prog else 0, lessons=len(m.lessons),
                best=t.BEST.format(best=best) if best is not None else "",
            ))
        else:
            lines.append(t.PROGRESS_NEW.format(order=m.order, title=m.title))
    today = learning.local_day(ctx.now(), ctx.settings.tz)
    days = await learning.streak(ctx.session, ctx.user_id, today)
    lines.append("")
    lines.append(t.STREAK.format(n=days) if days else t.STREAK_NONE)
    cert = await certs.find_by_user(ctx.session, ctx.user_id)
    lines.append(t.CERT_HAVE.format(code=cert.code) if cert else t.CERT_TODO.format(n=len(status.missing)))
    choices = [Choice(t.BTN_LEARN, ModuleList().pack())]
    if cert is not None or status.complete:
        choices.append(Choice(t.BTN_CERT, GetCertificate().pack()))
    return [Reply("\n".join(lines), choices=choices, columns=2)]


@router.command("chungnhan", "certificate", consent=True)
@router.action(GetCertificate.action, consent=True)
async def get_certificate(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Send the certificate again (with a way to fix the name), or say which modules are still missing."""
    cert = await certs.find_by_user(ctx.session, ctx.user_id)
    if cert is not None:
        rename = [Choice(t.BTN_CERT_RENAME, RenameCertificate().pack())]
        return [Reply(t.CERT_AGAIN.format(code=cert.code), choices=rename), await document_reply(ctx, cert)]
    status = await learning.course_status(ctx.session, ctx.services.catalog, ctx.user_id)
    if status.complete:
        return await certificate_if_earned(ctx)
    titles = [f"{m.order}. {m.title}" for m in ctx.services.catalog.modules if m.id in status.missing]
    return [Reply(t.CERT_NOT_YET.format(n=len(titles), missing="; ".join(titles)),
                  choices=[Choice(t.BTN_LEARN, ModuleList().pack())])]


async def certificate_if_earned(ctx: Ctx) -> list[Reply]:
    """The first time every module is done: the name to print is proposed (or asked) before any PDF."""
    if await certs.find_by_user(ctx.session, ctx.user_id) is not None:
        return []
    if not await learning.course_complete(ctx.session, ctx.services.catalog, ctx.user_id):
        return []
    name = certs.suggest_name(ctx.user.display_name)
    if len(name) < 2:
        ctx.set_state(ASK_CERT_NAME)
        return [Reply(t.ALL_DONE), Reply(t.CERT_ASK_NAME)]
    return [Reply(t.ALL_DONE), _propose(ctx, name)]


def _propose(ctx: Ctx, name: str) -> Reply:
    """“Tên in trên chứng nhận: … Đúng chưa?”; the proposal waits in the state until confirmed."""
    ctx.set_state(ASK_CERT_NAME, {"name": name})
    text = t.CERT_CONFIRM.format(name=name)
    if not certs.has_accents(name):
        text += "\n" + t.CERT_NO_ACCENTS
    choices = [Choice(t.BTN_CERT_OK, CertificateNameOk().pack()), Choice(t.BTN_CERT_EDIT, RenameCertificate().pack())]
    return Reply(text, choices=choices)


@router.state(ASK_CERT_NAME)
async def certificate_name(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """A typed name is proposed back with proper capitals; a “đúng / ok” confirms the proposal."""
    if ctx.state_data.get("name") and certs.is_yes(msg.text):
        return await confirm_name(ctx, msg)
    name = certs.suggest_name(msg.text)
    if not 2 <= len(name) <= certs.NAME_MAX:
        return [Reply(t.CERT_BAD_NAME)]
    return [_propose(ctx, name)]


@router.action(RenameCertificate.action, consent=True)
async def change_name(ctx: Ctx, msg: Inbound) -> list[Reply]:
    ctx.set_state(ASK_CERT_NAME)
    return [Reply(t.CERT_ASK_NAME)]


@router.action(CertificateNameOk.action, consent=True)
async def confirm_name(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The confirmed name: the certificate is made, or the one already made is re-printed with it."""
    name = ctx.state_data.get("name") if ctx.user.state == ASK_CERT_NAME else None
    if not name:
        return [menu_reply(texts.STALE_BUTTON)]
    ctx.set_state(None)
    cert = await certs.find_by_user(ctx.session, ctx.user_id)
    if cert is not None:
        cert.name = name
        ctx.session.add(cert)
        return [Reply(t.CERT_RENAMED.format(name=name, code=cert.code)), await document_reply(ctx, cert)]
    if not await learning.course_complete(ctx.session, ctx.services.catalog, ctx.user_id):
        return []
    return await _issue(ctx, name)


async def _issue(ctx: Ctx, name: str) -> list[Reply]:
    cert = await certs.issue(ctx.session, ctx.user_id, name, ctx.now())
    return [Reply(t.CERT_EARNED.format(name=cert.name)), await document_reply(ctx, cert)]


async def document_reply(ctx: Ctx, cert: Certificate) -> Reply:
    url = certs.verify_url(ctx.settings.web_base_url, cert.code)
    n = len(ctx.services.catalog.modules)
    pdf = await asyncio.to_thread(certs.render_pdf, cert, url, ctx.settings.tz, n)
    caption = t.CERT_CAPTION.format(code=cert.code, url=url)
    return Reply(caption, document=Document(certs.filename(cert), pdf, caption), keyboard=texts.MAIN_KEYBOARD)


@router.command("bangxephang", "leaderboard", "top", consent=True)
async def show_leaderboard(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """This week's top learners in each of the learner's groups; hidden names stay hidden."""
    from handlers.week.chat import WEEK_GROUP  # the “remind me of the Week” list is not a class to rank

    groups = [g for g in await learning.user_groups(ctx.session, ctx.user_id) if g.name != WEEK_GROUP]
    if not groups:
        return [Reply(t.BOARD_NO_GROUP)]
    since = learning.week_start(ctx.now(), ctx.settings.tz)
    blocks = []
    for group in groups[:3]:
        assert group.id is not None
        rows = await learning.leaderboard(ctx.session, group.id, since)
        lines = [t.BOARD_HEAD.format(group=group.title or group.name)]
        for rank, row in enumerate(rows, 1):
            name = row.name or t.BOARD_HIDDEN
            if row.user_id == ctx.user_id:
                name += t.BOARD_YOU
            lines.append(t.BOARD_LINE.format(rank=rank, name=name, points=row.points))
        if not rows:
            lines.append(t.BOARD_EMPTY)
        blocks.append("\n".join(lines))
    note = t.BOARD_NOTE if ctx.user.show_name else t.BOARD_NOTE + " " + t.BOARD_NOTE_NAME
    return [Reply("\n\n".join(blocks) + "\n\n" + note)]
