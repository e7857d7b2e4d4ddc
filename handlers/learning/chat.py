"""/hoc: the modules with the learner's progress, lessons one screen at a time, the quiz at the end."""

from __future__ import annotations

from bot.core import texts
from bot.core.callback import pack, unpack
from bot.core.context import Ctx
from bot.core.messages import Choice, Inbound, Reply
from bot.core.router import Router
from content.schema import Module
from handlers.learning import service as learning
from handlers.learning import texts as t

router = Router("learn")


def module_mark(status: learning.CourseStatus, module_id: str) -> str:
    if module_id in status.done:
        return "✅ "
    return "▶️ " if module_id in status.progress or module_id in status.best else ""


async def modules_reply(ctx: Ctx) -> Reply:
    """One button per module, marked ✅ done or ▶️ in progress."""
    catalog = ctx.services.catalog
    status = await learning.course_status(ctx.session, catalog, ctx.user_id)
    choices = [
        Choice(f"{module_mark(status, m.id)}{m.order}. {m.title}", pack("lo", m.id)) for m in catalog.modules
    ]
    text = t.MODULES_HEAD.format(n=len(catalog.modules))
    if status.progress:
        text += "\n" + t.MODULES_LEGEND
    return Reply(text, choices=choices)


@router.command("hoc", "learn", consent=True)
@router.menu(texts.MENU_LEARN, consent=True)
@router.action("toc", consent=True)
async def show_modules(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The course: every module with the learner's progress."""
    return [await modules_reply(ctx)]


def _module(ctx: Ctx, module_id: str) -> Module | None:
    mod: Module | None = ctx.services.catalog.module(module_id)
    return mod


@router.action("lo", consent=True)
async def open_module(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Open a module at the lesson where the learner left it."""
    module_id = unpack(msg.choice or "").arg(0)
    mod = _module(ctx, module_id)
    if mod is None:
        return [Reply(t.UNKNOWN_MODULE), await modules_reply(ctx)]
    prog = await learning.progress_of(ctx.session, ctx.user_id, mod.id)
    return await lesson_screen(ctx, mod, prog.position if prog else 0)


@router.action("ls", consent=True)
async def show_lesson(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """“Tiếp” and “Quay lại”: the lesson with that number."""
    payload = unpack(msg.choice or "")
    mod = _module(ctx, payload.arg(0))
    if mod is None:
        return [Reply(t.UNKNOWN_MODULE), await modules_reply(ctx)]
    return await lesson_screen(ctx, mod, payload.int_arg(1))


async def lesson_screen(ctx: Ctx, mod: Module, index: int) -> list[Reply]:
    """One lesson with its navigation; the last lesson offers the module's quiz."""
    index = max(0, min(index, len(mod.lessons) - 1))
    lesson = mod.lessons[index]
    finished = await learning.read_lesson(
        ctx.session, ctx.user_id, mod.id, index, len(mod.lessons), ctx.now(), ctx.settings.tz
    )
    head = t.LESSON_HEAD.format(module=mod.title, i=index + 1, n=len(mod.lessons), title=lesson.title)
    last = index == len(mod.lessons) - 1
    # The way forward comes first, so on numbered channels (Zalo) “1” always moves on, never back.
    if last:
        choices = [Choice(t.BTN_TAKE_QUIZ, pack("qs", mod.id))]
    else:
        choices = [Choice(t.BTN_NEXT, pack("ls", mod.id, index + 1))]
    if index > 0:
        choices.append(Choice(t.BTN_BACK, pack("ls", mod.id, index - 1)))
    choices.append(Choice(t.BTN_TOC, pack("toc")))
    text = f"{head}\n\n{lesson.text}"
    if last:
        text += "\n\n" + t.MODULE_READ.format(n=len(mod.lessons), module=mod.title)
    replies = [Reply(text, choices=choices, image=lesson.image, columns=2)]
    if finished:
        from handlers.learning.progress import certificate_if_earned

        replies.extend(await certificate_if_earned(ctx))
    return replies
