"""What a learner is shown, built once: the chat sends it, the dashboard's content page shows it as is."""

from __future__ import annotations

from bot.core.messages import Choice, Reply
from bot.core.payloads import ModuleList, OpenLesson, StartQuiz
from content.schema import Module
from handlers.learning import texts as t


def lesson_reply(mod: Module, index: int) -> Reply:
    """Lesson `index` (from 0, clamped) of a module with its navigation; the last lesson offers the module's quiz.
    The way forward comes first, so on numbered channels (Zalo) “1” always moves on, never back."""
    index = max(0, min(index, len(mod.lessons) - 1))
    lesson, n = mod.lessons[index], len(mod.lessons)
    last = index == n - 1
    text = t.LESSON_HEAD.format(module=mod.title, i=index + 1, n=n, title=lesson.title) + "\n\n" + lesson.text
    if last:
        text += "\n\n" + t.MODULE_READ.format(n=n, module=mod.title)
        choices = [Choice(t.BTN_TAKE_QUIZ, StartQuiz(mod.id).pack())]
    else:
        choices = [Choice(t.BTN_NEXT, OpenLesson(mod.id, index + 1).pack())]
    if index > 0:
        choices.append(Choice(t.BTN_BACK, OpenLesson(mod.id, index - 1).pack()))
    choices.append(Choice(t.BTN_TOC, ModuleList().pack()))
    return Reply(text, choices=choices, image=lesson.image, columns=2)
