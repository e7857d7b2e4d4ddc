"""/thi: join a contest of the Week, answer each question before its timer (a native quiz poll on Telegram,
numbered answers elsewhere), see the leaderboard and, for a winner, download the certificate."""

from __future__ import annotations

import asyncio

from bot.core.callback import pack, unpack
from bot.core.context import Ctx
from bot.core.messages import Choice, Document, Inbound, QuizSpec, Reply
from bot.core.payloads import ContestList, OpenContest
from bot.core.router import Router
from bot.db.models_contests import Contest, ContestAttempt
from handlers.contests import board, service
from handlers.contests import texts as t
from handlers.learning.certificate import suggest_name, verify_url

router = Router("contests")
ASK_NAME = "contest_name"
NAME_MAX = 60
BOARD_SIZE = 10


@router.command("thi", "contest", consent=True)
@router.action(ContestList.action, consent=True)
async def contests_menu(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The running attempt first; else the contests open for the user's place, or when the next one opens."""
    now = ctx.now()
    running = await service.running_attempt(ctx.session, ctx.user_id, now)
    if running is not None:
        return await _resume(ctx, *running)
    contests = await service.open_for(ctx.session, ctx.user, now)
    if len(contests) == 1:
        return await _intro(ctx, contests[0])
    if contests:
        choices = [Choice(t.BTN_CONTEST.format(title=c.title[:40]), OpenContest(c.id or 0).pack()) for c in contests]
        return [Reply(t.PICK, choices=choices)]
    lines = [t.NONE_OPEN]
    nxt = await service.next_for(ctx.session, ctx.user, now)
    if nxt is not None:
        lines.append(t.NEXT_OPENS.format(title=nxt.title, opens=service.local_text(nxt.opens_at, ctx.settings.tz)))
    if not ctx.user.province:
        lines.append(t.NEED_PLACE)
    closed = await service.closed_of(ctx.session, ctx.user_id, now)
    choices = [Choice(t.BTN_RESULT.format(title=c.title[:40]), pack("ctb", c.id)) for c in closed]
    return [Reply("\n".join(lines), choices=choices)]


async def _intro(ctx: Ctx, contest: Contest) -> list[Reply]:
    assert contest.id is not None
    attempt = await service.attempt_of(ctx.session, contest.id, ctx.user_id)
    if attempt is not None and attempt.finished_at is not None:
        return [_already(contest, attempt)]
    text = t.INTRO.format(title=contest.title, n=len(service.ids_of(contest)), seconds=contest.seconds,
                          closes=service.local_text(contest.closes_at, ctx.settings.tz))  # fmt: skip
    return [Reply(text, choices=[Choice(t.BTN_START, OpenContest(contest.id).pack())])]


def _already(contest: Contest, attempt: ContestAttempt) -> Reply:
    text = t.ALREADY.format(title=contest.title, correct=attempt.correct, total=len(service.ids_of(attempt)),
                            time=board.seconds_text(attempt.total_ms))  # fmt: skip
    return Reply(text, choices=[Choice(t.BTN_BOARD, pack("ctb", contest.id)), *_cert_button(contest, attempt)])


def _cert_button(contest: Contest, attempt: ContestAttempt) -> list[Choice]:
    return [Choice(t.BTN_CERT, pack("ctr", contest.id))] if attempt.cert_code else []


async def _contest(ctx: Ctx, msg: Inbound) -> Contest | None:
    cid = unpack(msg.choice or "").int_arg(0, -1)
    return await ctx.session.get(Contest, cid) if cid > 0 else None


def _refusal(ctx: Ctx, contest: Contest) -> str | None:
    """Why this user cannot start this contest now (its place, its hours), or None."""
    now, tz = ctx.now(), ctx.settings.tz
    if not service.is_for(contest, ctx.user):
        return t.NOT_HERE.format(place=service.place_text(contest.province, contest.commune))
    if now < contest.opens_at:
        return t.NOT_YET.format(title=contest.title, opens=service.local_text(contest.opens_at, tz))
    if now >= contest.closes_at:
        return t.CLOSED.format(title=contest.title)
    return None


@router.action(OpenContest.action, consent=True)
async def join(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Start the contest (asking once whether the name may be shown), or say the score already recorded."""
    contest = await _contest(ctx, msg)
    if contest is None or contest.id is None:
        return [Reply(t.OLD)]
    attempt = await service.attempt_of(ctx.session, contest.id, ctx.user_id)
    if attempt is not None and attempt.finished_at is not None:
        return [_already(contest, attempt)]
    if attempt is not None:
        return await _resume(ctx, attempt, contest)
    refusal = _refusal(ctx, contest)
    if refusal is not None:
        return [Reply(refusal, choices=[Choice(t.BTN_BOARD, pack("ctb", contest.id))])]
    if not ctx.user.show_name:
        choices = [Choice(t.BTN_SHOW, pack("ctc", contest.id, "y")), Choice(t.BTN_HIDE, pack("ctc", contest.id, "n"))]
        return [Reply(t.ASK_SHOW, choices=choices)]
    return await _begin(ctx, contest, t.NAME_SHOWN)


@router.action("ctc", consent=True)
async def name_consent(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The answer to “hiện tên bạn trên bảng xếp hạng?”; a yes with no name on the account asks for one."""
    contest = await _contest(ctx, msg)
    if contest is None or contest.id is None:
        return [Reply(t.OLD)]
    if unpack(msg.choice or "").arg(1) != "y":
        return await _begin(ctx, contest, t.NAME_HIDDEN)
    if not ctx.user.display_name.strip():
        ctx.set_state(ASK_NAME, {"c": contest.id})
        return [Reply(t.ASK_NAME)]
    ctx.user.show_name = True
    return await _begin(ctx, contest, t.NAME_SHOWN)


@router.state(ASK_NAME)
async def name_typed(ctx: Ctx, msg: Inbound) -> list[Reply]:
    name = suggest_name(msg.text)
    if not 2 <= len(name) <= NAME_MAX:
        return [Reply(t.BAD_NAME)]
    cid = int(ctx.state_data.get("c", 0))
    ctx.set_state(None)
    ctx.user.display_name, ctx.user.show_name = name, True
    contest = await ctx.session.get(Contest, cid)
    return await _begin(ctx, contest, t.NAME_SHOWN) if contest is not None else [Reply(t.NAME_SHOWN)]


async def _begin(ctx: Ctx, contest: Contest, note: str) -> list[Reply]:
    refusal = _refusal(ctx, contest)
    if refusal is not None:
        return [Reply(refusal)]
    assert contest.id is not None
    existing = await service.attempt_of(ctx.session, contest.id, ctx.user_id)
    if existing is not None:  # one attempt per person (a second tap on “Có, hiện tên”)
        return [_already(contest, existing)] if existing.finished_at else await _resume(ctx, existing, contest)
    attempt = await service.start(ctx.session, contest, ctx.user, ctx.now())
    return [Reply(f"{note}\n{t.GO}"), question_reply(ctx, contest, attempt)]


def question_reply(ctx: Ctx, contest: Contest, attempt: ContestAttempt) -> Reply:
    """The current question: a native quiz poll closing after the contest's seconds where polls exist, numbered
    answers elsewhere (the same timer is checked when the answer arrives)."""
    q = service.question(ctx.services.catalog, attempt)
    i, n = attempt.index, len(service.ids_of(attempt))
    text = t.QUESTION.format(i=i + 1, n=n, seconds=contest.seconds, question=q.question)
    spec = QuizSpec(question=text, options=tuple(q.options), correct=tuple(q.correct),
                    attempt_ref=f"c:{attempt.id}:{i}", open_period=contest.seconds,
                    buttons=(Choice(t.BTN_NEXT, pack("ctn", attempt.id, i)),))  # fmt: skip
    choices = [Choice(opt, pack("cta", attempt.id, i, k)) for k, opt in enumerate(q.options)]
    return Reply(text, choices=choices, quiz=spec)


async def _resume(ctx: Ctx, attempt: ContestAttempt, contest: Contest) -> list[Reply]:
    """Back to a running attempt: a question whose timer ran out counts as unanswered, then the next one."""
    if not service.is_late(contest, attempt, ctx.now()):
        return [question_reply(ctx, contest, attempt)]
    return await _score(ctx, attempt, contest, None)


@router.action("cta", consent=True)
async def answer_button(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """A tapped or typed numbered answer."""
    p = unpack(msg.choice or "")
    return await _answer(ctx, p.int_arg(0, -1), p.int_arg(1, -1), p.int_arg(2, -1))


@router.action("ctn", consent=True)
async def next_button(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """“Câu tiếp” under a poll: after its timer (or to skip it) the question counts as unanswered."""
    p = unpack(msg.choice or "")
    return await _answer(ctx, p.int_arg(0, -1), p.int_arg(1, -1), None)


async def answer_poll(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """A vote in a contest's quiz poll (handlers/quiz.py hands over the polls that are not its own)."""
    target = await service.poll_target(ctx.session, msg.poll_id or "")
    if target is None or target.user_id != ctx.user_id or len(msg.option_ids) != 1:
        return []
    return await _answer(ctx, target.attempt_id, target.index, msg.option_ids[0], quiet=True)


async def _answer(ctx: Ctx, attempt_id: int, index: int, option: int | None, quiet: bool = False) -> list[Reply]:
    attempt = await ctx.session.get(ContestAttempt, attempt_id) if attempt_id > 0 else None
    if attempt is None or attempt.user_id != ctx.user_id:
        return [] if quiet else [Reply(t.OLD)]
    contest = await ctx.session.get(Contest, attempt.contest_id)
    assert contest is not None
    if attempt.finished_at is not None:
        return [] if quiet else [_already(contest, attempt)]
    if index != attempt.index:
        return [] if quiet else [Reply(t.OLD)]
    q = service.question(ctx.services.catalog, attempt)
    if option is not None and not 0 <= option < len(q.options):
        return [question_reply(ctx, contest, attempt)]
    return await _score(ctx, attempt, contest, option)


async def _score(ctx: Ctx, attempt: ContestAttempt, contest: Contest, option: int | None) -> list[Reply]:
    expired = service.is_late(contest, attempt, ctx.now())
    out = await service.record(ctx.session, ctx.services.catalog, contest, attempt, option, ctx.now())
    if out.late or (option is None and expired):
        note = t.LATE.format(i=out.index + 1)
    elif option is None:
        note = t.SKIPPED.format(i=out.index + 1)
    else:
        note = t.RIGHT if out.right else t.WRONG
    if not out.finished:
        return [Reply(note), question_reply(ctx, contest, attempt)]
    return [Reply(note), await _finish(ctx, contest, attempt)]


async def _finish(ctx: Ctx, contest: Contest, attempt: ContestAttempt) -> Reply:
    lines = [t.DONE.format(correct=attempt.correct, total=len(service.ids_of(attempt)),
                           time=board.seconds_text(attempt.total_ms))]  # fmt: skip
    province, commune = _board_place(contest, attempt)
    rank, count = await board.rank_of(ctx.session, attempt, province, commune)
    lines.append(t.RANK.format(rank=rank, count=count, place=service.place_text(province, commune)))
    lines.append(t.NOT_WINNER.format(n=contest.winners))
    return Reply("\n".join(lines), choices=[Choice(t.BTN_BOARD, pack("ctb", contest.id))])


def _board_place(contest: Contest, attempt: ContestAttempt) -> tuple[str | None, str | None]:
    """The smallest board the person is on: their commune when known, else their province."""
    if attempt.commune and attempt.province:
        return attempt.province, attempt.commune
    return (attempt.province, None) if attempt.province else (contest.province, contest.commune)


@router.action("ctb", consent=True)
async def show_board(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The leaderboards of the person's commune and province (hidden names stay hidden); a winner's button."""
    contest = await _contest(ctx, msg)
    if contest is None or contest.id is None:
        return [Reply(t.OLD)]
    attempt = await service.attempt_of(ctx.session, contest.id, ctx.user_id)
    province = attempt.province if attempt else ctx.user.province
    commune = attempt.commune if attempt else ctx.user.commune
    total = len(service.ids_of(contest))
    blocks = []
    places: list[tuple[str | None, str | None]] = [(province, commune)] if commune and province else []
    places += [(province, None)] if province else [(contest.province, contest.commune)]
    for p, c in places:
        rows = await board.ranking(ctx.session, contest.id, p, c, limit=BOARD_SIZE)
        blocks.append(board.board_text(contest, rows, service.place_text(p, c), ctx.user_id, total))
    choices: list[Choice] = []
    rank = await board.winner_rank(ctx.session, contest, attempt, ctx.now()) if attempt is not None else None
    if rank is not None:
        blocks.append(t.WINNER.format(rank=rank))
        choices.append(Choice(t.BTN_CERT, pack("ctr", contest.id)))
    return [Reply("\n\n".join(blocks), choices=choices)]


@router.action("ctr", consent=True)
async def certificate(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """A winner's certificate PDF with a QR code to /verify; others are told who gets one."""
    contest = await _contest(ctx, msg)
    if contest is None or contest.id is None:
        return [Reply(t.OLD)]
    attempt = await service.attempt_of(ctx.session, contest.id, ctx.user_id)
    rank = await board.winner_rank(ctx.session, contest, attempt, ctx.now()) if attempt else None
    if attempt is None or rank is None:
        return [Reply(t.NOT_WINNER.format(n=contest.winners))]
    code = await board.issue_code(ctx.session, attempt)
    name = ctx.user.display_name.strip() or t.NO_NAME
    url = verify_url(ctx.settings.web_base_url, code)
    pdf = await asyncio.to_thread(board.certificate_pdf, contest, attempt, name, rank, url, ctx.settings.tz)
    caption = t.CERT_CAPTION.format(title=contest.title, code=code)
    return [Reply(caption, document=Document(f"chung-nhan-{code}.pdf", pdf, caption))]
