"""/kiemtra: a module's quiz or the quiz of the day, answered by native poll, button or typed number."""

from __future__ import annotations

from dataclasses import replace

from bot.core import texts
from bot.core.context import Ctx
from bot.core.messages import Choice, Inbound, Kind, Reply
from bot.core.payloads import AnswerQuiz, OpenLesson, OpenModule, QuizMenu, ShowProgress, StartQuiz
from bot.core.router import Router
from handlers.learning import quiz_service as lq
from handlers.learning import service as learning
from handlers.learning import texts as t

router = Router("quiz")


@router.command("kiemtra", "quiz", consent=True)
@router.menu(texts.MENU_QUIZ, consent=True)
async def quiz_command(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The quiz left in the middle, at the question it was on; the list of quizzes when there is none, or when
    its question is already the one on screen (/kiemtra typed again)."""
    if await awaited_question(ctx) is None:
        attempt = await lq.left_attempt(ctx.session, ctx.services.catalog, ctx.user_id)
        title = _title(ctx, attempt.module_id) if attempt is not None else None
        if attempt is not None and title is not None:
            intro = t.RESUME.format(title=title, i=attempt.index + 1, n=attempt.total)
            return [Reply(f"{intro}\n{t.RESUME_OTHER}"), lq.question_reply(ctx.services.catalog, attempt)]
    return await quiz_menu(ctx, msg)


@router.action(QuizMenu.action, consent=True)
async def quiz_menu(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The quiz of the day first, then one quiz per module with the best score so far."""
    catalog = ctx.services.catalog
    best = await learning.best_scores(ctx.session, ctx.user_id)
    choices = [Choice(t.BTN_DAILY, StartQuiz(lq.DAILY).pack())]
    for m in catalog.modules:
        mark = f" ({best[m.id]}%)" if m.id in best else ""
        tick = "✅ " if best.get(m.id, 0) >= learning.PASS_PERCENT else ""
        choices.append(Choice(f"{tick}{m.order}. {m.title}{mark}", StartQuiz(m.id).pack()))
    return [Reply(t.QUIZ_MENU.format(n=lq.DAILY_SIZE), choices=choices)]


def _title(ctx: Ctx, module_id: str) -> str | None:
    if module_id == lq.DAILY:
        return t.DAILY_TITLE
    mod = ctx.services.catalog.module(module_id)
    return mod.title if mod is not None and mod.quiz else None


@router.action(StartQuiz.action, consent=True)
async def start_quiz(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Start (or resume) a quiz and ask its first open question."""
    button = StartQuiz.read(msg.choice)
    module_id = button.module_id if button else ""
    title = _title(ctx, module_id)
    if title is None:
        return [Reply(t.UNKNOWN_MODULE), *await quiz_menu(ctx, msg)]
    attempt = await lq.start_attempt(
        ctx.session, ctx.services.catalog, ctx.user_id, module_id, ctx.now(), ctx.settings.tz
    )
    if attempt.index > 0:
        intro = t.RESUME.format(title=title, i=attempt.index + 1, n=attempt.total)
    else:
        intro = t.QUIZ_START.format(title=title, n=attempt.total)
    return [Reply(intro), lq.question_reply(ctx.services.catalog, attempt)]


@router.action(AnswerQuiz.action, consent=True, aside=True)
async def answer_button(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """A tapped button or a typed number: the option of one question of one attempt (a button of an old quiz
    is an aside: the question waiting comes again after the note)."""
    button = AnswerQuiz.read(msg.choice) or AnswerQuiz(-1, -1, -1)
    index, option = button.index, button.option
    asked = lq.recent_attempts(ctx.services).awaiting(button.attempt_id, ctx.user_id, index)
    if asked is not None and lq.offered(ctx.services.catalog, asked, (option,)):  # the question asked here last
        replies = await _answer(ctx, asked, (option,))
        if replies is not None:
            return replies
    attempt = await lq.load_attempt(ctx.session, button.attempt_id)
    reason = lq.stale_reason(attempt, ctx.user_id, index)
    if reason is not None or attempt is None:
        if reason == t.ANSWERED and attempt is not None:  # show the question that is still open
            return [Reply(reason), lq.question_reply(ctx.services.catalog, attempt)]
        return [Reply(reason or t.OLD_QUIZ)]
    if not lq.offered(ctx.services.catalog, attempt, (option,)):  # a forged button: ask the question again
        return [lq.question_reply(ctx.services.catalog, attempt)]
    return await _answer(ctx, attempt, (option,)) or [Reply(t.ANSWERED)]


@router.on(Kind.POLL_ANSWER)
async def answer_poll(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """A vote in a native quiz poll; late, repeated, retracted or foreign votes get no reply."""
    if not ctx.consented or not msg.poll_id or not msg.option_ids:
        return []
    target = await lq.poll_target(ctx.session, lq.sent_polls(ctx.services), msg.poll_id)
    if target is None:  # not a learning quiz's poll: a contest's (handlers/contests), or nobody's
        from handlers.contests.chat import answer_poll as contest_poll

        return await contest_poll(ctx, msg)
    attempt = target.attempt  # read with the poll, in the same query
    if target.user_id != ctx.user_id or attempt is None or lq.stale_reason(attempt, ctx.user_id, target.index):
        return []
    if not lq.offered(ctx.services.catalog, attempt, msg.option_ids):
        return []
    return await _answer(ctx, attempt, msg.option_ids) or []


@router.keeps
async def keep_quiz(ctx: Ctx, replies: list[Reply], aside: bool) -> list[Reply]:
    """THE rule for a quiz question left waiting while the learner does something else (any channel): the
    attempt stays where it was. After an aside (help, progress, a question, a greeting) the question comes
    again, so a number typed next answers it; after a move elsewhere (/hoc, /caidat, a menu item) one line
    says how to come back, and that screen's own choices keep their numbers."""
    if not replies or not ctx.consented or any(r.quiz is not None for r in replies):
        return replies  # nothing said, or the quiz itself (a question, a resume) answered
    question = await awaited_question(ctx)
    if question is None or replies[-1].choices == question.choices:  # no quiz waits, or its options shown again
        return replies
    if not aside:
        return [*replies, Reply(t.QUIZ_LEFT)]
    # The aside's main menu stays off: where there are no buttons it reads “Gõ số hoặc tên mục: 1 Học AI…”
    # right above a question whose numbers are the answers, and a typed “1” answers the quiz.
    return [*(_menu_left_off(r) for r in replies), question]


def _menu_left_off(reply: Reply) -> Reply:
    """An aside's reply without the main menu; words that pointed at the menu (“… hoặc chọn một mục bên dưới
    nhé”) point at the question waiting below instead."""
    body = texts.without_menu(reply.text)
    if body is None:
        return replace(reply, keyboard=None) if reply.keyboard else reply
    return replace(reply, text=f"{body}\n{t.QUIZ_WAITING}", keyboard=None)


async def awaited_question(ctx: Ctx) -> Reply | None:
    """The quiz question the learner was answering before this message (its options were the last choices
    offered), if its attempt still waits for that answer."""
    offered = ctx.offered
    button = AnswerQuiz.read(offered[0].data) if offered else None
    if button is None:
        return None
    attempt = await lq.load_attempt(ctx.session, button.attempt_id)
    if attempt is None or lq.stale_reason(attempt, ctx.user_id, button.index) is not None:
        return None
    return lq.question_reply(ctx.services.catalog, attempt)


async def _answer(ctx: Ctx, attempt: lq.Attempt, picked: tuple[int, ...]) -> list[Reply] | None:
    """Score the answer and ask the next question (or give the result); None when the question is no longer
    awaited (answered meanwhile by another worker, or the quiz closed)."""
    catalog = ctx.services.catalog
    following = lq.next_question(catalog, attempt)
    offer = (ctx.user, following.choices) if following is not None else None  # stored with the answer
    scored = await lq.score_answer(ctx.session, catalog, attempt, picked, ctx.now(), ctx.settings.tz, offer)
    if scored is None:
        return None
    recent = lq.recent_attempts(ctx.services)
    ctx.after_commit(lambda: recent.remember(scored.attempt))
    replies = [Reply(lq.feedback(scored.question, scored.right))]
    if not scored.finished:
        return [*replies, following or lq.question_reply(catalog, scored.attempt)]
    return [*replies, *await _finish(ctx, scored.attempt)]


async def _finish(ctx: Ctx, attempt: lq.Attempt) -> list[Reply]:
    """The score, what to do next, and the certificate when this pass completes the course."""
    catalog = ctx.services.catalog
    ok = lq.passed(attempt)
    lines = [t.SCORE.format(correct=attempt.correct, total=attempt.total, score=attempt.score)]
    choices: list[Choice] = []
    if attempt.kind == "daily":
        choices = [Choice(t.BTN_MORE_QUIZ, QuizMenu().pack()), Choice(t.BTN_PROGRESS, ShowProgress().pack())]
        return [Reply("\n".join(lines), choices=choices)]
    lines.append(t.PASSED if ok else t.FAILED)
    prog = await learning.progress_of(ctx.session, ctx.user_id, attempt.module_id)
    if ok and (prog is None or prog.completed_at is None):
        lines.append(t.READ_REST)
        choices.append(Choice(t.BTN_REREAD, OpenModule(attempt.module_id).pack()))
    if not ok:
        choices += [
            Choice(t.BTN_REREAD, OpenLesson(attempt.module_id, 0).pack()),
            Choice(t.BTN_RETRY, StartQuiz(attempt.module_id).pack()),
        ]
    nxt = catalog.next_module(attempt.module_id)
    if ok and nxt is not None:
        choices.append(Choice(t.BTN_NEXT_MODULE.format(title=nxt.title), OpenModule(nxt.id).pack()))
    choices.append(Choice(t.BTN_PROGRESS, ShowProgress().pack()))
    replies = [Reply("\n".join(lines), choices=choices)]
    if ok:
        from handlers.learning.progress import certificate_if_earned

        replies.extend(await certificate_if_earned(ctx))
    return replies
