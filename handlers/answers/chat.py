"""Questions and answers: /hoi, the “💬 Hỏi đáp” menu, and every free text that nothing else expects."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import AsyncIterator
from dataclasses import replace

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core import texts
from bot.core.callback import PayloadTooLong
from bot.core.context import Ctx
from bot.core.dispatcher import menu_reply
from bot.core.messages import AnswerStream, Choice, Inbound, Reply
from bot.core.payloads import Feedback, NoneOfThese, OpenFaq
from bot.core.router import Router
from bot.db.models_faq import AnswerLog, record_unanswered, set_feedback
from content.intents import agrees
from handlers.answers.service import AnswerResult, AnswerService, Plan
from handlers.answers.store import EVERYONE, Scope
from handlers.onboarding.start import agreed_in_words, consent_open, consent_reply

log = logging.getLogger(__name__)

router = Router("faq")

ASK_PROMPT = (
    "Bạn cứ gõ câu hỏi, có dấu hay không dấu đều được. 💬\n"
    "Ví dụ: “Tuần lễ học tập suốt đời là gì?”, “Học AI ở đâu miễn phí?”, "
    "“Bị gọi điện xưng công an thì làm gì?”"
)
LIKE = "👍 Hữu ích"
DISLIKE = "👎 Chưa đúng ý"
NOT_THESE = "❌ Không phải"
THANKS_UP = "Cảm ơn bạn đã góp ý! 🙏"
THANKS_DOWN = (
    "Cảm ơn bạn! Mình đã chuyển câu hỏi cho cán bộ Hội Khuyến học xem lại để trả lời tốt hơn. 🙏 "
    "Bạn có thể gõ câu hỏi theo cách khác."
)
NOTED = (
    "Mình đã ghi lại câu hỏi để cán bộ Hội Khuyến học bổ sung câu trả lời. 🙏 Bạn thử gõ câu hỏi theo cách khác nhé."
)
LABEL_MAX = 64


def feedback_choices(ctx: Ctx, log_id: int) -> list[Choice]:
    tag = asker_tag(ctx, log_id)
    return [Choice(LIKE, Feedback(log_id, "u", tag).pack()), Choice(DISLIKE, Feedback(log_id, "d", tag).pack())]


def asker_tag(ctx: Ctx, log_id: int) -> str:
    """A keyed tag in an answer's buttons that only the person who asked can send back (nothing stored)."""
    mac = hmac.new(_button_key(ctx), f"{log_id}|{ctx.user_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:9]).decode()


def _button_key(ctx: Ctx) -> bytes:
    secret = ctx.settings.secret_key
    if secret is not None:
        return hashlib.sha256(b"hocbot-buttons:" + secret.get_secret_value().encode()).digest()
    key = ctx.services.button_key
    return key


@router.command("hoi", "ask", "hoidap", aside=True)
@router.menu(texts.MENU_ASK, aside=True)
async def ask(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """`/hoi câu hỏi` answers at once; `/hoi` or the menu button invites a question."""
    if msg.command and msg.args.strip():
        return await answer_question(ctx, msg.args)
    return [Reply(ASK_PROMPT)]


@router.free_text
async def free_text(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Any text that is not a command, a menu label or an expected answer is a question (an aside: a quiz
    question waiting comes again after the answer, so a number typed next answers the quiz). “Đồng ý” said on its
    own is an answer to the consent question, not a question about consent."""
    if agrees(msg.text):
        return await agreed_in_words(ctx, msg)
    return await answer_question(ctx, msg.text)


async def _log(ctx: Ctx, question: str, result: AnswerResult) -> int:
    row = AnswerLog(
        user_id=ctx.user_id if ctx.consented else None,
        channel=ctx.channel,
        question=question,
        decision=result.decision,
        mode=result.mode,
        refused=result.refused,
        faq_id=result.faq_id,
        created_at=ctx.now(),
    )
    ctx.session.add(row)
    await ctx.session.flush()
    assert row.id is not None
    return row.id


def place(ctx: Ctx) -> Scope:
    """Where the asker lives: officers' answers written for another commune or province are not given."""
    return (ctx.user.province, ctx.user.commune) if ctx.consented else EVERYONE


async def answer_question(ctx: Ctx, text: str) -> list[Reply]:
    """Search; refuse (and note it for officers), offer the closest questions, or answer with sources."""
    svc = ctx.services.answers
    plan = await svc.prepare(text, place(ctx))
    result = plan.fallback
    if plan.decision == "smalltalk":  # a greeting or a thanks gets a friendly word and the menu, not a search
        if consent_open(ctx):  # … but while the consent question waits, that question again: a number typed
            return [Reply(texts.without_menu(result.text) or result.text), consent_reply()]  # next answers it
        return [menu_reply(result.text)]
    log_id = await _log(ctx, plan.question, result)
    if plan.decision == "refuse":
        reason = "out_of_scope" if result.out_of_scope else "unknown"
        if plan.question:
            await note_unanswered(ctx, plan.question, reason)
        return [Reply(result.text)]
    if plan.decision == "suggest":
        return [_suggest_reply(result, log_id, asker_tag(ctx, log_id))]
    if svc.llm is None:
        return [Reply(result.full_text, choices=feedback_choices(ctx, log_id), columns=2)]
    return [_streamed_reply(ctx, svc, plan, log_id)]


def button_label(title: str) -> str:
    """A suggestion's question on a button: whole words only, "…" when it had to be cut."""
    if len(title) <= LABEL_MAX:
        return title
    cut = title[: LABEL_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


def _suggest_reply(result: AnswerResult, log_id: int, tag: str) -> Reply:
    choices: list[Choice] = []
    for doc_id, title in result.suggestions:
        try:
            choices.append(Choice(button_label(title), OpenFaq(doc_id).pack()))
        except PayloadTooLong:
            log.warning("suggestion %s does not fit a button", doc_id)
    choices.append(Choice(NOT_THESE, NoneOfThese(log_id, tag).pack()))
    return Reply(result.text.split("\n", 1)[0], choices=choices)


def _streamed_reply(ctx: Ctx, svc: AnswerService, plan: Plan, log_id: int) -> Reply:
    """The LLM's answer, written by the dispatcher while the user watches where the platform shows drafts;
    the curated answer (the reply's text) goes out when the model is slow, fails or misbehaves."""
    choices = feedback_choices(ctx, log_id)
    return Reply(plan.fallback.full_text, choices=choices, columns=2, stream=LlmAnswer(svc, plan, log_id))


class LlmAnswer(AnswerStream):
    """One question's LLM answer: checked previews as it grows, then the final text; the log row learns
    which mode answered."""

    def __init__(self, svc: AnswerService, plan: Plan, log_id: int) -> None:
        self.svc, self.plan, self.log_id = svc, plan, log_id
        self.result: AnswerResult = plan.fallback

    def previews(self) -> AsyncIterator[str]:
        return self.svc.stream(self.plan, self._done)

    async def _done(self, result: AnswerResult) -> None:
        self.result = result

    def final(self, reply: Reply) -> Reply:
        return replace(reply, text=self.result.full_text)

    @property
    def has_outcome(self) -> bool:
        return self.result.mode != "retrieval"  # the log row already says "retrieval"

    async def complete(self, session: AsyncSession) -> None:
        await session.execute(update(AnswerLog).where(col(AnswerLog.id) == self.log_id).values(mode=self.result.mode))


@router.action(OpenFaq.action)
async def suggestion_picked(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """A “Có phải bạn muốn hỏi…” button: the curated answer of that entry, with its sources."""
    svc = ctx.services.answers
    result = svc.curated(button.faq_id if (button := OpenFaq.read(msg.choice)) else "", place(ctx))
    if result is None:
        return [menu_reply(texts.STALE_BUTTON)]
    log_id = await _log(ctx, result.question, result)
    return [Reply(result.full_text, choices=feedback_choices(ctx, log_id), columns=2)]


async def note_unanswered(ctx: Ctx, question: str, reason: str) -> None:
    """Onto the officers' list, with the asker's place when they gave it (officers see their own units)."""
    province, commune = (ctx.user.province, ctx.user.commune) if ctx.consented else (None, None)
    await record_unanswered(ctx.session, question, reason, ctx.now(), province=province, commune=commune)


async def _own_log(ctx: Ctx, log_id: int, tag: str) -> AnswerLog | None:
    """The answer's log row if the person pressing is the one who asked: their user id when it was stored
    (consent), otherwise the tag only the asker's buttons carry."""
    row = await ctx.session.get(AnswerLog, log_id)
    if row is None:
        return None
    if row.user_id is not None:
        return row if row.user_id == ctx.user_id else None
    return row if hmac.compare_digest(tag.encode(), asker_tag(ctx, log_id).encode()) else None


@router.action(NoneOfThese.action)
async def none_of_these(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """None of the suggestions fits: the question goes to the unanswered list."""
    button = NoneOfThese.read(msg.choice) or NoneOfThese(-1)
    row = await _own_log(ctx, button.log_id, button.tag)
    if row is None:
        return [menu_reply(texts.STALE_BUTTON)]
    if row.question:
        await note_unanswered(ctx, row.question, "unknown")
    return [Reply(NOTED)]


@router.action(Feedback.action)
async def feedback(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """👍 / 👎 under an answer; a 👎 also puts the question on the officers' list."""
    button = Feedback.read(msg.choice) or Feedback(-1, "")
    value = button.vote
    row = await _own_log(ctx, button.log_id, button.tag)
    if row is None or row.id is None or value not in ("u", "d"):
        return [menu_reply(texts.STALE_BUTTON)]
    await set_feedback(ctx.session, row.id, ctx.user_id if ctx.consented else None, value)
    if value == "u":
        return [Reply(THANKS_UP)]
    if row.question:
        await note_unanswered(ctx, row.question, "disliked")
    return [Reply(THANKS_DOWN)]
