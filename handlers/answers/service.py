"""The answer service: question → search → refuse, suggest, or answer (LLM from the best passages, or the
curated answer as it is), always with its sources. Channel-free; used by handlers/answers/chat.py and `hocbot ask`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
import unicodedata
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from bot.core import texts
from bot.core.tasks import cancel_and_wait
from bot.llm import LlmAnswerer, LlmResult, Passage, cap_answer
from content.asked import KINDS as ASKED_KINDS
from content.asked import AskedIndex, Nearest
from content.asked import for_entries as asked_for_entries
from content.deferred_index import Index
from content.intents import (
    about_using_the_bot,
    asks_how_to_use,
    asks_how_to_use_the_bot,
    chat_with_the_bot,
    feeling_told,
    learns_a_topic,
    names_a_lesson,
    names_a_loan,
    opens_with_small_talk,
    out_of_scope,
    small_talk,
    small_talk_said,
    told_with_small_talk,
    wants_something,
    without_other_topics,
)
from content.schema import FaqEntry
from content.search import (
    AI_CHATBOTS,
    AMOUNT,
    ANSWER_COVERAGE,
    COMMAND,
    CORE_COVERAGE,
    LONG_ANSWER_COVERAGE,
    LONG_MARGIN,
    LONG_QUESTION,
    QUESTION_FORM,
    SUGGEST_COVERAGE,
    Decision,
    Hit,
    SearchIndex,
    decide,
    entities,
    fits,
    numbers,
    places,
    without_asides,
    years_asked,
)
from content.textnorm import (
    COMPARISON,
    MISTAKEN,
    THINGS,
    actions,
    asked_actions,
    asking_clause,
    asks_clearly,
    asks_plainly,
    asks_something,
    clauses,
    content_syllables,
    fold,
    question_syllables,
    question_tail,
    story_clauses,
    told_then_asked,
)
from handlers.answers.gaps import Gap, asked_kinds, gap
from handlers.answers.store import EVERYONE, Scope, entry_scope, serves

log = logging.getLogger(__name__)

Mode = Literal["llm", "retrieval"]

FIRST_TOKEN_TIMEOUT = 2.0  # seconds: past this with no token, the curated answer goes out (3 s promise, 1 s to spare)
PASSAGES = 3
CLAUSES_AGREE = 2  # clauses of a voice-typed run-on that must find its best hit first (one of them sure of it)
CLAUSE_OWN = 2  # words of its own a run-on's clause needs for what it finds alone to count against the others
SCOPED_EXTRA = 10  # more hits looked at when some are officers' answers for another place
RETRIEVAL_SOURCES = 2
MAX_QUESTION = 500
REWRITE_MIN_SYLLABLES = 12  # a message this long that found no answer may be rewritten by the LLM
REWRITE_TIMEOUT = 1.0  # seconds; the time it took is taken off the answer's first-token deadline
MIN_FIRST_TOKEN = 1.0
STORY_POOL = 5  # hits of a whole story looked at for the next document after the best
STORY_TAIL_CORE = 0.65  # share of the asking clause's own words the story's winner must cover
STORY_MARGIN = 1.15  # the winner's score over the next document's when the asking clause finds it first too
STORY_COVERAGE = 0.4  # share of a whole story its winner must cover when it covers the asking clause
STORY_LEAD = 1.5  # a story whose asking clause asks nothing of its own: the winner's lead that lets it
STORY_LEAD_COVERAGE = 0.45  # cover less of the message than LONG_ANSWER_COVERAGE
STORY_SECOND = 1.3  # the whole story's first over its second when the asking clause alone clearly finds the second
CLEAR_LEAD = 1.7  # a story's winner this far ahead of the next document is the answer (see _clear_winner); on the
# fresh tuning file and dev_k, winners 1.51 and 1.58 ahead were wrong (a detail the entry lacks, another entry)
# When a story's asking clause is said ("giờ", "bây giờ", "trước tiên", "lúc này"), who is to act and how soon
# ("giờ nhà cháu phải làm gì trước", "ông ấy phải làm gì cho kịp"): no subject of its own.
STORY_WHO = frozenset("toi nha ca chau con em chi ay ba ong me ho kip".split())
STORY_TIME = frozenset("gio bay truoc tien luc nay".split()) | STORY_WHO
ENDING_OWN = 2  # own words (form words aside) of a story's ending that may put the whole message's answer in doubt
TAIL_AGREEMENT = 3  # the last clauses' answer must be among this many best hits of the whole message
HELD_QUESTION = 1.0  # share of an entry's own question a long message holds when that entry alone may answer it
HELD_MARGIN = 0.1  # how much less every other entry's question must be held
HELD_FIRST_MARGIN = 0.2  # a short message: how much less every other candidate's question must be held
HELD_WEIGHT = 4.0  # idf weight of a question field held whole that tells what is asked ("AI là gì" tells little)
HELD_CORE = 0.4  # share of a long message's own words the entry it holds must cover
HELD_CLAUSE_CORE = 0.6  # the same for a message of one clause (nothing tells the story from the question)
HELP_POOL = 20  # hits looked through for the bot's help entries
HELP_COVERAGE = 0.55  # share of the question a help entry must cover to be offered
HELP_LEAD = 1.5  # a help entry's score over the next document's that answers a question about using the bot
_AN_AI = re.compile(r"\bAI\b|\b(?:[Tt]rí tuệ nhân tạo|[Tt]ri tue nhan tao)\b")  # "ai" typed small is also "who"
# the lessons' name, and the menu's button for them ("mấy cái nút Học AI, Kiểm tra biến đâu mất rồi"): the bot's own
_LESSONS_NAME = re.compile(r"\b(?:[Bb]ình dân học|[Bb]inh dan hoc) AI\b"
                           r"|\b(?:[Nn]út|[Mm]ục|[Nn]ut|[Mm]uc)(?: bấm| bam)?\W{0,2}(?:[Hh]ọc|[Hh]oc) AI\b")
_THE_BOT = re.compile(r"\b(?:bot|chatbot|tro ly|may tra loi)\b")
HELP_EXTRA = 5  # more hits looked through when the bot's help entries are left out
MAX_REPLY_CHARS = 1200  # an LLM answer with its "Nguồn: …" line: one short message, whatever the model said

HELP_TOPICS = (
    "Tuần lễ học tập suốt đời, “Bình dân học AI”, cách dùng AI và chatbot an toàn, "
    "phòng lừa đảo trên mạng, dịch vụ công trực tuyến và cách dùng bot này"
)
REFUSE_UNKNOWN = (
    "Xin lỗi, mình chưa có câu trả lời cho câu hỏi này. Mình đã ghi lại để cán bộ Hội Khuyến học "
    f"bổ sung. 🙏\nMình có thể giúp bạn về: {HELP_TOPICS}."
)
REFUSE_OUT_OF_SCOPE = (
    "Xin lỗi, câu này nằm ngoài phạm vi của mình: mình không cho vay tiền, không đoán xổ số, không xem "
    "bóng đá hay thời tiết, không làm bài tập hộ, không tư vấn y tế hay pháp luật. 🙏\n"
    f"Mình có thể giúp bạn về: {HELP_TOPICS}."
)
REFUSE_HEALTH = (
    "Xin lỗi, mình không tư vấn sức khỏe hay thuốc men được. 🙏 Hãy hỏi bác sĩ hoặc nhân viên y tế xã; "
    "cấp cứu gọi 115.\n"
    f"Mình có thể giúp bạn về: {HELP_TOPICS}."
)
SMALL_TALK = {
    "greeting": f"Xin chào! 👋 Mình là trợ lý học tập của Hội Khuyến học. {texts.TYPE_OR_PICK}",
    "thanks": f"Không có gì ạ! 😊 {texts.ANYTHING_ELSE}",
    "bye": "Chào bạn, hẹn gặp lại! 👋 Lúc nào cần, bạn cứ nhắn cho mình nhé.",
    "how_are_you": f"Cảm ơn bạn, mình vẫn sẵn sàng giúp bạn! 😊 {texts.LEARN_OR_ASK}",
    "praise": f"Cảm ơn bạn đã khen! 😊 {texts.ANYTHING_ELSE}",
    "feeling": f"Cảm ơn bạn đã chia sẻ với mình. {texts.WHEN_NEEDED}",
    "complaint": "Xin lỗi bạn nhé. 🙏 Bạn thử gõ lại câu hỏi ngắn, rõ ý hơn; nếu bot vẫn trả lời sai, hãy báo cán bộ "
                 f"Hội Khuyến học nơi bạn ở. {texts.OR_PICK}",
    "ack": f"Vâng ạ! 😊 {texts.ANYTHING_ELSE}",
    # whatever is asked of it as of a person: age, family, name, whether it is tired, sad or asleep
    "about_bot": "Mình là trợ lý học tập của Hội Khuyến học, một chương trình máy tính: không có tuổi, gia đình, "
                 f"cũng không biết mệt hay buồn như người, lúc nào cũng sẵn lòng giúp bạn. 😊 {texts.LEARN_OR_ASK}",
    "unclear": f"Mình chưa hiểu ý bạn. 🙏 Bạn gõ cả câu hỏi giúp mình, ví dụ: “AI là gì?”. {texts.OR_PICK}",
    "place": "📍 Bạn muốn lưu hoặc đổi nơi ở phải không? Gõ /caidat rồi chọn “Đổi nơi ở”. Còn nếu muốn hỏi điều "
             "gì về nơi này, bạn gõ cả câu hỏi giúp mình nhé.",
}  # a text that points at the menu ends with one of texts.MENU_POINTERS: left off where the menu is not shown
SUGGEST = "Có phải bạn muốn hỏi…"
NO_LOCAL = ("Việc cụ thể ở nơi bạn (lịch, địa điểm, năm nay có làm hay không) thì mình chưa có; cán bộ Hội Khuyến "
            "học xã, phường nơi bạn ở sẽ biết rõ. Những mục gần nhất mình có:")
NO_DETAIL = "Mình chưa có con số hay ngày giờ cụ thể cho câu này. Những mục gần nhất mình có:"
NO_FEATURE = "Điều bạn hỏi thì mình chưa có thông tin chắc chắn. Những mục gần nhất mình có:"
GAP_INTROS: dict[Gap, str] = {"local": NO_LOCAL, "detail": NO_DETAIL, "feature": NO_FEATURE, "another app": SUGGEST}
HOW_TO_USE = "Hướng dẫn sử dụng bot"  # what a "how do I use it" naming nothing else is searched as
LEARN_A_TOPIC = "Các chủ đề có phải học theo thứ tự không?"  # learning one topic of the lessons, as searched
SOURCE_PREFIX = "Nguồn: "
LESSON_CHOICE = "Bài học: "  # before a lesson's title offered beside an FAQ entry with the same question
NEAR_INTRO = "Mình chưa có câu trả lời chắc chắn cho câu này. Bạn xem có phải một trong các mục sau không:"
NEAR_SIMILARITY = 0.4  # content.asked: the nearest asked question with the entry's label at least this alike
UNASKED_LEAD = 1.4  # a best hit left out of the choices for an action its questions do not ask, this far ahead: kept
NEAR_SHARE = 0.5  # and at least this share of the K nearest's votes for it
WEAK_ANSWER = 16.0  # a search answer scored below this is weak: it stands unless the nearest asked questions name
# another entry, or none, with confidence (AnswerService._unconfirmed). Chosen on T10-T12 measured untouched: plain
# answers the asked questions disagree with, scored below 16, 8 wrong / 4 right; scored above, 5 wrong / 15 right
# (with the confidence asked of them, T10-T14: below 16, 10 wrong / 2 right).
AGREE_SIMILARITY = 0.5  # answered when the nearest asked questions are this alike to it, and
AGREE_SHARE = 0.95  # all but nothing of their votes go to one of search's best entries (_asked_agree)


@dataclass
class AnswerResult:
    """What the user gets: the answer text (without the source line), its sources, and how it was made."""

    question: str
    text: str
    sources: list[tuple[str, str]] = field(default_factory=list)  # (source id, title)
    refused: bool = False
    mode: Mode = "retrieval"
    decision: Decision = "answer"
    faq_id: str | None = None  # the best curated entry / lesson passage
    out_of_scope: bool = False
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (doc id, question/title)
    llm_reason: str | None = None

    @property
    def source_line(self) -> str:
        return SOURCE_PREFIX + "; ".join(title for _, title in self.sources) if self.sources else ""

    @property
    def full_text(self) -> str:
        """The text to show: answer, a blank line, "Nguồn: …"."""
        return f"{self.text}\n\n{self.source_line}" if self.sources else self.text

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "question": self.question,
            "answer": self.text,
            "sources": [{"id": sid, "title": title} for sid, title in self.sources],
            "refused": self.refused,
            "mode": self.mode,
        }
        if self.suggestions:
            data["suggestions"] = [{"id": did, "title": title} for did, title in self.suggestions]
        return data


@dataclass
class Plan:
    """A question after search: what to do, the passages for the LLM and the curated fallback."""

    question: str
    hits: list[Hit]
    fallback: AnswerResult
    passages: list[Passage] = field(default_factory=list)
    spent: float = 0.0  # seconds already used before the answer (the rewrite), taken off the LLM deadlines
    rules: list[str] = field(default_factory=list)  # the readings (READINGS) that changed what search decided

    @property
    def decision(self) -> Decision:
        return self.fallback.decision


class AnswerService:
    """Built once per process. `llm` None → retrieval-only answers."""

    def __init__(
        self,
        catalog: Any,
        search: Index | None = None,
        llm: LlmAnswerer | None = None,
        *,
        total_timeout: float = 8.0,
        first_token_timeout: float = FIRST_TOKEN_TIMEOUT,
        cache_dir: Path | None = None,
    ) -> None:
        self.catalog = catalog
        self.cache_dir = cache_dir  # where the asked questions' index is kept between runs (HOCBOT_CACHE_DIR)
        self._asked: AskedIndex | None = None
        self.search = search or SearchIndex.from_catalog(catalog)
        self.llm = llm
        self.total_timeout = total_timeout
        self.first_token_timeout = min(first_token_timeout, total_timeout)
        self.published: set[int] = set()  # approved officers' answers already in this process's index

    # ---- retrieval ---------------------------------------------------------------------------------

    def source_title(self, ref: str) -> str:
        title = self.catalog.source_title(ref) if self.catalog is not None else None
        return str(title or ref)

    def _sources(self, refs: Sequence[str], limit: int) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for ref in refs:
            if ref not in (sid for sid, _ in out):
                out.append((ref, self.source_title(ref)))
            if len(out) >= limit:
                break
        return out

    def _serves(self, hit: Hit, place: Scope) -> bool:
        """Officers' answers are given only where they apply (handlers/answers/store.py); content everywhere."""
        return hit.kind != "faq" or serves(entry_scope(self.search.faq_entry(hit.doc_id)), place)

    def _search(self, query: str, place: Scope, k: int = PASSAGES) -> list[Hit]:
        hits = self.search.search(query, k)
        if all(self._serves(h, place) for h in hits):
            return hits
        wider = self.search.search(query, k + SCOPED_EXTRA)  # another commune's answer was among them
        return [h for h in wider if self._serves(h, place)][:k]

    def plan(self, question: str, query: str | None = None, place: Scope = EVERYONE) -> Plan:
        """Small talk, or search and decide; the curated result is ready for every decision. `query` (a short
        rewrite of a rambling question) is what is searched; the question stays what is shown and answered.
        `place` (province, commune) of the asker: officers' answers for another place are not used."""
        rules: list[str] = []
        planned = self._planned(question, query, place, rules)
        planned.rules = [*planned.rules, *rules]  # a story told aside: its rest's readings
        return planned

    def _read(self, message: _Message, decision: Decision, hits: list[Hit], rules: list[str]
              ) -> tuple[Decision, list[Hit]]:
        """The message read again by each of READINGS in turn, where it applies to the decision so far; the
        names of those that changed the decision or the best hit are added to `rules`."""
        for reading in READINGS:
            if decision not in reading.applies:
                continue
            before = (decision, _base(hits[0]) if hits else None)
            decision, hits = reading.read(self, message, decision, hits)
            if (decision, _base(hits[0]) if hits else None) != before:
                rules.append(reading.name)
        return decision, hits

    def _planned(self, question: str, query: str | None, place: Scope, rules: list[str]) -> Plan:
        q = " ".join(question.split())[:MAX_QUESTION]
        chat = (small_talk(q) or chat_with_the_bot(q) or feeling_told(q)) if q else None
        if chat is not None:
            return Plan(q, [], AnswerResult(q, SMALL_TALK[chat], decision="smalltalk"))
        scope = out_of_scope(q) if q else None  # computed once: every step below asks it
        if q and not query and scope is None and not COMMAND.search(q) and _vague(q) \
                and len(q.split()) <= VAGUE_WORDS:
            # "giờ sao", "bây giờ làm sao", "lam j bh": asked of nothing named, so no entry is the answer
            return Plan(q, [], AnswerResult(q, SMALL_TALK["unclear"], decision="smalltalk"))
        aside = self._told_aside(q, place) if q and not query and scope else None
        if aside is not None:
            return aside
        told, said = (_told(q), without_asides(q)) if q else ("", "")  # what is searched; what the asker said
        own = bool(q) and not query and scope is None  # the steps that read the message itself
        if query and scope is None:
            q_search = query
        elif asks_how_to_use_the_bot(q) and scope is None:
            q_search = HOW_TO_USE  # "chỉ tôi cách dùng": the bot's guide, not how to use ChatGPT
        elif learns_a_topic(q) and scope is None:
            q_search = LEARN_A_TOPIC  # "học riêng phần chống lừa đảo thì vào đâu": the lessons, not the scams
        else:
            q_search = told  # "…, không phải Zalo nha": what it is not about is not searched
        hits = self._search(q_search, place) if q else []
        searched = hits if q_search == told else None
        decision: Decision = decide(q_search, hits) if q else "refuse"
        if own:
            decision, hits = self._read(_Message(told, said, place, searched), decision, hits, rules)
        if decision != "answer" and q and COMMAND.search(q) and scope is None:
            decision, hits = self._command(q, q_search, decision, hits)
        if (decision == "refuse" or (decision == "suggest" and fits(hits[0]) and hits[0].coverage < SUGGEST_COVERAGE)) \
                and q and scope is None and about_using_the_bot(q):
            # refused, or only offered as the clear winner of a diluted question: the bot's help entries first
            decision, hits = self._help(q_search, decision, hits)
        if decision == "suggest" and q and scope is None and about_using_the_bot(q) and _help_leads(hits):
            decision = "answer"  # "đổi xã đang ở": the bot's help gives the command, the others are far behind
        if decision == "answer" and own and MISTAKEN in actions(told) and self._not_mistaken(told, hits[0]):
            decision = "refuse"  # "mẹ chuyển nhầm số tài khoản của ai đó thì xử lý sao": no scam, nor a leaked password
        if decision == "answer" and own and self._of_an_ai_not_the_bot(q, hits):
            decision, hits = self._without_bot_help(told, hits)
        if decision == "answer" and own and _unnamed_thing(q, hits):
            decision = "suggest"  # "… quên mật khẩu mở máy thì làm sao": VNeID's steps, Zalo's too; the phone's?
        if decision == "suggest" and q and not query and q_search != q:
            decision, hits = self._not_the_other(q, q_search, decision, hits)
        if decision == "answer" and not query and not hits[0].asks and asks_how_to_use(q, named := entities(q)) \
                and named:
            # "cách dùng zalo": only an entry one of whose questions asks that answers it, not one that names Zalo
            decision = "suggest" if any(fits(h) for h in hits) else "refuse"
        if decision != "refuse" and own and not asks_something(q) \
                and (opens_with_small_talk(q) or told_with_small_talk(q)) is not None:
            decision = "refuse"  # "Chào cháu bot nhé, bà tám mươi tuổi rồi mới tập nhắn tin đấy": chat, nothing asked
        if decision == "refuse":
            kind = (scope or out_of_scope(q_search)) if q else None
            # "Chào cháu bot nhé, bà tám mươi rồi mới tập nhắn tin đấy", or a longer story that asks nothing and ends
            # with small talk ("… Tối rảnh mở bot ra đọc mấy bài. Chúc bot ngủ ngon nhé"): nothing asked
            opener = (opens_with_small_talk(q) or told_with_small_talk(q)) \
                if q and not kind and not query and not asks_something(q) else None
            if opener is not None:
                return Plan(q, hits, AnswerResult(q, SMALL_TALK[opener], decision="smalltalk"))
            if own and not kind and _untold_of_a_named_thing(told, hits):
                # "VssID của tôi không hiện quá trình đóng bảo hiểm": why it does not show no entry tells, but the
                # entries about VssID are near: not known for sure, and those offered
                return self._offered(q, hits, NO_FEATURE)
            # a word of another field in a story ("đánh rơi thẻ căn cước ở bến xe", "cần tiền mua phân") is no request
            # out of scope when the asked questions nearest to the message agree on one of search's best: chosen on
            # the fresh tuning questions, ten folds (refused as out of scope, not health: 6 answerable answered right
            # with the entry they agree on, 0 of the 1,144 out-of-scope requests nor the 41 unsure answered)
            asked = self.asked().nearest(q) if q and kind != "health" else None
            agreed = _asked_agree(asked, hits)
            if kind and agreed is None:
                asked = None  # out of scope after all: nothing nearer is offered
            if agreed is not None:
                # the asked questions nearest to it, all of one entry, and one of search's best fits it
                decision, hits = "answer", [agreed, *(h for h in hits if h is not agreed)]
                rules.append("asked agree" if not kind else "asked agree, not out of scope")
            elif (chatted := self._chat_asked(q, asked)) is not None:
                rules.append("asked small talk")
                return chatted
            else:
                near = self._near_asked(q, hits, asked) if asked is not None else None
                if near is not None:
                    rules.append("nearest asked")
                    return near
                text = REFUSE_HEALTH if kind == "health" else REFUSE_OUT_OF_SCOPE if kind else REFUSE_UNKNOWN
                return Plan(q, hits, AnswerResult(q, text, refused=True, decision="refuse", out_of_scope=bool(kind)))
        if decision == "suggest" and own:
            nearest = self.asked().nearest(q)  # once: whether its choices agree, and whether it is small talk after all
            decision, hits = self._offer_agreed(hits, rules, nearest)
            if decision == "suggest" and (chatted := self._chat_asked(q, nearest)) is not None:
                rules.append("asked small talk")
                return chatted
        if decision == "suggest":
            return self._offered(q, hits, SUGGEST)
        top = hits[0]
        shown = self._lesson_text(top) or top.text.strip()
        entry = self.search.faq_entry(top.doc_id)
        if self._answers_the_told(q, top):
            return self._offered(q, hits, SUGGEST)  # "Ngày Khuyến học là 2/10, còn Ngày Sách là ngày nào"
        missing = gap(q, told, shown, top, _bot_help(entry), entry_scope(entry) == EVERYONE)
        if missing is not None:  # the entry is about the topic, not about what was asked of it
            return self._offered(q, hits, GAP_INTROS[missing])
        read_into = bool(_READ_INTO_AN_ANSWER & set(rules))
        if own and (read_into or top.score < WEAK_ANSWER):
            doubted = self._unconfirmed(q, hits, sure_only=not read_into)
            if doubted is not None:
                rules.append("asked disagrees" if read_into else "asked disagrees, weak answer")
                return doubted
        result = AnswerResult(q, shown,
                              self._sources(top.sources, RETRIEVAL_SOURCES), decision="answer", faq_id=top.doc_id)
        return Plan(q, hits, result, self._passages(hits, result.text))

    def _not_mistaken(self, told: str, top: Hit) -> bool:
        """Money sent to the wrong account by mistake, told anywhere in the message (the story of "… chuyển nhầm …
        thì xử lý thế nào"), and an answer none of whose questions asks that: a scam's steps, not its own."""
        found = self.search.search(told, 1, among=[top.doc_id])
        return not found or MISTAKEN in found[0].unasked

    def _of_an_ai_not_the_bot(self, q: str, hits: Sequence[Hit]) -> bool:
        """The answer found is one of the bot's own help entries, while the message speaks of an AI ("AI", ChatGPT,
        Gemini) and never of the bot: "Răng mà AI hắn trả lời sai được" asks why an AI errs, not where to report
        the bot's mistakes ("Bot trả lời sai thì báo cho ai?" shares its words, "ai" being "who")."""
        entry = self.search.faq_entry(hits[0].doc_id) if hits else None
        if entry is None or not _bot_help(entry) or not _THE_BOT.search(fold(entry.question)):
            return False  # only an entry about the bot itself ("Bình dân học AI" is the lessons, about AI)
        if about_using_the_bot(q) or _THE_BOT.search(fold(q)):
            return False
        said = _LESSONS_NAME.sub(" ", unicodedata.normalize("NFC", q))
        return bool(_AN_AI.search(said)) or bool(entities(q) & AI_CHATBOTS)

    def _without_bot_help(self, q: str, hits: Sequence[Hit]) -> tuple[Decision, list[Hit]]:
        """The message searched again without the bot's help entries: answered when sure, else asked (what is
        about an AI offered first)."""
        others = [h for h in self.search.search(q, PASSAGES + HELP_EXTRA)
                  if not _bot_help(self.search.faq_entry(h.doc_id))][:PASSAGES]
        if others and decide(q, others) == "answer":
            return "answer", others
        return "suggest", [*others, *(h for h in hits if _base(h) not in {_base(o) for o in others})]

    def _answers_the_told(self, q: str, top: Hit) -> bool:
        """A message that tells what one thing is and asks the same of another ("Thông tư 02 là khung cho người học,
        còn khung cho giáo viên là thông tư nào", "156 là báo lừa đảo, còn tổng đài VssID là số mấy"): the entry
        that the telling clause finds by itself is what the asker already knows, not the answer."""
        contrast = _CONTRAST.match(unicodedata.normalize("NFC", q).lower())
        if contrast is None or asks_something(contrast.group(1)) or not asks_something(contrast.group(2)):
            return False
        told = self.search.search(contrast.group(1), 1)
        return bool(told) and _base(told[0]) == _base(top)

    @staticmethod
    def _offer_agreed(hits: list[Hit], rules: list[str], near: Nearest | None) -> tuple[Decision, list[Hit]]:
        """A near tie search would offer ("Có phải bạn muốn hỏi…") is answered with one of its choices when the asked
        questions nearest to the message all name that one (`_asked_agree`, the rule a refusal is answered by).
        Cross-validated on the fresh tuning questions before use (bench.faq_asked --cv, ten folds, each compared
        with the asked questions of the others), at the refusal's thresholds (similarity 0.5, share 0.95): the
        choice offered first answered 46 times right and 3 wrong (35 and 0 at 0.6, 58 and 4 at 0.4); a later choice
        11 right, none wrong. Rerun with T34-T45 (bench/results/faq_asked.json): 54 and 4, 16 and 0."""
        agreed = _asked_agree(near, hits)
        if agreed is None:
            return "suggest", hits
        rules.append("asked agree, offered")
        return "answer", [agreed, *(h for h in hits if h is not agreed)]

    def _offered(self, q: str, hits: Sequence[Hit], intro: str) -> Plan:
        """The best hits offered as choices under `intro` ("Có phải bạn muốn hỏi…", or why none is the answer)."""
        return self._choices(q, hits, self.suggestions(self._held_ahead(without_asides(q), hits)), intro)

    def asked(self) -> AskedIndex:
        """The asked questions (content.asked) with the FAQ entries' own, read once per process and kept here (finding
        the process's copy reads data/asked.tsv and hashes it: 20 ms a refused message did not need)."""
        if self._asked is None:
            self._asked = asked_for_entries(self.catalog.faq if self.catalog is not None else [],
                                            cache_dir=self.cache_dir)
        return self._asked

    def _chat_asked(self, q: str, near: Nearest | None) -> Plan | None:
        """A message search refused or only guessed at, with no question mark, whose nearest asked questions agree that
        it is small talk (NEAR_SIMILARITY, NEAR_SHARE): "hay quá đi", "Tết đến rồi, chúc bot … an khang nha" get the
        small talk reply, not "chưa có câu trả lời" nor a list of entries. Chosen on the fresh tuning questions,
        cross-validated in ten blocks (each against the asked questions of the other nine): refused ones 6 small talk,
        0 else (1 question with "?", left out); guessed at, 7 small talk, 0 else."""
        if near is None or near.label != "-smalltalk" or "?" in q or near.similarity < NEAR_SIMILARITY \
                or near.share < NEAR_SHARE or wants_something(q):  # "Tạm biệt bot nhé, tôi muốn chặn số lạ"
            return None
        return Plan(q, [], AnswerResult(q, SMALL_TALK[small_talk_said(q)], decision="smalltalk"))

    def _near_asked(self, q: str, hits: Sequence[Hit], near: Nearest) -> Plan | None:
        """A message search refused whose nearest asked questions agree on one entry or lesson (NEAR_SIMILARITY,
        NEAR_SHARE, chosen on the tuning questions alone): that one offered first, then search's best, under
        NEAR_INTRO. Offered, not answered with (unless search found it best too: `_asked_agree`): wording like a
        question the entry answers does not show that it answers this one ("sổ sức khỏe điện tử không thấy lần khám
        tháng trước" is no question of an entry's)."""
        if near.label in ASKED_KINDS or near.similarity < NEAR_SIMILARITY or near.share < NEAR_SHARE:
            return None
        title = self._title(near.label)
        if title is None:
            return None
        rest = [(d, t) for d, t in self.suggestions(hits) if d.split("#", 1)[0] != near.label]
        return self._choices(q, hits, [(near.label, title), *rest][:PASSAGES], NEAR_INTRO)

    def _unconfirmed(self, q: str, hits: Sequence[Hit], sure_only: bool = False) -> Plan | None:
        """An answer search alone was unsure of, made by a reading of the message (a story's last clause, the clause
        that asks…), stands only when the asked questions nearest to the message (content.asked, a reading of its own)
        name the same entry; else the two are offered, the reading's first. Chosen on fresh questions measured before
        any tuning on them (T10 and T11 at b4670d3: readings' answers with the asked questions agreeing 12 right, 0
        wrong; disagreeing 1 right, 7 wrong) and cross-validated on the tuning questions (`python -m bench.faq_asked
        --cv`: agreeing 261 right, 3 wrong; disagreeing 42 right, 10 wrong, the readings being tuned on those).
        Offered rather than answered, the reading's choice still comes first.

        With `sure_only` (a plain search answer scored below WEAK_ANSWER), only asked questions that are near and
        agree among themselves (NEAR_SIMILARITY, NEAR_SHARE) count against it, and when they are out-of-scope
        requests the message is refused as one ("Cho tôi công thức muối dưa cải" matched "đưa", "cài" of the OTP
        warning). Chosen on T10-T14, each measured untouched (such answers, scored below 16 with confident asked
        questions disagreeing: 10 wrong, 2 right; with any nearest asked questions disagreeing: 15 wrong, 9 right)."""
        near = self.asked().nearest(q)
        if near is not None and near.label != _base(hits[0]) \
                and (typed := self.asked().nearest(q, same=True)) is not None \
                and _base(hits[0]) in (typed.label, *typed.also):
            return None  # a tuning question typed word for word, of this entry ("bot có mất tiền không")
        if near is None or near.label == _base(hits[0]) or (near.label not in ASKED_KINDS
                                                            and self._title(near.label) is None):
            return None  # nothing near, or near questions of an entry this index does not have: no second reading
        if self._asking_clause_agrees(q, hits[0]):
            return None
        if sure_only and (near.similarity < NEAR_SIMILARITY or near.share < NEAR_SHARE or _asked_whole(hits[0])):
            return None
        if sure_only and near.label == "-refuse":
            return Plan(q, list(hits), AnswerResult(q, REFUSE_OUT_OF_SCOPE, refused=True, decision="refuse",
                                                    out_of_scope=True))
        picks = [(hits[0].doc_id, hits[0].title),
                 *((d, t) for d, t in self.suggestions(hits) if _base_id(d) != _base(hits[0]))]
        if near is not None and near.label not in ASKED_KINDS and near.similarity >= NEAR_SIMILARITY \
                and near.share >= NEAR_SHARE and (title := self._title(near.label)) is not None:
            rest = [(d, t) for d, t in picks[1:] if _base_id(d) != near.label]
            picks = [picks[0], (near.label, title), *rest]
        return self._choices(q, hits, picks[:PASSAGES], NEAR_INTRO)

    def _asking_clause_agrees(self, q: str, top: Hit) -> bool:
        """The message tells a story, then asks in a clause of its own ("Tôi thấy ủy ban treo băng rôn tuần lễ học
        tập suốt đời đầu tháng 10, tôi là nông dân thì hưởng ứng kiểu gì?"), and the asked questions nearest to
        that clause alone name the answer's entry, near and agreeing (NEAR_SIMILARITY, NEAR_SHARE): the story's
        words drew the whole message's neighbours to what it tells (the Week itself), not to what it asks."""
        clauses = [c for c in _CLAUSE_END.split(q) if c.strip()]
        asking = next((c for c in reversed(clauses) if asks_something(c)), None)
        if len(clauses) < 2 or asking is None:
            return False
        near = self.asked().nearest(asking)
        return near is not None and near.label == _base(top) and near.similarity >= NEAR_SIMILARITY \
            and near.share >= NEAR_SHARE

    def _choices(self, q: str, hits: Sequence[Hit], picks: list[tuple[str, str]], intro: str) -> Plan:
        """`picks` (doc id, title) offered under `intro`, one "•" line each; the first is what the log names. Two
        with the same title (the lesson "Chatbot là gì?" and the FAQ entry asking it) are two different buttons:
        the lesson's is called one (LESSON_CHOICE)."""
        titles = Counter(title for _, title in picks)
        picks = [(d, LESSON_CHOICE + title if titles[title] > 1 and self.search.faq_entry(d) is None else title)
                 for d, title in picks]
        lines = "\n".join(f"• {title}" for _, title in picks)
        return Plan(q, list(hits), AnswerResult(q, f"{intro}\n{lines}", decision="suggest", suggestions=picks,
                                                faq_id=picks[0][0]))

    def _title(self, doc_id: str) -> str | None:
        """What a suggestion of one entry or lesson shows: the entry's question, the lesson's title."""
        entry = self.search.faq_entry(doc_id)
        if entry is not None:
            return entry.question if entry_scope(entry) == EVERYONE else None
        found = self.catalog.lesson_by_id(doc_id) if self.catalog is not None else None
        return found[1].title if found is not None else None

    def _held_ahead(self, q: str, hits: Sequence[Hit]) -> list[Hit]:
        """The choices in the order they are offered: a fitting FAQ entry one of whose own questions the message
        holds whole (SearchIndex.held) goes first when the best hit's questions are held clearly less ("học tập
        suốt đời nghĩa là sao, về hưu rồi còn học gì" holds "Học tập suốt đời là gì?" whole, "Vì sao cần học tập
        suốt đời" only in part): the best candidate is the one whose question was asked. A lesson passage (scored
        down by LESSON_FACTOR, with no question of its own to be held) that covers more of the message's own words
        (its form words aside) than the first hit goes first too ("Ngày Khuyến học Việt Nam là ngày nào? Có phải
        cũng là ngày khai mạc Tuần lễ không?": the lesson on both days before the entry comparing them; "deepfake là
        j, đọc ntn": the lesson that also says how it is read before the entry that only says what it is)."""
        if len(hits) < 2:
            return list(hits)
        first = self.search.held(q, hits[0].doc_id).share
        for i, h in enumerate(hits[1:], 1):
            if (h.kind == "lesson" and fits(h) and h.core > max(hits[0].core, CORE_COVERAGE)
                    and _base(h) != _base(hits[0])):
                return [h, *hits[:i], *hits[i + 1:]]
            if h.kind != "faq" or not fits(h) or h.core < CORE_COVERAGE or h.coverage < LONG_ANSWER_COVERAGE:
                continue
            mine = self.search.held(q, h.doc_id)
            if mine.share >= HELD_QUESTION > first + HELD_FIRST_MARGIN and mine.weight >= HELD_WEIGHT:
                return [h, *hits[:i], *hits[i + 1:]]
        return list(hits)

    def _passages(self, hits: Sequence[Hit], shown: str) -> list[Passage]:
        """What the model may answer from: the answer's own entry, and for a lesson the whole lesson, as the
        curated answer shows it. One matched chunk of a lesson may stop before the sentence that answers; a model
        restating it gave a confident answer without it where the curated one was right (fresh tuning file with
        the fake LLM: 8 such wrong answers, "ảnh do AI làm … có phải ghi chú gì không" without its label)."""
        own = answer_passages(hits)
        top = own[0]
        if top.kind == "lesson" and shown:
            return [Passage("[1]", top.doc_id, top.title, shown, top.sources)]
        return [Passage(f"[{i}]", h.doc_id, h.title, h.text, h.sources) for i, h in enumerate(own, 1)]

    def _asked_first(self, q: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """A question asked first and then told about, the clauses after it asking nothing ("ko có mạng thì xài
        chat gpt dc ko, ở quê sóng yếu lắm", "Bình dân học AI là phong trào chi ạ? Ở xã cháu mới nghe nói."): what
        is told after it only says why it is asked. The asking clause's sure answer is taken when one of its
        questions asks just that and the whole message has it among its best; nothing named after the question
        (another app, a number) may be left out."""
        parts = story_clauses(q)
        last = max((i for i, c in enumerate(parts) if asks_something(c)), default=len(parts) - 1)
        if last >= len(parts) - 1:
            return decision, hits
        asked, after = " ".join(parts[:last + 1]), " ".join(parts[last + 1:])
        if (entities(after) - entities(asked)) or (numbers(after) - numbers(asked)) or AMOUNT.search(after) \
                or len(_own_words(asked)) < ENDING_OWN:
            return decision, hits
        found = self.search.search(asked, PASSAGES)
        if not found or (hits and _base(found[0]) == _base(hits[0])):
            return decision, hits
        if decide(asked, found) != "answer" or not found[0].exact or not fits(found[0]):
            return decision, hits
        if not any(_base(h) == _base(found[0]) for h in hits[:TAIL_AGREEMENT]):
            return decision, hits
        return "answer", found

    def _is_it(self, q: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """"X có phải (là) Y không" asks what X is ("Mật khẩu gia đình có phải là mật khẩu Wi-Fi trong nhà không?"),
        and so does "X là gì, có phải (là) Y không" ("Khuyến tài là gì, có phải là khen thưởng người học giỏi không"):
        when X alone is surely what one entry asks about and the whole message's best does not cover X (a
        comparison of the two does), X's entry is the answer (it tells what X is) when the whole message has it
        among its best, else it is offered first."""
        m = _IS_IT_SAID.search(q)
        if m is None or not hits or decision == "refuse":
            return decision, hits
        subject_part = q[:m.start()].strip()
        defined = _DEFINED_FIRST.fullmatch(subject_part)  # "Khuyến tài là gì, có phải là …": X asked what it is first
        if defined:
            subject_part = defined.group(1)
        if not subject_part or _PUNCTUATION.search(subject_part) or len(_own_words(subject_part)) < ENDING_OWN:
            return decision, hits
        found = self.search.search(subject_part, PASSAGES)
        if not found or decide(subject_part, found) != "answer" or not found[0].asks or not fits(found[0]):
            return decision, hits
        if _base(found[0]) == _base(hits[0]):
            return decision, hits
        entry = self.search.faq_entry(found[0].doc_id)
        if entry is None or not _WHAT_IS.search(fold(entry.question)):
            return decision, hits  # X's entry must tell what X is
        other = self.search.search(q[m.end():], 1)
        if not other or _base(other[0]) != _base(hits[0]):
            return decision, hits  # the whole message found what is asked of X, not the other thing Y it names
        mine = self.search.search(subject_part, 1, among=[hits[0].doc_id])
        if mine and (mine[0].asks if defined else mine[0].core >= STORY_TAIL_CORE):
            return decision, hits  # "Bình dân học vụ số có phải là Bình dân học AI không": the entry on both (asked
            # what X is first, the best must ask about X, not only say its words: "khuyến" and "tài" of a scholarship)
        if any(_base(h) == _base(found[0]) for h in hits[:TAIL_AGREEMENT]):
            return "answer", found
        return "suggest", [found[0], *hits]

    def _what_now(self, q: str, decision: Decision, hits: list[Hit], said: str | None = None
                  ) -> tuple[Decision, list[Hit]]:
        """A story whose ending asks nothing of its own ("… lỡ chuyển 30 triệu cho kẻ xưng điện lực. Giờ phải làm
        gì?") asks what to do about the last thing the story tells was done: searched as asking that action, the
        entries that ask it come first, and one is answered when it is sure. A short one too when it tells a thing
        done by mistake ("bà lỡ chuyển 30 triệu cho đứa lừa rồi, giờ làm gì")."""
        if len(content_syllables(q)) < LONG_QUESTION and not _DONE.search(unicodedata.normalize("NFC", q).lower()):
            return decision, hits
        ending = question_tail(q) or asking_clause(q)
        if ending is None or not _vague(ending) or actions(ending):
            return decision, hits
        acts = asked_actions(said or q)  # as said: "chuyển 30 triệu" is a transfer, searched without its amount
        if not acts:
            return decision, hits
        found = self.search.search(q, PASSAGES, asked=acts)
        if not found:
            return decision, hits
        entry = self.search.faq_entry(found[0].doc_id)
        if decide(q, found) != "answer" or entry is None or _WHETHER.search(fold(entry.question)):
            # "Có ai hỏi mã OTP thì có nên đưa không?" tells whether to, not what to do now; nor does a near tie
            return self._done_what_now(q, decision, hits, found)
        return "answer", found

    def _done_what_now(self, q: str, decision: Decision, hits: list[Hit], found: list[Hit]
                       ) -> tuple[Decision, list[Hit]]:
        """A story telling a thing already done by mistake ("Tôi lỡ chuyển 5 triệu đặt cọc …, giờ nó chặn tôi rồi",
        "… lỡ đọc mã OTP … Sáng nay tài khoản bị trừ mười triệu") and asking only what now, whose search for the deed
        it tells finds no sure answer, or one telling whether to do it (too late for that): the one entry among its
        best that asks the deed and what to do once it is done ("Lỡ chuyển tiền cho kẻ lừa đảo rồi thì phải làm
        gì?") answers it."""
        if not _DONE.search(unicodedata.normalize("NFC", q).lower()):
            return decision, hits
        done = [h for h in found[:TAIL_AGREEMENT] if fits(h) and not h.unasked and h.core >= CORE_COVERAGE
                and (entry := self.search.faq_entry(h.doc_id)) is not None and _after_done(entry)]
        if len({_base(h) for h in done}) != 1:
            return decision, hits
        return "answer", [done[0], *(h for h in found if h is not done[0])]

    def _done_now_what(self, q: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """A message telling a thing already done by mistake ("bà lỡ đọc mấy con số nhắn về máy cho người lạ rồi")
        and asking only what to do now ("chừ làm răng"), answered with an entry that tells whether to do it ("Có ai
        hỏi mã OTP thì có nên đưa không?") or how to beware of it ("Cảnh giác với người mạo danh ngân hàng … thế
        nào?"): too late for that. One of the best hits whose questions ask what to do
        once it is done ("Lỡ đọc mã OTP cho người lạ rồi thì phải làm gì?") is the answer."""
        if len(hits) < 2 or not _DONE.search(unicodedata.normalize("NFC", q).lower()):
            return decision, hits
        parts = story_clauses(q)
        ending = parts[-1] if len(parts) > 1 else None  # "…, giờ tính sao": the last clause alone asks what now
        if ending is None or _own_words(ending) - _WHAT_TO_DO_WORDS or not _WHAT_TO_DO.search(fold(ending)):
            return decision, hits
        entry = self.search.faq_entry(hits[0].doc_id)
        if entry is None or _after_done(entry):
            return decision, hits  # "… rồi thì sao" among its questions: it tells what to do once done too
        for hit in hits[1:TAIL_AGREEMENT]:
            other = self.search.faq_entry(hit.doc_id)
            if other is not None and fits(hit) and hit.core >= CORE_COVERAGE and _after_done(other):
                return "answer", [hit, *(h for h in hits if h is not hit)]
        return decision, hits

    def _asked_again(self, q: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """A voice-typed run-on whose last clause asks only whether to do what the clause before it tells someone asked
        for ("… sim sắp bị khóa … rồi bảo đọc cái mã vừa nhắn về máy thì có đọc không"): what is asked is that deed,
        from where its verb is said on ("đọc cái mã vừa nhắn về máy"), not the story around it. Its sure answer is
        taken when the whole message has it among its best."""
        if _PUNCTUATION.search(q.rstrip("?!.… ")):
            return decision, hits  # a run-on as voice typing leaves it: a story told in sentences frames its question
        parts = story_clauses(q)
        m = _ASKED_AGAIN.match(fold(parts[-1])) if len(parts) > 1 else None
        if m is None or m.group(1) in _NOT_A_DEED or not hits:
            return decision, hits
        before = f" {fold(parts[-2])} "
        at = before.rfind(f" {m.group(1)} ")
        if at < 0:
            return decision, hits
        asked = f"{before[at:].strip()} {fold(parts[-1])}"
        if len(_own_words(asked)) <= ENDING_OWN or self._tail_core([asked], hits[0]) >= STORY_TAIL_CORE:
            return decision, hits  # the story's winner tells of that deed too ("… bấm link để mở. Có nên bấm không")
        found = self.search.search(asked, PASSAGES)
        if not found or decide(asked, found) != "answer" or not fits(found[0]) or _base(found[0]) == _base(hits[0]):
            return decision, hits
        if not any(_base(h) == _base(found[0]) for h in hits[:TAIL_AGREEMENT]):
            return decision, hits
        return "answer", found

    def _asked_at_the_end(self, q: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """A long story whose whole message finds a sure answer that does not cover what its ending asks in its own
        words, while another of its best hits is an entry one of whose questions asks all of it ("… họ gọi nói là
        shipper giao hàng …, má tui chuyển rồi, giờ tiền mất rồi thì làm gì được không": the entry telling the shipper
        trick, and the one on what to do once the money is gone): which one is meant is asked, that one first."""
        if len(content_syllables(q)) < LONG_QUESTION or len(hits) < 2:
            return decision, hits
        ending = question_tail(q)
        if ending is None:
            return self._run_on_asked_exactly(q, decision, hits)
        if len(_own_words(ending)) < ENDING_OWN or entities(q) - entities(ending):
            return decision, hits
        if hits[0].exact and hits[0].asks and fits(hits[0]):
            return decision, hits  # "Tui gửi tin nhắn thoại mà bot hổng trả lời, sao vậy?": one question asks it all
        found = self.search.search(ending, PASSAGES)
        if found and not (decide(ending, found) == "answer" and found[0].asks and fits(found[0])):
            return self._asked_to_do(q, ending, decision, hits)
        if not found:
            return decision, hits
        best = found[0]
        if _base(best) == _base(hits[0]):
            return decision, hits
        if best.exact and decision == "answer" and not asked_actions(ending):
            # the ending asks just what one entry's question asks ("…, mà dòng họ học tập là như nào ạ"): the story
            # before it ("ông em muốn cả họ cùng đăng ký dòng họ học tập") says why, that entry answers
            mine = next((h for h in hits[1:] if _base(h) == _base(best) and fits(h)), None)
            if mine is not None:
                return "answer", [mine, *(h for h in hits if h is not mine)]
        if self._tail_core([ending], hits[0]) >= STORY_TAIL_CORE:
            return decision, hits
        mine = next((h for h in hits[1:] if _base(h) == _base(best) and fits(h)), None)
        if mine is None or self._tail_core([ending], mine) < 1.0:
            return decision, hits
        return "suggest", [mine, *(h for h in hits if h is not mine)]

    def _run_on_asked_exactly(self, q: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """A voice-typed run-on, its story first and its question last with no punctuation between ("ờ cháu tôi cài
        cho tôi cái bot này rồi đi làm luôn chưa kịp chỉ thì là cái bot này dùng để làm gì vậy hỏi được những cái
        gì"): the story's words ("đi làm", "chưa kịp") surely found another entry (what to do once scammed), while
        the asking clause alone asks just what one entry's question asks, naming all the message names. That entry
        answers when it is among the whole message's best, or when the asking clause finds it CLEAR_LEAD ahead of the
        next document (the story's words may push it out of the whole message's best: "à con gái tôi cài cho tôi cái
        bot này rồi lên tỉnh đi làm luôn thì là cái bot này dùng để làm gì")."""
        ending = asking_clause(q)
        if ending is None or len(_own_words(ending)) < ENDING_OWN \
                or entities(q) - entities(ending) or asked_actions(ending):
            return decision, hits
        found = self.search.search(ending, PASSAGES)
        if not found or not found[0].exact or decide(ending, found) != "answer" or not fits(found[0]) \
                or _base(found[0]) == _base(hits[0]):
            return decision, hits
        mine = next((h for h in hits[1:TAIL_AGREEMENT] if _base(h) == _base(found[0]) and fits(h)), None)
        if mine is not None:
            return "answer", [mine, *(h for h in hits if h is not mine)]
        nxt = next((h for h in found[1:] if _base(h) != _base(found[0])), None)
        if nxt is None or found[0].score >= CLEAR_LEAD * nxt.score:
            return "answer", found
        return decision, hits

    def _asked_exactly(self, q: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """A message with one clause that asks, and after it clauses that tell ("Bác hỏi con, gia đình học tập là gì
        vậy con, ấp đang vận động nhà nào cũng đăng ký"), whose whole message found a sure answer that the asking clause
        alone does not: when that clause alone finds, sure, an entry one of whose questions asks exactly it, the story's
        words ("đăng ký") tipped the whole message to a neighbour (registering a model), and that entry is answered."""
        if len(content_syllables(q)) < LONG_QUESTION:
            return decision, hits
        parts = story_clauses(q)
        asking = [p for p in parts if asks_plainly(p)]
        if len(parts) < 2 or len(asking) != 1 or asking[0] == parts[-1] or len(_own_words(asking[0])) < ENDING_OWN:
            return decision, hits  # asked last, the story before it is told first: see _clause_in_story
        found = self.search.search(asking[0], PASSAGES)
        if not found or not found[0].exact or not fits(found[0]) or _base(found[0]) == _base(hits[0]):
            return decision, hits
        if decide(asking[0], found) != "answer" or any(_base(h) == _base(hits[0]) and h.exact for h in found):
            return decision, hits
        if _base(found[0]) not in {_base(h) for h in self.search.search(q, STORY_POOL)}:
            return decision, hits  # the asking clause's entry is no neighbour of the whole message's
        return "answer", found

    def _asked_to_do(self, q: str, ending: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """A story's ending asks to do what the story before it does not tell and none of the whole message's
        winner's questions asks, while the ending's own best asks it ("… nhận tin nhắn lừa trúng thưởng, nghe bảo có
        tổng đài để báo số lừa đảo, vậy nhắn thế nào": the prize trick is told, reporting the number is asked): which
        one is meant is asked, that one first (as the whole message ranks it when it is among its best)."""
        # a scam ("sợ bị lừa", "giả mạo") is what is feared or told, not a thing one asks how to do
        acts = asked_actions(ending) - {"lua"}
        if not acts or not _questions(ending):  # "… bác quên mất rồi bot nhắc lại cho bác với" asks no "quên"
            return decision, hits
        told = " ".join(c for c in story_clauses(q) if fold(c).strip() not in fold(ending))
        if acts & actions(told):  # "tôi muốn trả tiền điện …, trả sao cho an toàn": what the story is about
            return decision, hits
        winner = self.search.search(ending, 1, among=[hits[0].doc_id], asked=acts)
        if not winner or not winner[0].unasked:
            return decision, hits
        found = self.search.search(ending, PASSAGES, asked=acts)
        if not self.search.asked_anywhere(acts):
            # no document asks it ("… muốn làm một cái mã QR dán ở quầy để nhận tiền thì làm ở mô"): the story's
            # winner (a QR code stuck over) is about the thing, not about doing that with it: offered, not answered
            return "suggest", hits
        if (not found or found[0].unasked or not fits(found[0]) or found[0].core < STORY_TAIL_CORE
                or _base(found[0]) == _base(hits[0])):
            return decision, hits
        mine = next((h for h in hits[1:] if _base(h) == _base(found[0]) and fits(h)), found[0])
        return "suggest", [mine, *(h for h in hits if h is not mine)]

    def _story_tail(self, q: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """A message told as a story is also searched by its last clauses ("…, tôi có nên chuyển không?").
        Their answer is taken only when it is sure on its own and agrees with the whole message: it is among
        the whole message's best hits and about what the message names."""
        tail = _with_what_it_points_back_at(q, question_tail(q))
        if tail is None:
            return decision, hits
        # "… vậy tôi phải làm sao": an ending made of question-form words only asks nothing of its own; what
        # the story named is then all it would be searched by, and the story is more than that.
        asks_own = bool(set(content_syllables(tail)) - QUESTION_FORM)
        # What the story named is what its ending asks about ("… cài cái VNeID …. Cài thế nào cho đúng?").
        told = sorted((entities(q) - entities(tail)) | (numbers(q) - numbers(tail)))
        if COMPARISON in actions(q) - actions(tail):
            told = []  # "A với B có giống nhau không? A là gì?": the last question asks about one of them alone
        ending = tail
        if not told and _vague(ending):
            return decision, hits  # "… giờ phải làm gì trước tiên": found by its form words alone, it tells nothing
        if told:
            tail = f"{tail} {' '.join(told)}"
        tail_hits = self.search.search(tail, PASSAGES)
        if decide(tail, tail_hits) != "answer":
            return decision, hits
        best = tail_hits[0]
        # What the story named makes any ending "about" it: "… dán cả danh sách vào ChatGPT. Làm vậy có ổn không?"
        # is not "ChatGPT là gì". The ending must ask something of its own, and the entry cover it.
        own_asked = not told or (asks_own and self._covers(ending, best))
        if own_asked and not best.missing and (best.exact or (best.asks and told and asks_own)):
            return "answer", tail_hits  # the ending asks what one of its questions asks, about what was told
        story = q[:q.rfind(ending)] if ending in q else ""  # what comes before the ending
        if own_asked and not best.missing and _in_the_bot(ending) and not about_using_the_bot(story) \
                and story.rstrip().endswith(tuple(",.;:!?…")) and len(content_syllables(story)) >= STORY_MIN \
                and _bot_help(self.search.faq_entry(best.doc_id)):
            # "Xóm tôi lập câu lạc bộ …, muốn báo cho Hội qua bot được không": the story, of other things, tells why;
            # the ending asks how to do it in the bot, and the bot's help tells that
            return "answer", tail_hits
        whole = self.search.search(q, TAIL_AGREEMENT)
        if not best.missing and best.asks and told:  # found by the named thing alone: a guess, asked not answered
            return "suggest", [*whole[:1], best]
        agreed = bool(whole) and whole[0].doc_id == best.doc_id and fits(whole[0])
        if not agreed and best.asks and asks_own and whole and whole[0].kind == "lesson":
            # one of its questions names all the ending asks about, and the whole story has it among its best
            # after a lesson passage, whose long text shares more of a story's words ("… đọc không hiểu gì. Dùng
            # AI dịch được không?")
            agreed = any(h.doc_id == best.doc_id and fits(h) for h in whole[1:TAIL_AGREEMENT])
        if agreed:
            return "answer", tail_hits
        return decision, hits

    def _asked_in_the_bot(self, q: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """A story of other things told in clauses of its own, then an ending asking how to do something in the bot
        ("Năm ngoái thôn tôi tổ chức lớp dạy bà con dùng điện thoại, giờ muốn gửi cách làm này cho Hội qua bot thì
        làm sao?"): the story's words surely found an entry on what it tells (how to run a class), but the ending asks
        how to do a thing in the bot. The bot's help entry the ending alone surely finds, covering what it asks in its
        own words, answers it (`_story_tail` does so only when the ending finds it with the story's named things
        too)."""
        if decision == "answer" and _bot_help(self.search.faq_entry(hits[0].doc_id)):
            return decision, hits
        ending = question_tail(q)
        if ending is None or ending not in q or not _IN_THE_BOT.search(fold(ending)):
            return decision, hits  # the ending names the bot as where it is done ("qua bot", "trên bot")
        story = q[:q.rfind(ending)]
        if about_using_the_bot(story) or _THE_BOT.search(fold(story)) or not story.rstrip().endswith(tuple(",.;:!?…")) \
                or len(content_syllables(story)) < STORY_MIN:
            return decision, hits
        found = self.search.search(ending, PASSAGES)
        if not found or decide(ending, found) != "answer" or found[0].missing \
                or not _bot_help(self.search.faq_entry(found[0].doc_id)) or not self._covers(ending, found[0]):
            return decision, hits
        return "answer", found

    def _the_lesson_asked(self, q: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """What a lesson says is asked ("bài học nói nông dân chụp ảnh lá lúa bị vàng thì AI giúp được gì", "bài học
        về người quen nhắn Zalo hỏi vay tiền nói tụi lừa đảo chiếm Zalo bằng cách nào"), an FAQ entry found first and
        a passage of a lesson close behind it (LESSON_ASKED_SHARE of its score) that fits: the lesson's passage
        answers in the lesson's words, which the entry retelling it may not have."""
        if decision != "answer" or hits[0].kind != "faq" or not names_a_lesson(q):
            return decision, hits
        lesson = next((h for h in hits[1:PASSAGES] if h.kind == "lesson" and fits(h)
                       and h.score >= LESSON_ASKED_SHARE * hits[0].score), None)
        if lesson is None:
            return decision, hits
        return decision, [lesson, *(h for h in hits if h is not lesson)]

    def _in_the_lessons(self, q: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """What a lesson says is asked ("bài học về cuộc gọi giả giọng người thân, bác Năm bị đòi chuyển bao nhiêu
        tiền", "bài hộc nói AI bịa chuyện như thiệt thì gọi là gì") and search was unsure among all documents: the
        lessons searched alone, their best passage answers when search would answer with it among them."""
        if not names_a_lesson(q):
            return decision, hits
        lessons = self.search.search(q, PASSAGES, among=self.search.lesson_passages())
        if not lessons or decide(q, lessons) != "answer":
            return decision, hits
        return "answer", [*lessons[:1], *(h for h in hits if h.doc_id != lessons[0].doc_id)]

    def _covers(self, ending: str, hit: Hit) -> bool:
        """The document covers what a story's ending asks in its own words (not only what the story named)."""
        mine = self.search.search(ending, 1, among=[hit.doc_id])
        return bool(mine) and mine[0].core >= STORY_TAIL_CORE

    def _told_aside(self, q: str, place: Scope) -> Plan | None:
        """A story that only mentions what is out of scope ("… đang kẹt ở bệnh viện cần chuyển gấp 15 triệu. Làm
        sao biết đó có đúng là con tôi không?"): the clauses that are out of scope are left out when the clause
        that asks is not, and what is left is answered when it finds a sure answer (else the usual refusal)."""
        clauses = story_clauses(q)
        said_after = False  # "…, có bị trừ tiền điện thoại không, tôi lương hưu ít": told after asking, of oneself
        while len(clauses) > 1 and out_of_scope(clauses[-1]) is not None and not asks_something(clauses[-1]):
            clauses, said_after = clauses[:-1], True
        kept = [c for c in clauses if out_of_scope(c) is None]
        if len(kept) < 2 and len(kept) < len(clauses) and kept and kept[-1] == clauses[-1]:
            # too little left: a story clause may only name the topic in passing ("… có lớp chuyển giao kỹ thuật nuôi
            # gà ở trung tâm học tập cộng đồng. Trung tâm đó là cái gì vậy?"); it stays, without those words
            kept = [c if out_of_scope(c) is None else _in_scope_part(c) for c in clauses]
            kept = [c for c in kept if c]
        if len(kept) == len(clauses) and all(out_of_scope(c) is None for c in clauses) and not said_after:
            return None
        if (len(kept) < 2 and not said_after) or not kept or not asks_something(kept[-1]) or kept[-1] != clauses[-1]:
            return None
        rest = ", ".join(kept)
        if out_of_scope(rest) is not None or len(content_syllables(rest)) < LONG_QUESTION:
            return None
        plan = self.plan(rest, place=place)
        if plan.decision != "answer":
            return None
        plan.fallback.question = q
        return Plan(q, plan.hits, plan.fallback, plan.passages, rules=plan.rules)

    def _story_winner(self, q: str, decision: Decision, hits: list[Hit], place: Scope,
                      searched: list[Hit] | None = None) -> tuple[Decision, list[Hit]]:
        """A long story with a question at its end: the whole message's clear winner is answered when it also
        covers what the asking clause asks (its own words, and the action it asks about). The more the clause
        asks of its own, the less the winner needs to stand out. The asking clause is the story's last clauses
        (question_tail) or, in a voice-typed run-on, the clause with the question word (asking_clause).
        `searched`: the hits of `q` already found, used when they show the next document after the best."""
        if len(content_syllables(q)) < LONG_QUESTION:
            return decision, hits
        tails = dict.fromkeys(t for t in (question_tail(q), asking_clause(q)) if t)
        if not tails:
            return decision, hits
        whole = searched or []
        if not any(_base(h) != _base(whole[0]) for h in whole[1:]):
            whole = self._search(q, place, STORY_POOL)
        if not whole or not fits(whole[0]):
            return decision, hits
        for tail in tails:
            if self._asks_for(q, tail, whole):
                return "answer", whole[:PASSAGES]
        return decision, hits

    def _asks_for(self, q: str, tail: str, whole: list[Hit]) -> bool:
        """The best hit of the whole story `whole` answers what its asking clause `tail` asks."""
        best = whole[0]
        rival = next((h for h in whole[1:] if _base(h) != _base(best)), None)
        lead = best.score / rival.score if rival is not None and rival.score > 0 else float("inf")
        if not _own_words(tail):  # "… Giờ tôi phải làm gì?"
            if best.unknown and best.core <= CORE_COVERAGE:
                return False  # "thủ tục đăng ký sim chính chủ … thì làm như thế nào": half of it is what nothing has
            if lead >= STORY_LEAD:
                return best.coverage >= STORY_LEAD_COVERAGE  # the story alone decides
            return lead >= LONG_MARGIN and best.coverage >= LONG_ANSWER_COVERAGE
        if best.coverage < STORY_COVERAGE or lead < STORY_MARGIN:
            return False
        told = sorted((entities(q) - places(q) - entities(tail)) | (numbers(q) - numbers(tail)))
        asked = f"{tail} {' '.join(told)}" if told else tail
        # "… Vậy có phải lừa không?": the winner must be about that, and asked to do that
        mine = self.search.search(asked, 1, among=[best.doc_id])
        if not mine or not fits(mine[0]) or mine[0].core < STORY_TAIL_CORE:
            return False
        if lead >= LONG_MARGIN:
            return True
        first = self.search.search(asked, 1)  # a smaller lead: the asking clause alone must find it first too
        if not first or _base(first[0]) != _base(best):
            return False
        if rival is not None and _questions(q) > 1:  # several questions, and the next document answers the
            # asking clause as well: a near tie ("… nghĩa là sao, … thì còn phải học gì nữa")
            theirs = self.search.search(asked, 1, among=[rival.doc_id])
            return not (theirs and fits(theirs[0]) and theirs[0].core >= STORY_TAIL_CORE)
        return True

    def _clear_winner(self, q: str, decision: Decision, hits: list[Hit], place: Scope) -> tuple[Decision, list[Hit]]:
        """A long story that asks one thing of its own (or asks only mid-clause, as a voice-typed run-on does: "… có
        chủ đề là gì vì bên xã kêu tôi … bot đọc lại cho tôi nghe với"), whose whole message has a clear winner
        (CLEAR_LEAD over the next document) covering a fair share of it: the winner is answered though the story's
        words leave the asking clause less covered than STORY_TAIL_CORE asks ("… điện thoại cứ kêu ting ting lúc
        khuya là tôi tỉnh giấc"). A message that asks nothing at all ("mười một giờ đêm mà vẫn có lời nhắc") is not."""
        asked = _questions(q)
        if len(content_syllables(q)) < LONG_QUESTION or asked > 1 or (not asked and not asks_something(q)):
            return decision, hits
        ending = question_tail(q) or asking_clause(q)
        if ending is None or _vague(ending):
            return decision, hits
        whole = self._search(q, place, STORY_POOL)
        if not whole or not fits(whole[0]) or whole[0].coverage < STORY_COVERAGE:
            return decision, hits
        best = whole[0]
        rival = next((h for h in whole[1:] if _base(h) != _base(best)), None)
        if rival is not None and best.score < CLEAR_LEAD * rival.score:
            return decision, hits
        if self._ending_elsewhere(ending, best):
            return decision, hits
        return "answer", whole[:PASSAGES]

    def _ending_elsewhere(self, ending: str, best: Hit) -> bool:
        """The asking clause alone finds another entry first, one of whose questions asks it, while the
        story's winner covers less than half of its own words: the story is about the winner, the question is not
        ("… thấy hội khuyến học xã năm nào cũng trao học bổng cho các cháu nhà nghèo … Vào hội thì làm thế nào?": the
        scholarships win the story, joining the association is asked)."""
        found = self.search.search(ending, PASSAGES)
        if not found or _base(found[0]) == _base(best) or not (found[0].asks or found[0].exact):
            return False
        if not fits(found[0]) or found[0].core < STORY_TAIL_CORE:
            return False
        return self._tail_core([ending], best) < CORE_COVERAGE

    def _held_question(self, q: str, decision: Decision, hits: list[Hit], place: Scope, said: str
                       ) -> tuple[Decision, list[Hit]]:
        """A long message that holds the whole of one entry's own question (SearchIndex.held: all its words are
        there, however many the story adds), while every other entry among its best hits is held clearly less
        (or only as a part of that question: "khuyến học, khuyến tài là gì" holds "hội khuyến học là gì"): that
        entry is answered when it fits (what the message names, the action it asks), covers a fair share of the
        message and what its asking clause asks of its own, and is asked no detail its question does not ask ("…
        thì bị phạt bao nhiêu tiền" is not "Dữ liệu của tôi có bị lộ không?"). "Mẹ tôi bị lừa chuyển 30 triệu cho
        người xưng nhân viên điện lực hồi chiều rồi. Giờ phải làm gì trước?" holds "bị lừa chuyển tiền rồi phải làm
        sao". `said`: the message as typed, with the amounts `_told` leaves out."""
        if len(content_syllables(q)) < LONG_QUESTION or any(_ANSWER_FORM.search(fold(p)) for p in clauses(q)):
            return decision, hits  # "…, trả lời bằng tiếng Anh nhé": not answered as written
        whole = self._search(q, place, STORY_POOL)
        held = [(self.search.held(said, h.doc_id), h) for h in whole]
        if not (_WHAT_IS.search(fold(q)) or _ASKED_IN_STORY.search(fold(q))):
            # "X là gì" is held by any message naming X; one that asks nothing of what X is ("… hưởng ứng Tuần lễ học
            # tập suốt đời. Tôi làm ruộng cả ngày thì hưởng ứng kiểu gì?") means another question it holds whole
            asking = [(t, h) for t, h in held if not _WHAT_IS.search(fold(t.question))]
            if any(t.share >= HELD_QUESTION for t, _ in asking):
                held = asking
        mine, best = max(held, key=lambda x: (x[0].share, x[0].weight), default=(None, None))
        if mine is None or best is None or mine.share < HELD_QUESTION or not fits(best) or best.core < HELD_CORE:
            return decision, hits
        if len(years := years_asked(q)) >= 2 and years[0] not in years_asked(mine.question):
            return decision, hits  # "chủ đề năm 2022 là chi, có giống năm 2020 không": not the year compared with
        if COMPARISON in actions(q) and COMPARISON not in actions(mine.question):
            return decision, hits  # "Mã nhóm cán bộ gửi với mã OTP có giống nhau không": one of the two, not both
        if mine.weight < HELD_WEIGHT and best.core < HELD_CLAUSE_CORE:
            return decision, hits  # a field that says little ("có app AI nào dễ xài ko"): the entry must cover more
        if not asked_kinds(q) <= asked_kinds(mine.question):
            return decision, hits
        if any(theirs.share > mine.share - HELD_MARGIN and not theirs.words < mine.words for theirs, h in held
               if _base(h) != _base(best)):
            return decision, hits
        tails = [t for t in dict.fromkeys((question_tail(q), asking_clause(q))) if t and not _vague(t)]
        rival = next((h for h in whole if _base(h) != _base(best)), None)
        if tails:
            if self._tail_core(tails, best) < STORY_TAIL_CORE:
                return decision, hits
            if rival is not None and _questions(q) > 1 and self._tail_core(tails, rival) >= STORY_TAIL_CORE:
                return decision, hits  # two questions, and another entry answers the asking clause as well
        elif question_tail(q) is None and asking_clause(q) is None and best.core < HELD_CLAUSE_CORE:
            return decision, hits  # one clause: the entry must cover more of what it says besides its question
        return "answer", [best, *(h for h in whole if h is not best)][:PASSAGES]

    def _held_first(self, q: str, decision: Decision, hits: list[Hit], said: str) -> tuple[Decision, list[Hit]]:
        """A short message of one question that would be asked "Có phải bạn muốn hỏi…", whose best hit is an FAQ
        entry covering it (it fits, covers SUGGEST_COVERAGE of it and half its own words) one of whose own questions
        it holds whole (SearchIndex.held, a field saying enough: HELD_WEIGHT), while every other fitting candidate's
        question is held clearly less: that entry is answered. "Cho tôi hỏi cái ứng dụng VNeID là của cơ quan nào
        làm ra nhé" holds "app vneid là j" whole, the runner-ups on installing and updating it in part. A detail the
        answer does not give (a sum, a count) is still offered as choices by the checks on an answer."""
        if not hits or len(content_syllables(q)) >= LONG_QUESTION or _questions(q) > 1:
            return decision, hits
        first = hits[0]
        if first.kind != "faq" or not fits(first) or first.coverage < SUGGEST_COVERAGE or first.core < CORE_COVERAGE:
            return decision, hits
        mine = self.search.held(said, first.doc_id)
        if mine.share < HELD_QUESTION or mine.weight < HELD_WEIGHT:
            return decision, hits
        for h in hits[1:]:
            if _base(h) == _base(first) or not fits(h):
                continue
            theirs = self.search.held(said, h.doc_id)
            if theirs.share > mine.share - HELD_FIRST_MARGIN and not theirs.words < mine.words:
                return decision, hits
        return "answer", hits

    def _clause_in_story(self, q: str, decision: Decision, hits: list[Hit], place: Scope
                         ) -> tuple[Decision, list[Hit]]:
        """A story told first and asked at its end ("tháng này tôi muốn trả tiền điện bằng điện thoại … mà sợ bị lừa
        thì trả sao cho an toàn"): the asking clause is searched as the question, with the story as weak context
        (SearchIndex.search `context`): the story tells which of the entries that ask that is meant without its own
        words making the message look uncovered. Its winner is answered when it is sure for the asking clause
        (`decide`, or a CLEAR_LEAD over the next document covering half its own words), STORY_MARGIN ahead of the
        next document, and the whole message's best hit too. Not when the story asks something itself (then the
        message asks two things) or the asking clause asks nothing of its own (see `_what_now`)."""
        split = _story_then_ending(q)
        if split is None:
            return decision, hits
        _, ending = split
        # what the story named is what its ending asks about ("… cài cho tôi ChatGPT …. Vậy nó cũng nói sai được à?")
        told = sorted((entities(q) - places(q) - entities(ending)) | (numbers(q) - numbers(ending)))
        asked = f"{ending} {' '.join(told)}" if told else ending
        found = self.search.search(asked, PASSAGES, context=q)
        if not found or not fits(found[0]):
            return decision, hits
        best = found[0]
        rival = next((h for h in found[1:] if _base(h) != _base(best)), None)
        lead = best.score / rival.score if rival is not None and rival.score > 0 else float("inf")
        if lead < STORY_MARGIN:
            return decision, hits
        if decide(asked, found) != "answer" and (lead < CLEAR_LEAD or best.core < CORE_COVERAGE):
            return decision, hits
        whole = self._search(q, place, STORY_POOL)
        if not whole:
            return decision, hits
        if _base(whole[0]) != _base(best) and not self._close_second(asked, found, whole, lead) \
                and not self._unsure_whole(q, asked, found, whole, lead):
            return decision, hits
        return "answer", found

    def _asked_alone(self, q: str, decision: Decision, hits: list[Hit], place: Scope) -> tuple[Decision, list[Hit]]:
        """A story that names where a thing was seen or who it came from (a Zalo group, an email, a health card) and
        then asks of it without naming that ("Trong nhóm Zalo của buôn có người gửi video …, ai cũng hoảng. Làm sao
        biết tin đó thật hay bịa?"): `_clause_in_story` searches the asking clause with the story's named things, and
        the entry that answers it (how to tell fake news) is about none of them. The asking clause alone, with the
        story as context, is answered when its winner is sure (`decide`, LONG_MARGIN ahead of the next document,
        covering all its own words), is about no named thing of its own (so no answer about one thing, Zalo's
        password, stands for another the story named, VssID's), and is among the whole story's best hits while the
        whole story finds nothing sure."""
        split = _story_then_ending(q)
        if split is None:
            return decision, hits
        story, ending = split
        if len(_own_words(ending)) <= ENDING_OWN:
            return decision, hits  # "… thì xóa bớt cái gì cho nhẹ máy": too little of its own to be sure of
        told = self.search.search(story, PASSAGES)
        if told and decide(story, told) == "answer":
            return decision, hits  # the story names a topic of ours ("Tôi hỏi Ngày Khuyến học …: ngày đó có từ bao
            # giờ", "chủ đề tuần lễ năm 2020 có phải về …"): what is asked is asked of it
        found = self.search.search(ending, PASSAGES, context=q)
        if not found or not fits(found[0]) or found[0].things or found[0].core < 1.0:
            return decision, hits
        best = found[0]
        if _bot_help(self.search.faq_entry(best.doc_id)) and not _in_the_bot(ending):
            return decision, hits  # the bot's own help answers what is asked of the bot, not of a phone
        rival = next((h for h in found[1:] if _base(h) != _base(best)), None)
        if rival is not None and best.score < LONG_MARGIN * rival.score:
            return decision, hits
        if decide(ending, found) != "answer":
            return decision, hits
        whole = self._search(q, place, STORY_POOL)
        if not whole or decide(q, whole) == "answer" \
                or not any(_base(h) == _base(best) for h in whole[:TAIL_AGREEMENT]):
            return decision, hits
        return "answer", found

    @staticmethod
    def _unsure_whole(q: str, asked: str, found: Sequence[Hit], whole: Sequence[Hit], lead: float) -> bool:
        """The asking clause's sure winner (`decide`, LONG_MARGIN ahead of its next document, covering all its own
        words) is among the whole story's best after a lesson passage (whose long text shares more of a story's words),
        while the whole message finds nothing sure ("… ăn trứng vịt lộn hết
        ung thư, ổng chia sẻ vô nhóm Zalo ấp quá trời. Làm sao biết tin này thiệt hay giả?": the story's words spread
        over the lesson on sharing, investment scams, scam signs): the story tells why, the clause what is asked."""
        best = found[0]
        return (whole[0].kind == "lesson" and lead >= LONG_MARGIN and best.core >= 1.0
                and decide(asked, found) == "answer" and decide(q, whole) != "answer"
                and any(_base(h) == _base(best) for h in whole[1:STORY_POOL]))

    @staticmethod
    def _close_second(asked: str, found: Sequence[Hit], whole: Sequence[Hit], lead: float) -> bool:
        """The asking clause's sure winner (`decide`, LONG_MARGIN ahead of its next document) is the whole story's
        second, within STORY_SECOND of its first, and the asking clause says ENDING_OWN words of its own: the story's
        words tipped the whole message to a neighbour ("… thấy hội khuyến học thôn hay đi trao quà cho các cháu nghèo
        … Vào hội thì làm thế nào?": the scholarships first, joining the association a close second; "… con dâu người
        Hà Nội nói thì nó hiểu ngay. Sao máy lại phân biệt vậy?": voice typing first, AI's bias a close second)."""
        best = found[0]
        if len(set(question_syllables(asked)) - QUESTION_FORM - STORY_TIME) < ENDING_OWN:
            return False  # "bị lừa r có dv lấy lại tiền trên fb, có nên thuê ko": "thuê" alone tells too little
        second = next((h for h in whole[1:] if _base(h) != _base(whole[0])), None)
        return (second is not None and _base(second) == _base(best) and fits(second) and lead >= LONG_MARGIN
                and whole[0].score <= STORY_SECOND * second.score and decide(asked, found) == "answer")

    def _tail_core(self, tails: Sequence[str], hit: Hit) -> float:
        """How much of the asking clause's own words (the best of its two readings) the document covers."""
        found = [self.search.search(t, 1, among=[hit.doc_id]) for t in tails]
        return max((f[0].core for f in found if f), default=0.0)

    def _asked_clause(self, q: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """A rambling message with one clause that asks just what an entry asks ("thì là công dân số là cái gì mà
        trên loa xã nói hoài…"): that entry is answered when it is also among the whole message's best and about
        what the whole message names."""
        parts = story_clauses(q)  # cut at clause openers too: a voice-typed run-on has no commas
        asking = [p for p in parts if asks_plainly(p)]
        if len(parts) < 2 or len(asking) != 1:  # "deepfake là gì, đọc thế nào": two questions, one answer is half
            return decision, hits
        if any(_ANSWER_FORM.search(fold(p)) for p in parts):  # "…, trả lời bằng tiếng Anh nhé": not as written
            return decision, hits
        found = self.search.search(asking[0], PASSAGES)
        whole = {h.doc_id: h for h in self.search.search(q, TAIL_AGREEMENT)}
        if not found or not found[0].exact or found[0].doc_id not in whole:
            return decision, hits
        if fits(found[0]) and fits(whole[found[0].doc_id]) and decide(asking[0], found) == "answer":
            return "answer", found
        return decision, hits

    def _clauses_agree(self, q: str, decision: Decision, hits: list[Hit], place: Scope
                       ) -> tuple[Decision, list[Hit]]:
        """A voice-typed run-on (no punctuation at all), cut into clauses at the words that open one ("mà", "thì",
        "giờ", "ờ"…): the whole message's best hit is answered when its clauses, each searched alone, agree on it:
        one finds it as a sure answer, another has it first at least, and no clause that asks something of its own
        finds another entry sure ("à hôm qua có người gọi giọng y chang con tôi … thì là AI nó giả được giọng người
        thân vậy luôn hả ờ phòng thế nào"). Two clauses each sure of a different entry ask two things: not answered."""
        if _PUNCTUATION.search(q) or len(content_syllables(q)) < LONG_QUESTION:
            return decision, hits
        parts = [p for p in story_clauses(q) if not _vague(p)]
        if len(parts) < 2:
            return decision, hits
        whole = self._search(q, place, STORY_POOL)
        if not whole or not fits(whole[0]):
            return decision, hits
        best = whole[0]
        sure = leaning = 0
        for part in parts:
            found = self.search.search(part, PASSAGES)
            if not found or _base(found[0]) != _base(best):
                if found and decide(part, found) == "answer" and fits(found[0]) and asks_something(part) \
                        and len(_own_words(part)) >= CLAUSE_OWN:
                    return decision, hits  # a clause that asks is sure of another entry ("phòng thế nào" is not)
                continue
            if decide(part, found) == "answer":
                sure += 1
            else:
                leaning += 1
        if sure and sure + leaning >= CLAUSES_AGREE:
            return "answer", whole[:PASSAGES]
        return decision, hits

    def _command(self, q: str, query: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """A question that names a command ("lỡ gõ /xoadulieu rồi…") is about it: the help entries that give
        it come first; the best one is answered when it covers the question as a help entry must."""
        named = {c.lower() for c in COMMAND.findall(q)}
        giving = [h for h in self.search.search(query, HELP_POOL)
                  if h.kind == "faq" and fits(h) and named <= {c.lower() for c in COMMAND.findall(h.text)}]
        if not giving:
            return decision, hits
        if giving[0].coverage >= HELP_COVERAGE and giving[0].core >= CORE_COVERAGE:
            return "answer", giving[:PASSAGES]
        return "suggest", giving[:PASSAGES]

    def _not_the_other(self, q: str, q_search: str, decision: Decision,
                       hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """The question said what it is not about ("Không phải Zalo đâu, là Facebook của tôi bị chiếm"): the
        candidates about that thing are left out, and what is left is answered when it is then sure."""
        excluded = entities(q) - entities(q_search)
        if not excluded:
            return decision, hits
        about = self.search.search(" ".join(sorted(excluded)), len(hits), among=[h.doc_id for h in hits])
        other = {h.doc_id for h in about if h.names}
        kept = [h for h in hits if h.doc_id not in other]
        if other and kept and decide(q_search, kept) == "answer":
            return "answer", kept
        return decision, hits

    def _help(self, query: str, decision: Decision, hits: list[Hit]) -> tuple[Decision, list[Hit]]:
        """A question about using the bot that found no sure answer is looked up among the bot's help entries
        (FAQ entries whose answer gives a command) and those that cover it are offered: a guess is never answered."""
        helps = [h for h in self.search.search(query, HELP_POOL)
                 if h.kind == "faq" and fits(h) and h.coverage >= HELP_COVERAGE and COMMAND.search(h.text)]
        if not helps:
            return decision, hits
        if helps[0].core < CORE_COVERAGE:
            return decision, hits
        return "suggest", helps[:PASSAGES]

    def _lesson_text(self, hit: Hit) -> str | None:
        """A lesson is answered whole (a few hundred characters): the passage that matched best may stop just
        before the sentence that answers ("… không hiểu hoàn cảnh riêng của ruộng vườn nhà mình")."""
        if hit.kind != "lesson" or self.catalog is None:
            return None
        found = self.catalog.lesson_by_id(hit.doc_id.split("#", 1)[0])
        return found[1].text.strip() if found is not None else None

    def suggestions(self, hits: Sequence[Hit]) -> list[tuple[str, str]]:
        """Top hits as (doc id, title) for buttons, best first; one per FAQ entry or lesson. Hits about
        another thing than the question names are left out when some fit (then those about another action on it)."""
        out: list[tuple[str, str]] = []
        seen: set[str] = set()
        fitting = [h for h in hits if fits(h)] or [h for h in hits if not h.missing] or list(hits)
        if hits and hits[0] not in fitting and not hits[0].missing \
                and hits[0].score >= UNASKED_LEAD * max(h.score for h in fitting):
            # about what is named, only the action is none its questions ask ("tải app nTrust để dò số tài khoản
            # thì làm thế nào": its answer says where to get it), and far ahead of the rest: a choice, first
            fitting = [hits[0], *fitting]
        if any(COMPARISON in h.unasked for h in hits):
            # two things compared ("mã OTP ngân hàng với mã kích hoạt Zalo có giống nhau không"): each one's own entry
            # is a choice, though it names only one of them and compares nothing
            fitting = [h for h in hits if h in fitting or _one_of_the_compared(h)]
        for h in fitting:
            key = h.doc_id if h.kind == "faq" else "lesson:" + h.doc_id.split("#", 1)[0]
            if key not in seen:
                seen.add(key)
                out.append((h.doc_id, h.title))
        return out[:PASSAGES]

    def curated(self, doc_id: str, place: Scope = EVERYONE) -> AnswerResult | None:
        """The curated answer of one FAQ entry or lesson passage (a pressed suggestion)."""
        entry = self.search.faq_entry(doc_id)
        if entry is not None and not serves(entry_scope(entry), place):
            return None
        if entry is not None:
            return AnswerResult(entry.question, entry.answer.strip(),
                                self._sources(entry.sources, RETRIEVAL_SOURCES), faq_id=entry.id)
        lesson_id = doc_id.split("#", 1)[0]
        found = self.catalog.lesson_by_id(lesson_id) if self.catalog is not None else None
        if found is None:
            return None
        module, lesson = found
        refs = [f"lesson:{lesson.id}", *module.sources]
        return AnswerResult(lesson.title, lesson.text.strip(), self._sources(refs, RETRIEVAL_SOURCES),
                            faq_id=doc_id)

    # ---- LLM ---------------------------------------------------------------------------------------

    def finish(self, plan: Plan, llm: LlmResult | None) -> AnswerResult:
        """The LLM's answer with the sources of the passages it cited, or the curated fallback."""
        fb = plan.fallback
        if llm is None or not llm.ok or not llm.text:
            if llm is not None:
                fb.llm_reason = llm.reason
            return fb
        by_ref = {p.ref: p for p in plan.passages}
        cited = [by_ref[r] for r in llm.cited if r in by_ref] or plan.passages[:1]
        refs = [p.sources[0] for p in cited if p.sources]
        sources = self._sources(refs, PASSAGES) or fb.sources
        answer = AnswerResult(plan.question, llm.text, sources, mode="llm", decision="answer",
                              faq_id=fb.faq_id, llm_reason=llm.reason)
        room = MAX_REPLY_CHARS - (len(answer.full_text) - len(answer.text))
        if len(answer.full_text) > MAX_REPLY_CHARS and room >= 200:
            answer.text = cap_answer(answer.text, room)
        return answer if len(answer.full_text) <= MAX_REPLY_CHARS else fb

    async def _llm(self, plan: Plan, on_preview: Callable[[str], Awaitable[None]] | None) -> LlmResult | None:
        if self.llm is None or not plan.passages:
            return None
        first = max(MIN_FIRST_TOKEN, self.first_token_timeout - plan.spent)
        return await self.llm.answer_with_deadline(
            plan.question, plan.passages, first_token_timeout=first,
            total_timeout=max(first, self.total_timeout - plan.spent), on_preview=on_preview,
        )

    async def prepare(self, question: str, place: Scope = EVERYONE) -> Plan:
        """`plan`, with one more chance for a long, rambling message when an LLM is configured: the model
        rewrites it into a short search question (REWRITE_TIMEOUT at most) and that is searched. The rewrite
        is kept only when it names the same things (Zalo stays Zalo), finds an answer the message did not, and
        that answer is the one the rewrite asked directly gets: never a guess retrieval would not make."""
        plan = self.plan(question, place=place)
        if (self.llm is None or plan.decision in ("answer", "smalltalk") or plan.fallback.out_of_scope
                or len(question_syllables(plan.question)) < REWRITE_MIN_SYLLABLES):
            return plan
        started = time.monotonic()
        query = await self.llm.rewrite(plan.question, REWRITE_TIMEOUT)
        if not query or not entities(plan.question) <= entities(query):
            return plan
        rewritten = self.plan(plan.question, query, place)
        rewritten.spent = time.monotonic() - started
        log.info("rewrite %r → %r: %s", plan.question[:80], query, rewritten.decision)
        if rewritten.decision != "answer":
            return plan
        # The rewrite asked as it is must get the same answer through every rule retrieval applies to a
        # question: searched for the message, "Cách dùng Zalo thế nào?" answered the bot's Zalo channel and "dùng
        # zalo như thế nào" the Zalo password entry, which the short question asked directly only offers or refuses.
        asked = self.plan(query, place=place)
        if asked.decision != "answer" or asked.fallback.faq_id != rewritten.fallback.faq_id:
            log.info("rewrite %r not kept: asked directly it is %s (%s)", query, asked.decision,
                     asked.fallback.faq_id)
            return plan
        return rewritten

    async def answer(self, question: str, place: Scope = EVERYONE) -> AnswerResult:
        """The whole answer at once (CLI, tests): LLM when configured and usable, else curated."""
        plan = await self.prepare(question, place)
        if plan.decision != "answer":
            return plan.fallback
        return self.finish(plan, await self._llm(plan, None))

    async def stream(
        self, plan: Plan, done: Callable[[AnswerResult], Awaitable[None]]
    ) -> AsyncIterator[str]:
        """Previews of the LLM answer as it grows: each item is the whole text so far, already passed by
        `check_answer` (see LlmAnswerer.answer_with_deadline). Calls `done(result)` before the iterator ends,
        so the caller can set the final text (the fallback when the LLM was slow, failed or misbehaved)."""
        queue: asyncio.Queue[str | None] = asyncio.Queue()

        async def on_preview(text: str) -> None:
            queue.put_nowait(text)

        async def run() -> LlmResult | None:
            try:
                return await self._llm(plan, on_preview)
            finally:
                queue.put_nowait(None)

        task = asyncio.create_task(run())
        try:
            while (piece := await queue.get()) is not None:
                yield piece
            result = self.finish(plan, await task)
        finally:
            if not task.done():
                with contextlib.suppress(Exception):
                    await cancel_and_wait(task)
        try:
            await done(result)
        except Exception:
            log.exception("answer stream: finishing callback failed")

    async def aclose(self) -> None:
        if self.llm is not None:
            await self.llm.aclose()


@dataclass(frozen=True)
class _Message:
    """A question as the readings (READINGS) see it."""

    told: str  # what is searched: asides such as "…, không phải Zalo nha" left out
    said: str  # what the asker said, asides and all
    place: Scope
    searched: list[Hit] | None  # the hits of `told` already found, when it was searched as it is


Reading = Callable[[AnswerService, _Message, Decision, list[Hit]], tuple[Decision, list[Hit]]]
_ALL: frozenset[Decision] = frozenset({"answer", "suggest", "refuse"})
_UNSURE: frozenset[Decision] = frozenset({"suggest", "refuse"})


@dataclass(frozen=True)
class Rule:
    """One way of reading a message again after search decided, applied to the decisions in `applies`."""

    name: str
    applies: frozenset[Decision]
    read: Reading


# In this order: each sees what the ones before it decided. `bench.faq --rules` counts, on the tuning files, how
# often each one changed the decision or the best hit and how often the result was then right.
READINGS: tuple[Rule, ...] = (
    Rule("asked first", _ALL, lambda s, m, d, h: s._asked_first(m.told, d, h)),
    Rule("is it", _ALL, lambda s, m, d, h: s._is_it(m.told, d, h)),
    Rule("what now", _UNSURE, lambda s, m, d, h: s._what_now(m.told, d, h, m.said)),
    Rule("story tail", _UNSURE, lambda s, m, d, h: s._story_tail(m.told, d, h)),
    Rule("story winner", _UNSURE, lambda s, m, d, h: s._story_winner(m.told, d, h, m.place, m.searched)),
    Rule("asked clause", _UNSURE, lambda s, m, d, h: s._asked_clause(m.told, d, h)),
    Rule("clear winner", _UNSURE, lambda s, m, d, h: s._clear_winner(m.told, d, h, m.place)),
    Rule("clauses agree", _UNSURE, lambda s, m, d, h: s._clauses_agree(m.told, d, h, m.place)),
    Rule("held question", _UNSURE, lambda s, m, d, h: s._held_question(m.told, d, h, m.place, m.said)),
    Rule("held first", frozenset({"suggest"}), lambda s, m, d, h: s._held_first(m.told, d, h, m.said)),
    Rule("clause in story", _UNSURE, lambda s, m, d, h: s._clause_in_story(m.told, d, h, m.place)),
    Rule("asked alone", _UNSURE, lambda s, m, d, h: s._asked_alone(m.told, d, h, m.place)),
    Rule("done, now what", frozenset({"answer"}), lambda s, m, d, h: s._done_now_what(m.told, d, h)),
    Rule("asked again", frozenset({"answer"}), lambda s, m, d, h: s._asked_again(m.told, d, h)),
    Rule("asked at the end", frozenset({"answer"}), lambda s, m, d, h: s._asked_at_the_end(m.told, d, h)),
    Rule("run-on asked exactly", _UNSURE, lambda s, m, d, h: s._run_on_asked_exactly(m.told, d, h)),
    Rule("asked exactly", frozenset({"answer"}), lambda s, m, d, h: s._asked_exactly(m.told, d, h)),
    Rule("asked in the bot", _ALL, lambda s, m, d, h: s._asked_in_the_bot(m.told, d, h)),
    Rule("the lesson asked", frozenset({"answer"}), lambda s, m, d, h: s._the_lesson_asked(m.told, d, h)),
    Rule("in the lessons", _UNSURE, lambda s, m, d, h: s._in_the_lessons(m.told, d, h)),
)
LESSON_ASKED_SHARE = 0.6  # T13-T26: of 7 answers so asked with a fitting lesson passage behind the entry, 3 were
# above this share: 2 had the asked fact only in the lesson, 1 in both, none only in the entry
# the readings that may turn what search was unsure of into an answer (see AnswerService._unconfirmed)
_READ_INTO_AN_ANSWER = frozenset(r.name for r in READINGS if r.applies == _UNSURE)


def _told(q: str) -> str:
    """The message as searched: without what it says it is not about (`without_asides`), and, when it is a story
    whose ending asks nothing of its own, with the amounts of money the story tells said as money ("Tôi bị lừa chuyển
    20 triệu…, giờ phải làm gì?" is not about the amount above which a transfer needs one's face, but money was sent:
    "chuyển tiền")."""
    text = without_asides(_after_small_talk(q))
    if not AMOUNT.search(text) or len(content_syllables(text)) < LONG_QUESTION:
        return text
    ending = question_tail(text) or asking_clause(text)
    if ending is None or AMOUNT.search(ending) or not _vague(ending):
        return text  # "…, chuyển 15 triệu thế có phải quét mặt không": what the ending asks may be about the amount
    return re.sub(r"\s+", " ", AMOUNT.sub(" tiền ", text)).strip()


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
SMALL_TALK_OPENERS = frozenset({"greeting", "thanks"})


def _after_small_talk(q: str) -> str:
    """A message whose first sentences are greetings or thanks, each a sentence of its own, and whose rest asks
    ("Bot ơi chúc mừng năm mới nhé! Năm mới tôi muốn đi học thêm, ở xã mình có chỗ nào học không?"): the rest, the
    wishes searched with it no more (they found the entry on writing a New Year's letter with AI)."""
    sentences = _SENTENCE_END.split(q.strip())
    i = 0
    while i < len(sentences) - 1 and small_talk(sentences[i]) in SMALL_TALK_OPENERS:
        i += 1
    rest = " ".join(sentences[i:])
    return rest if i and asks_something(rest) else q


# "A là X, còn B là gì": what is said of one thing ("là", "thì"), then the same asked of another after "còn" (or
# after a comma and "thế": "Năm 2025 chủ đề là …, thế năm 2026 chủ đề là gì")
_CONTRAST = re.compile(r"^(.*?\s(?:là|thì)\s.*?)(?:\s*[,;.…]\s*(?:còn|con|thế(?! nào))|\s+còn)\s+"
                       r"(.*?\s(?:là|thì)\s.*)$")


STORY_MIN = 5  # content syllables of a story told in clauses of its own before an ending that asks of the bot
_IN_THE_BOT = re.compile(r"\b(?:qua|tren|trong|bang|o|cho|voi) (?:cai |con )?(?:bot|chatbot)\b")


def _in_the_bot(ending: str) -> bool:
    """An ending that asks how to do something in the bot ("muốn đổi xã trong bot thì vào chỗ nào", "báo cho Hội
    qua bot được không")."""
    return about_using_the_bot(ending) or bool(_IN_THE_BOT.search(fold(ending)))


def _bot_help(entry: FaqEntry | None) -> bool:
    """One of the bot's own help entries (content/data/faq/bot.yaml, tagged "bot")."""
    return entry is not None and "bot" in entry.tags


def _questions(q: str) -> int:
    """How many clauses of a message ask something, counting only the clear ways of asking."""
    return sum(asks_clearly(c) for c in story_clauses(q))


def _in_scope_part(clause: str) -> str:
    """A clause out of scope only for a topic it names ("other"), without that topic's words; else nothing."""
    if out_of_scope(clause) != "other" or names_a_loan(clause):
        return ""  # a loan is never named in passing ("Vay vốn ngân hàng chính sách để nuôi lợn thì làm hồ sơ…")
    rest = without_other_topics(clause)
    return rest if out_of_scope(rest) is None and len(rest.split()) >= 3 else ""


# A story clause that asks what something means ("học tập suốt đời là sao tôi tưởng …"): the message asks two things
_ASKED_IN_STORY = re.compile(r"\b(?:la sao|nghia la)\b|\bla (?:cai )?gi(?: \w+)?$")
_WHAT_IS = re.compile(r"\b(?:la gi|la cai gi|nghia la gi)\b")
_DEFINED_FIRST = re.compile(r"(.+?)\s+(?:là|la|nghĩa là|nghia la) (?:cái )?(?:gì|gi|cai gi|j)\s*[,;.?…]+",
                            re.IGNORECASE)
_IS_IT_SAID = re.compile(r"\b(?:có|co) (?:phải|phai)\b", re.IGNORECASE)
_WHETHER = re.compile(r"\b(?:co nen|nen khong|co duoc|duoc khong)\b")  # a question whether to do something
_DONE = re.compile(r"\blỡ\b|\b(?:đã|vừa|mới) (?:\w+ ){1,8}rồi\b")  # typed: "bà lỡ đọc …", "tui đã bấm vô rồi"
# A last clause asking only whether to do a thing named by one verb ("thì có đọc không", "vậy có nên bấm không")
_ASKED_AGAIN = re.compile(r"^(?:(?:thi|vay|the|vay thi|the thi) )?(?:toi |minh |em |con )?co (?:nen )?(\w+)"
                          r"(?: (?:lai|cho ho|cho no|theo))? (?:khong|ko|hong|k|duoc khong)$")
_NOT_A_DEED = frozenset("phai duoc nen sao the gi la con bi sao that dung an toan lam".split())
_WHAT_TO_DO = re.compile(r"\b(?:lam sao|lam gi|tinh sao|xu ly|lam the nao|gio sao)\b")
_WHAT_TO_DO_WORDS = frozenset({"tinh", "xu", "ly"})  # "giờ tính sao", "xử lý sao": nothing asked of its own
# An entry's question asking what to do once done: "… rồi thì phải làm gì"
_AFTER_DONE = re.compile(r"\broi\b.*\b(?:lam gi|lam sao|xu ly|thi sao|co sao)\b")


def _after_done(entry: FaqEntry) -> bool:
    """One of the entry's questions asks what to do once a thing is done ("Lỡ đọc mã OTP cho người lạ rồi thì phải
    làm gì?") or tells it done ("lỡ tải ứng dụng người lạ gửi về máy rồi")."""
    return any(_AFTER_DONE.search(fold(f)) or _DONE.search(unicodedata.normalize("NFC", f).lower())
               for f in (entry.question, *entry.alternatives))


_POINTS_BACK = re.compile(r"^(?:the|vay|nhu the|nhu vay)\b")  # "thế", "vậy thì", "như vậy", "thế thì"


# An ending that asks of the deed the story told ("làm vậy", "làm thế", "như thế", "vậy có …"), with at most
# DOING_THAT_WORDS words of its own ("…, làm rứa có an toàn không"): what is asked is the story's, not the ending's.
_DOING_THAT = re.compile(r"^(?:(?:lam|de|cu) (?:vay|the|nhu vay|nhu the)|nhu (?:vay|the)|(?:vay|the) (?:thi )?co)\b")
DOING_THAT_WORDS = 2


def _with_what_it_points_back_at(q: str, tail: str | None) -> str | None:
    """A story's ending that points back ("thế", "vậy thì") and asks one word of its own ("…, mà tôi không biết
    tiếng Anh, thế có học được không"): it asks of the clause before it, searched with it."""
    if tail is None or not _POINTS_BACK.search(fold(tail)):
        return tail
    if len(_own_words(tail)) != 1:
        return tail  # none: "vậy tôi phải làm sao" asks what to do about the story (_what_now)
    parts = clauses(q[:q.rfind(tail)]) if tail in q else []
    return f"{parts[-1]}, {tail}" if parts else tail


def _own_words(text: str) -> set[str]:
    """A clause's words of its own: its content syllables that are neither question form nor story time."""
    return set(content_syllables(text)) - QUESTION_FORM - STORY_TIME


VAGUE_WORDS = 6  # a whole message this short asking nothing of its own is not searched (a story's clause is read
# by _vague alone: "…, rốt cuộc nó là gì vậy" asks of what the story named)


def _vague(ending: str) -> bool:
    """An asking clause that asks nothing of its own ("giờ phải làm gì", "tôi phải làm sao"): the story says what."""
    return not _own_words(ending)


_PUNCTUATION = re.compile(r"[.?!;,:…\n]")
_ANSWER_FORM = re.compile(r"\b(?:tra loi|viet|noi|dich|ke|giai thich|tom tat)(?: lai)? (?:bang|sang|ra) ")
_CLAUSE_END = re.compile(r"[,.;!?\n]+")


def _asked_whole(hit: Hit) -> bool:
    """One of the entry's own questions asks exactly what the message asks, and every word of the message is one of
    its words ("Cho tôi hỏi cái trí tuệ nhân tạo người ta hay nói trên ti vi là cái gì vậy ạ?" and "AI là gì?"): a
    weak score then comes of a short entry among long ones, and what other people asked in other words (a bag of
    words: "deepfake … trên ti vi") does not overrule it."""
    return hit.exact and hit.coverage >= 1.0 and hit.core >= 1.0


def _base(hit: Hit) -> str:
    return _base_id(hit.doc_id)


def _base_id(doc_id: str) -> str:
    """An entry's id, or a lesson's without the passage ("m2l3#0" → "m2l3")."""
    return doc_id.split("#", 1)[0]


def _asked_agree(near: Nearest | None, hits: Sequence[Hit]) -> Hit | None:
    """The hit among search's best (PASSAGES) a message search refused or offered is answered with after all: the
    one the asked questions nearest to the message (content.asked) all name (AGREE_SIMILARITY, AGREE_SHARE), when
    it is about what the message names and asks to do (`fits`): two ways of reading it agree. Chosen on the tuning
    questions alone (bench.faq_asked --cv, ten folds): refusals answered with search's best 40 right, 7 wrong
    (details no entry gives: what a scholarship's file holds, the steps of a birth certificate online); with its
    second or third 10 right, 1 wrong (rerun with T34-T45: 53 and 7; 13 and 1). One that does not fit is not
    answered with however alike they are: at a similarity of 0.6, such hits about all the message names (two
    things compared, "113 với 156 khác nhau sao") would be 22 right, 6 wrong; with those lacking a thing it names
    ("Ngày Sách Việt Nam là ngày nào" against the Ngày Khuyến học's entry), worse."""
    if near is None or near.similarity < AGREE_SIMILARITY or near.share < AGREE_SHARE:
        return None
    return next((h for h in hits[:PASSAGES] if _base(h) == near.label and fits(h)), None)


def _unnamed_thing(q: str, hits: Sequence[Hit]) -> bool:
    """The answer found is about a named thing (VNeID) the message does not name, and another hit, about another
    thing (Zalo), fits it too: what is asked is asked of several things, and which one was not said ("điện thoại bị
    khóa màn hình, quên mật khẩu mở máy thì làm sao" is neither). Nor when it covers less of the message than a sure
    answer does (ANSWER_COVERAGE: found as a long message's winner): "… muốn chuyển danh bạ với ảnh từ máy cũ sang
    máy mới" found "bỏ sim cũ, muốn chuyển VNeID sang sim mới" by all but the name. Asked, not answered."""
    first = hits[0]
    if not first.things or first.exact or first.names or entities(q) or COMPARISON in actions(q):
        return False  # "học vụ số với học AI khác nhau à": the entry comparing the two, whichever way they are called
    if first.coverage < ANSWER_COVERAGE:
        return True
    return any(fits(h) and h.things and not set(h.things) & set(first.things) for h in hits[1:])


def _untold_of_a_named_thing(q: str, hits: Sequence[Hit]) -> bool:
    """What the message asks of a named thing (VssID, VNeID, Zalo) is one of the everyday things no entry tells of
    (content/data/words.yaml `things`: "không hiện", "hết bộ nhớ"), and the best hit is about that same named thing,
    covering the message's own words but that: the entries near it are offered as what is known, not refused."""
    if not hits:
        return False
    first, named = hits[0], entities(q)
    return (bool(first.unasked) and set(first.unasked) <= THINGS and not first.missing and bool(named)
            and named <= set(first.names) and first.core >= CORE_COVERAGE)


def _help_leads(hits: Sequence[Hit]) -> bool:
    """The best hit is one of the bot's help entries (its answer gives a command), about what the question asks,
    covering as much of it as a help entry offered must, and it leads the next document by HELP_LEAD: a question
    about using the bot is answered with its command rather than asked."""
    top = hits[0] if hits else None
    if top is None or top.kind != "faq" or not fits(top) or not COMMAND.search(top.text):
        return False
    if top.coverage < HELP_COVERAGE or top.core < CORE_COVERAGE:
        return False
    rival = next((h for h in hits[1:] if h.doc_id != top.doc_id), None)
    return rival is not None and top.score >= HELP_LEAD * rival.score


def _one_of_the_compared(hit: Hit) -> bool:
    """The hit is about one of two things compared: all it lacks is the other one (a thing named, not one of its own
    things left unasked) and the comparing."""
    return len(hit.missing) == 1 and not hit.missing[0].startswith("+") and set(hit.unasked) <= {COMPARISON}


def answer_passages(hits: Sequence[Hit]) -> list[Hit]:
    """What the model may answer from once retrieval is sure: the answer's own entry or lesson (its best passage
    first), nothing else. A passage about something else next to the right one invites an answer from the wrong
    one (ChatGPT vs Gemini for "ChatGPT là gì"); even a nearly-as-good neighbour did so (fresh tuning file with the
    fake LLM: 30 wrong with such neighbours, 25 without; retrieval alone: 19)."""
    top = hits[0]
    own = top.doc_id.split("#", 1)[0]
    return [top, *(h for h in hits[1:] if h.doc_id.split("#", 1)[0] == own)]


def build_service(settings: Any, catalog: Any, search: Index | None) -> AnswerService:
    """The service for these settings: with an LLM client when OPENAI_API_KEY is set."""
    llm = LlmAnswerer.from_settings(settings) if settings is not None else None
    timeout = float(getattr(settings, "llm_timeout", 8.0) or 8.0)
    return AnswerService(catalog, search, llm, total_timeout=timeout, cache_dir=getattr(settings, "cache_path", None))


def _story_then_ending(q: str) -> tuple[str, str] | None:
    """A long message told as a story and then asked (`told_then_asked`), when its ending asks something of its own
    and the story asks nothing itself; None otherwise. Not when the ending only asks whether the deed told is safe
    ("…, làm rứa có an toàn không"): that is asked of the story."""
    if len(content_syllables(q)) < LONG_QUESTION:
        return None
    split = told_then_asked(q)
    if split is None:
        return None
    story, ending = split
    if _vague(ending) or _questions(story) or any(_ASKED_IN_STORY.search(fold(c)) for c in story_clauses(story)):
        return None
    if _DOING_THAT.search(fold(ending)) and len(_own_words(ending)) <= DOING_THAT_WORDS:
        return None
    return story, ending
