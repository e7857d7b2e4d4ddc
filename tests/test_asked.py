"""Issue 16: a refused message worded like questions people asked is offered the entry those questions agree on
(content.asked), never answered with it; messages out of scope, or asking what no entry tells, stay refused.
The asked questions are the tuning questions only: no question of a test part is among them."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bench import faq_asked, faq_eval
from content import asked
from content.asked import ASKED, KINDS, LABELS, AskedIndex, read_asked
from content.catalog import load_catalog
from content.search import fits
from handlers.answers import service
from handlers.answers.service import NEAR_INTRO, REFUSE_UNKNOWN, SUGGEST, AnswerService
from tests.conftest import make_settings
from tests.harness import WebUser, running_bot
from tests.test_search import _typed

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def catalog() -> Any:
    return load_catalog()


def test_the_asked_file_is_written_from_the_tuning_questions_alone() -> None:
    # in step with its source (python -m bench.faq_asked), and holding none of the test parts' questions, which
    # would then measure questions the bot has seen
    assert ASKED.read_text(encoding="utf-8") == faq_asked.text()
    held = {_typed(q) for _, q in read_asked()}
    parts = sorted(DATA.glob("faq_testset*.yaml"))
    assert len(parts) >= 12
    for part in parts:  # a count only: no test question in the output
        seen = sum(_typed(item["q"]) in held for item in faq_eval.load(part))
        assert seen == 0, f"{seen} questions of {part.name} are asked questions"


def test_every_label_is_an_entry_a_lesson_or_a_kind(catalog: Any) -> None:
    entries = {e.id for e in catalog.faq}
    unknown = {label for labels, _ in read_asked() for label in labels.split(LABELS)
               if label not in KINDS and label not in entries and catalog.lesson_by_id(label) is None}
    assert not unknown


def _brute(index: AskedIndex, text: str) -> list[float]:
    """Cosine of the text with every asked question, computed directly from the features."""
    q = [asked._vector(space, index.idf) for space in asked._spaces(text)]
    out = []
    for d in range(len(index)):
        sim = 0.0
        for h, w in {**q[0], **q[1]}.items():  # buckets of the two spaces seldom meet; where they do, as indexed
            lo, hi = index.start[h], index.start[h + 1]
            sim += sum(w * asked.STEP * index.weights[i] for i in range(lo, hi) if index.docs[i] == d)
        out.append(sim)
    return out


def test_nearest_votes_with_the_exact_similarity_of_the_nearest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(asked, "COMMON", 1.0)  # every question a candidate: the top K are the exact top K
    index = AskedIndex([
        ("zalo_pw", "quên mật khẩu zalo thì làm sao"), ("zalo_pw", "mat khau zalo quen roi lay lai kieu gi"),
        ("vneid_pw", "quên mật khẩu VNeID"), ("-refuse", "cho tôi vay tiền"), ("-refuse", "vay tien nhanh"),
        ("week", "tuần lễ học tập suốt đời diễn ra khi nào"),
    ])
    near = index.nearest("em quen mk zalo r, lấy lại sao a")
    assert near is not None and near.label == "zalo_pw"
    sims = _brute(index, "em quen mk zalo r, lấy lại sao a")
    assert math.isclose(near.similarity, max(sims), rel_tol=1e-5)
    power = asked.VOTE_POWER  # each of the K nearest votes with its similarity to this power
    share = sum(s ** power for s, (label, _) in zip(sims, read_pairs(index), strict=True) if label == "zalo_pw")
    assert math.isclose(near.share, share / sum(s ** power for s in sorted(sims, reverse=True)[:5]), rel_tol=1e-5)


def test_a_near_question_outvotes_several_far_ones() -> None:
    # "mk muốn xem mk đứng top mấy trong nhóm thì gõ j ạ" (test part P) was doubted: its nearest asked questions were
    # of the leaderboard, more but farther ones of progress, and their plain sum voted progress. Each votes with its
    # similarity squared (VOTE_POWER): here one at 0.90 against four at 0.41 and less.
    index = AskedIndex([
        ("bot_leaderboard", "muốn xem mình đứng thứ mấy trong nhóm thì gõ gì"),
        ("bot_progress", "Muốn coi mình học được mấy bài rồi thì gõ cái gì?"),
        ("bot_progress", "e mún xem mk học đc bn bài r thì gõ j"),
        ("bot_progress", "Bot ơi, tôi muốn xem mình đã học được mấy bài rồi thì gõ lệnh gì?"),
        ("bot_progress", "e muốn xem mình học đc mấy bài r"),
        ("-refuse", "cho tôi vay tiền"), ("-refuse", "vay tien nhanh"),
        ("week", "tuần lễ học tập suốt đời diễn ra khi nào"),
    ])
    near = index.nearest("mk muốn xem mk đứng top mấy trong nhóm thì gõ j ạ")
    assert near is not None and near.label == "bot_leaderboard", near
    refused = index.nearest("vay tiền ở đâu nhanh")
    assert refused is not None and refused.label == "-refuse"
    assert index.nearest("") is None
    unlike = index.nearest("xyzw qqqq")
    assert unlike is None or unlike.similarity < 0.1


def read_pairs(index: AskedIndex) -> list[tuple[str, str]]:
    return [(label, "") for label in index.labels]


def test_candidates_come_from_rarer_features_and_are_scored_with_all(monkeypatch: pytest.MonkeyPatch) -> None:
    # features held by more than COMMON of the questions find no candidate, and count in the candidates' score
    monkeypatch.setattr(asked, "COMMON", 0.5)
    monkeypatch.setattr(asked, "MIN_COMMON", 1)
    index = AskedIndex([("a", "học AI ở đâu gần nhà"), ("b", "học AI ở đâu miễn phí"), ("c", "zalo bị khóa")])
    assert index.common == 1
    near = index.nearest("học AI ở đâu gần nhà")  # found by "gần nhà", scored with "học AI ở đâu" too: 1.0
    assert near is not None and near.label == "a" and math.isclose(near.similarity, 1.0, rel_tol=1e-5)
    assert index.nearest("học AI ở đâu") is None  # held by a and b alike: no rarer feature finds a candidate
    monkeypatch.setattr(asked, "COMMON", 0.0)
    assert AskedIndex([("a", "học AI"), ("b", "học AI")]).nearest("học AI") is None  # nothing rare: no guess


@pytest.mark.parametrize(("question", "first"), [
    # refused by search (the best entry does not cover what is asked), worded like asked questions of one entry
    # ("tui hỏi con chatgpt nó trả lời dài quá, muốn nó nói ngắn lại thì phải làm sao" was one: since T11 an entry of
    # its own answers it, tests/test_faq_tune_t10.py)
    ("tôi già rồi mắt kém gõ chữ không nổi, có cách nào hỏi AI mà khỏi gõ không", "ai_voice"),
])
def test_a_refused_message_near_asked_questions_is_offered_their_entry(
        catalog: Any, question: str, first: str) -> None:
    plan = AnswerService(catalog).plan(question)
    result = plan.fallback
    assert (result.decision, result.refused) == ("suggest", False) and "nearest asked" in plan.rules
    assert result.suggestions[0][0] == first and result.text.startswith(NEAR_INTRO)
    assert len({d for d, _ in result.suggestions}) == len(result.suggestions) <= 3


@pytest.mark.parametrize("question", [
    "Messi năm nay đá cho đội nào",  # out of scope: its nearest asked questions were refused too
    "con cháu đi làm xa, tôi muốn gọi video cho tụi nó mà không biết bấm chỗ nào",  # no entry tells it
    "cho tôi vay 5 triệu",  # out of scope, refused before any comparison
])
def test_what_asked_questions_did_not_answer_stays_refused(catalog: Any, question: str) -> None:
    result = AnswerService(catalog).plan(question).fallback
    assert result.refused and result.decision == "refuse" and not result.suggestions


async def test_the_offer_in_the_web_chat_opens_the_entry(db_url: str) -> None:
    async with running_bot(make_settings(db_url), sending=False) as bot, aiohttp.ClientSession() as http:
        u = WebUser(bot.url, http)
        await u.says("tôi già rồi mắt kém gõ chữ không nổi, có cách nào hỏi AI mà khỏi gõ không")
        assert u.last_reply() == NEAR_INTRO and REFUSE_UNKNOWN not in u.all_text()
        assert "Có thể nói chuyện với AI bằng giọng nói không?" in u.buttons()
        await u.press("giọng nói")
        assert "nút micro" in u.last_reply() and "Nguồn" in u.last_reply()


def test_the_index_is_kept_on_disk_and_read_back_by_the_next_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    source = tmp_path / "asked.tsv"
    source.write_text("# asked\nzalo_pw\tquên mật khẩu zalo thì làm sao\n-refuse\tcho tôi vay tiền\n"
                      "week\ttuần lễ học tập suốt đời diễn ra khi nào\n", encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setattr(asked, "_built", {})
    built = asked.for_entries([], source, cache)
    files = list(cache.glob("asked-*.idx"))
    assert len(files) == 1
    monkeypatch.setattr(asked, "_built", {})  # another process
    monkeypatch.setattr(asked, "AskedIndex", _NoBuild)
    read = asked.for_entries([], source, cache)
    question = "quen mk zalo lấy lại sao"
    assert read.nearest(question) == built.nearest(question) and read.labels == built.labels
    files[0].write_bytes(files[0].read_bytes()[:-10])  # truncated: rebuilt, not trusted
    monkeypatch.setattr(asked, "_built", {})
    monkeypatch.setattr(asked, "AskedIndex", AskedIndex)
    assert asked.for_entries([], source, cache).nearest(question) == built.nearest(question)
    assert "unreadable" in caplog.text
    source.write_text("zalo_pw\tquên mật khẩu zalo\n", encoding="utf-8")  # other questions: another file
    asked.for_entries([], source, cache)
    assert len(list(cache.glob("asked-*.idx"))) == 2


class _NoBuild(AskedIndex):
    def __init__(self, pairs: Any) -> None:
        raise AssertionError("built again although kept on disk")


def _refused_by_search(svc: AnswerService, question: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(service, "NEAR_SIMILARITY", 2.0)
    monkeypatch.setattr(service, "AGREE_SIMILARITY", 2.0)
    plan = svc.plan(question)
    monkeypatch.undo()
    return plan


def _asked_as(svc: AnswerService, question: str, label: str, monkeypatch: pytest.MonkeyPatch, others: int = 0) -> None:
    """The asked questions made five wordings of `question` labelled `label` (`others` of them "-unsure")."""
    paraphrases = [question, question + " ạ", "cho hỏi " + question, question + " vậy", question + " nhé"]
    pairs = [*((label, p) for p in paraphrases[:5 - others]), *(("-unsure", p) for p in paraphrases[5 - others:]),
             ("-refuse", "cho tôi vay tiền"), ("x", "zalo bị khóa")]
    monkeypatch.setattr(service, "asked_for_entries", lambda *_a, **_k: AskedIndex(pairs))
    svc._asked = None  # the service keeps the index it read first


@pytest.mark.parametrize("question", [
    "ông nhà tôi vừa mất tiền vì bấm link tin nhắn bảo cập nhật địa chỉ nhận hàng, giờ tôi muốn báo cái số đó thì "
    "nhắn đi đâu",
    "bọn trẻ trong xóm học kỹ năng số trên mạng, còn ông bà già như tôi thì đi học ở đâu cho tiện",
])
def test_a_refusal_is_answered_when_the_asked_questions_all_name_one_of_search_best_entries(
        catalog: Any, question: str, monkeypatch: pytest.MonkeyPatch) -> None:
    svc = AnswerService(catalog)
    before = _refused_by_search(svc, question, monkeypatch)
    assert before.fallback.refused and not before.fallback.out_of_scope
    top = before.hits[0]
    assert fits(top)  # about what the message names and asks to do, yet not covering enough of it to be sure
    best = top.doc_id.split("#")[0]
    second = before.hits[1]
    assert fits(second) and second.doc_id.split("#")[0] != best
    elsewhere = next(e.id for e in catalog.faq if e.id not in {h.doc_id.split("#")[0] for h in before.hits})

    _asked_as(svc, question, best, monkeypatch)  # both readings agree: answered with search's best, its sources shown
    plan = svc.plan(question)
    assert plan.decision == "answer" and str(plan.fallback.faq_id).split("#")[0] == best, plan.rules
    assert "asked agree" in plan.rules and plan.fallback.sources and not plan.fallback.refused
    _asked_as(svc, question, best, monkeypatch, others=1)  # one of the five nearest says no entry tells it: offered
    plan = svc.plan(question)
    assert plan.decision == "suggest" and plan.fallback.suggestions[0][0].split("#")[0] == best
    _asked_as(svc, question, second.doc_id.split("#")[0], monkeypatch)  # search's second, and it fits: answered
    plan = svc.plan(question)
    assert plan.decision == "answer" and plan.fallback.faq_id == second.doc_id, plan.rules
    _asked_as(svc, question, elsewhere, monkeypatch)  # an entry search did not find: offered, not answered
    plan = svc.plan(question)
    assert plan.decision == "suggest" and plan.fallback.suggestions[0][0] == elsewhere
    assert plan.fallback.text.startswith(NEAR_INTRO)


@pytest.mark.parametrize("question", [
    "tôi muốn tra coi làm giấy khai sinh cho cháu nội có nộp qua mạng được không",
    "hôm bữa em lỡ bấm hủy trên bot, giờ ko thấy thông báo của hội nữa, muốn nhận lại",
])
def test_an_offer_is_answered_when_the_asked_questions_all_name_its_first_choice(
        catalog: Any, question: str, monkeypatch: pytest.MonkeyPatch) -> None:
    svc = AnswerService(catalog)
    before = _refused_by_search(svc, question, monkeypatch)  # search alone: a near tie, offered
    assert before.decision == "suggest" and before.fallback.text.startswith(SUGGEST), before.fallback.text
    first, second = (d.split("#")[0] for d, _ in before.fallback.suggestions[:2])
    _asked_as(svc, question, first, monkeypatch)  # both readings agree: the choice offered first is the answer
    plan = svc.plan(question)
    assert plan.decision == "answer" and str(plan.fallback.faq_id).split("#")[0] == first, plan.rules
    assert "asked agree, offered" in plan.rules and plan.fallback.sources
    assert plan.fallback.text == svc.curated(str(plan.fallback.faq_id)).text  # type: ignore[union-attr]
    _asked_as(svc, question, first, monkeypatch, others=1)  # one of the five nearest says no entry tells it
    plan = svc.plan(question)
    assert plan.decision == "suggest" and plan.fallback.text.startswith(SUGGEST)
    _asked_as(svc, question, second, monkeypatch)  # they name the second choice: that one is the answer
    plan = svc.plan(question)
    assert plan.decision == "answer" and str(plan.fallback.faq_id).split("#")[0] == second, plan.rules
    _asked_as(svc, question, "-unsure", monkeypatch)  # they say no entry tells it: still asked which one
    plan = svc.plan(question)
    assert plan.decision == "suggest" and plan.fallback.text.startswith(SUGGEST)


def test_an_entry_lacking_a_thing_the_message_names_is_never_answered_with(
        catalog: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # "Ngày Sách" is no "Ngày Khuyến học", however alike the asked questions about the latter are
    question = "ngày sách việt nam là ngày nào"
    svc = AnswerService(catalog)
    before = _refused_by_search(svc, question, monkeypatch)
    assert before.hits[0].doc_id == "ngay_khuyen_hoc" and before.hits[0].missing
    _asked_as(svc, question, "ngay_khuyen_hoc", monkeypatch)
    plan = svc.plan(question)
    assert plan.decision != "answer" and "2/10" not in plan.fallback.text.split("\n")[0]


def test_files_of_older_content_are_deleted_when_a_new_one_is_written(tmp_path: Path) -> None:
    import os
    import time

    from content.cachefile import STALE_DAYS, read_or_build

    old = tmp_path / "asked-0000.idx"
    recent = tmp_path / "asked-1111.idx"
    other_kind = tmp_path / "search-2222.idx"
    for f in (old, recent, other_kind):
        f.write_bytes(b"x")
    week_ago = time.time() - (STALE_DAYS + 1) * 86400
    os.utime(old, (week_ago, week_ago))
    os.utime(other_kind, (week_ago, week_ago))
    made = read_or_build(tmp_path / "asked-3333.idx", "test", lambda p: p.read_bytes(), lambda: b"new",
                         lambda data, p: p.write_bytes(data))
    assert made == b"new" and (tmp_path / "asked-3333.idx").exists()
    assert not old.exists() and recent.exists() and other_kind.exists()  # a rolling restart's file stays


def test_the_service_reads_the_asked_questions_once(catalog: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # every refused message compares with them: reading data/asked.tsv again each time cost 20 ms a message
    reads: list[Path] = []
    real = asked.read_asked
    monkeypatch.setattr(asked, "read_asked", lambda path=ASKED: reads.append(path) or real(path))
    svc = AnswerService(catalog)
    for question in ("Messi năm nay đá cho đội nào", "con cháu đi làm xa, tôi muốn gọi video cho tụi nó mà không "
                     "biết bấm chỗ nào", "tôi già rồi mắt kém gõ chữ không nổi, có cách nào hỏi AI mà khỏi gõ không"):
        svc.plan(question)
    assert len(reads) == 1


def test_a_question_right_for_several_entries_keeps_them_all() -> None:
    # the tuning part's "bấm vào đâu để học" is right for three entries: the first votes, and a message typed word for
    # word names the others too, so an answer with any of them stands (it was offered, asked.tsv keeping the first)
    index = AskedIndex([("bdhai_start|bot_learn_command|bot_start", "bấm vào đâu để học"),
                        ("bot_progress", "xem mình học đến đâu rồi"), ("-refuse", "cho tôi vay tiền")])
    near = index.nearest("bấm vào đâu để học")
    assert near is not None and near.label == "bdhai_start" and near.also == (), near
    typed = index.nearest("bấm vào đâu để học", same=True)
    assert typed is not None and (typed.label, typed.also) == ("bdhai_start", ("bot_learn_command", "bot_start"))
    assert ("bdhai_start|bot_learn_command|bot_start", "bấm vào đâu để học") in read_asked()
