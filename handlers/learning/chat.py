"""/hoc: the modules with the learner's progress, lessons one screen at a time, the quiz at the end."""

from __future__ import annotations

from bot.core import texts
from bot.core.context import Ctx
from bot.core.messages import Choice, Inbound, Reply
from bot.core.payloads import ModuleList, OpenLesson, OpenModule
from bot.core.router import Router
from content.schema import Module
from handlers.learning import service as learning
from handlers.learning import texts as t
from handlers.learning.screens import lesson_reply

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
        Choice(f"{module_mark(status, m.id)}{m.order}. {m.title}", OpenModule(m.id).pack()) for m in catalog.modules
    ]
    text = t.MODULES_HEAD.format(n=len(catalog.modules))
    if status.progress:
        text += "\n" + t.MODULES_LEGEND
    return Reply(text, choices=choices)


@router.command("hoc", "learn", consent=True)
@router.menu(texts.MENU_LEARN, consent=True)
@router.action(ModuleList.action, consent=True)
async def show_modules(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The course: every module with the learner's progress."""
    return [await modules_reply(ctx)]


def _module(ctx: Ctx, module_id: str) -> Module | None:
    mod: Module | None = ctx.services.catalog.module(module_id)
    return mod


@router.action(OpenModule.action, consent=True)
async def open_module(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Open a module at the lesson where the learner left it."""
    button = OpenModule.read(msg.choice)
    mod = _module(ctx, button.module_id) if button else None
    if mod is None:
        return [Reply(t.UNKNOWN_MODULE), await modules_reply(ctx)]
    prog = await learning.progress_of(ctx.session, ctx.user_id, mod.id)
    return await lesson_screen(ctx, mod, prog.position if prog else 0)


@router.action(OpenLesson.action, consent=True)
async def show_lesson(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """“Tiếp” and “Quay lại”: the lesson with that number."""
    button = OpenLesson.read(msg.choice)
    mod = _module(ctx, button.module_id) if button else None
    if mod is None or button is None:
        return [Reply(t.UNKNOWN_MODULE), await modules_reply(ctx)]
    return await lesson_screen(ctx, mod, button.index)


async def lesson_screen(ctx: Ctx, mod: Module, index: int) -> list[Reply]:
    """One lesson with its navigation (screens.lesson_reply), recorded as read."""
    index = max(0, min(index, len(mod.lessons) - 1))
    finished = await learning.read_lesson(
        ctx.session, ctx.user_id, mod.id, index, len(mod.lessons), ctx.now(), ctx.settings.tz
    )
    replies = [lesson_reply(mod, index)]
    if finished:
        from handlers.learning.progress import certificate_if_earned

        replies.extend(await certificate_if_earned(ctx))
    return replies
