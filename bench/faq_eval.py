"""Scoring of whole answers (not search ranks) on the FAQ evaluation sets.

The TEST part (tests/data/faq_testset.yaml) is never tuned on; the tuning part is tests/data/faq_devset.yaml.
An answer is right when it contains every key fact of the question (each a phrase or a list of alternative
phrases, compared word by word with their accents, tone placement and case aside), so an answer about another
topic does not pass.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from content.textnorm import new_style_tones

ROOT = Path(__file__).resolve().parent.parent
TESTSET = ROOT / "tests" / "data" / "faq_testset.yaml"
DEVSET = ROOT / "tests" / "data" / "faq_devset.yaml"

ANSWERABLE = ("answer", "help", "smalltalk")
Outcome = str  # "answer" | "suggest" | "refuse" | "smalltalk"


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return list(yaml.safe_load(fh))


_WORD = re.compile(r"\w+")


def _words(text: str) -> str:
    """Lower-case words with their accents, tones placed one way ("khỏe" is "khoẻ"), between spaces."""
    return " " + " ".join(_WORD.findall(new_style_tones(text).lower())) + " "


def _bare(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "D")


def has_key(text: str, key: str | Sequence[str]) -> bool:
    """One key fact (or any of its alternatives) is in the text as whole words, with its accents ("giả" is not
    the "gia" of "quốc gia"); a key written without any accent matches however the text is accented;
    "/lệnh" keys must appear as typed."""
    options = [key] if isinstance(key, str) else list(key)
    words = _words(text)
    for option in map(str, options):
        if option.startswith("/"):
            if re.search(re.escape(option) + r"(?![\w])", text, re.IGNORECASE):
                return True
        elif _bare(option) == option and _words(option) in _bare(words):
            return True
        elif _words(option) in words:
            return True
    return False


def has_keys(text: str, keys: Sequence[Any]) -> bool:
    return all(has_key(text, k) for k in keys)


@dataclass
class Scored:
    item: dict[str, Any]
    outcome: Outcome
    text: str
    verdict: str  # right | wrong | missed | offered


def judge(item: dict[str, Any], outcome: Outcome, text: str, offered_texts: Sequence[str] = ()) -> str:
    """right / wrong (a confident answer that is not right) / missed (refused or asked although answerable)
    / offered (asked "Có phải bạn muốn hỏi…" and the right answer is among the choices)."""
    expect = item["expect"]
    keys = item.get("keys") or []
    if expect == "refuse":
        if outcome == "refuse":
            return "right" if has_keys(text, keys) else "missed"
        return "wrong"
    if expect == "smalltalk":
        if outcome == "smalltalk":
            return "right"
        return "wrong" if outcome == "answer" else "missed"
    if expect == "unsure":  # nothing in the content answers it: an answer is right only with the keys it must have
        if outcome in ("refuse", "suggest"):
            return "right"
        if outcome == "smalltalk":
            return "missed"  # no wrong fact, but the question went unheard
        return "right" if keys and has_keys(text, keys) else "wrong"
    # answer / help
    if outcome == "answer":
        return "right" if has_keys(text, keys) else "wrong"
    if outcome == "suggest" and any(has_keys(t, keys) for t in offered_texts):
        return "offered"
    return "missed"


def summary(scored: Sequence[Scored]) -> dict[str, Any]:
    """The figures the issue asks for, on whatever list is given (the bench gives the test part)."""
    n = len(scored)
    answerable = [s for s in scored if s.item["expect"] in ANSWERABLE]
    oos = [s for s in scored if s.item["expect"] == "refuse"]
    wrong = [s for s in scored if s.verdict == "wrong"]
    out: dict[str, Any] = {
        "questions": n,
        "answerable": len(answerable),
        "answered with key facts": _share(sum(s.verdict == "right" for s in answerable), len(answerable)),
        "wrong answers given": len(wrong),
        "wrong answers share": _share(len(wrong), n),
        "refused although answerable": _share(
            sum(s.verdict == "missed" and s.outcome == "refuse" for s in answerable), len(answerable)),
        "asked which one (suggest)": _share(sum(s.outcome == "suggest" for s in answerable), len(answerable)),
        "right one offered when asking": sum(s.verdict == "offered" for s in answerable),
        "out_of_scope answered": _share(sum(s.outcome != "refuse" for s in oos), len(oos)),
        "out_of_scope refusals with the right text": _share(sum(s.verdict == "right" for s in oos), len(oos)),
        "unsure handled (refused/asked or right)": _share(
            sum(s.verdict == "right" for s in scored if s.item["expect"] == "unsure"),
            sum(s.item["expect"] == "unsure" for s in scored)),
        "right overall": _share(sum(s.verdict == "right" for s in scored), n),
    }
    per_cat: dict[str, Counter[str]] = defaultdict(Counter)
    for s in scored:
        per_cat[s.item["cat"]][s.verdict] += 1
    for cat, counts in sorted(per_cat.items()):
        total = sum(counts.values())
        out[f"right {cat}"] = f"{counts['right']}/{total}" + (f" (wrong {counts['wrong']})" if counts["wrong"] else "")
    return out


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def score_plan(svc: Any, item: dict[str, Any]) -> Scored:
    """Retrieval-only: what the chat would show (AnswerService.plan, no LLM)."""
    result = svc.plan(item["q"]).fallback
    return scored_result(svc, item, result)


def scored_result(svc: Any, item: dict[str, Any], result: Any) -> Scored:
    outcome = "refuse" if result.refused else str(result.decision)
    offered = []
    if outcome == "suggest":
        for doc_id, _title in result.suggestions:
            picked = svc.curated(doc_id)
            if picked is not None:
                offered.append(picked.text)
    return Scored(item, outcome, result.text, judge(item, outcome, result.text, offered))


async def score_answer(svc: Any, item: dict[str, Any]) -> Scored:
    """With the LLM (or without): what `hocbot ask` prints."""
    return scored_result(svc, item, await svc.answer(item["q"]))


def failures(scored: Sequence[Scored], limit: int = 200) -> list[str]:
    lines = []
    for s in scored:
        if s.verdict in ("wrong", "missed"):
            lines.append(f"[{s.verdict}] {s.item['cat']}: {s.item['q']!r} → {s.outcome}: {s.text[:90]!r}")
    return lines[:limit]


def judge_tuning(svc: Any, item: dict[str, Any]) -> Scored:
    """The tuning part names the expected entry (a list: any of them; null = refuse, smalltalk, unsure) instead
    of key facts. Retrieval only, as the chat shows it."""
    return judge_tuning_result(item, svc.plan(item["q"]).fallback)


async def judge_tuning_answer(svc: Any, item: dict[str, Any]) -> Scored:
    """The same through `AnswerService.answer` (with the LLM when the service has one)."""
    return judge_tuning_result(item, await svc.answer(item["q"]))


def judge_tuning_result(item: dict[str, Any], result: Any) -> Scored:
    outcome = "refuse" if result.refused else str(result.decision)
    expect = item["expect"]
    ids = set(expect) if isinstance(expect, list) else {expect}  # a list: any of these entries is right
    if expect is None:
        verdict = "right" if outcome == "refuse" else "wrong"
    elif expect == "smalltalk":
        verdict = "right" if outcome == "smalltalk" else "wrong" if outcome == "answer" else "missed"
    elif expect == "unsure":
        verdict = "right" if outcome in ("refuse", "suggest") else "wrong"
    elif outcome == "answer":
        verdict = "right" if result.faq_id in ids else "wrong"
    elif outcome == "suggest" and ids & {d for d, _ in result.suggestions}:
        verdict = "offered"
    else:
        verdict = "missed"
    return Scored({**item, "cat": item.get("style", "?")}, outcome, result.text, verdict)


def tuning_figures(scored: Sequence[Scored]) -> dict[str, Any]:
    """The test part's four figures on the tuning part, overall and per category (its verdicts name entries)."""
    out: dict[str, Any] = {}
    groups: dict[str, list[Scored]] = defaultdict(list)
    for s in scored:
        groups[""].append(s)
        groups[s.item["cat"]].append(s)
    for cat, group in sorted(groups.items()):
        answerable = [s for s in group if s.item["expect"] is not None and s.item["expect"] != "unsure"]
        oos = [s for s in group if s.item["expect"] is None]
        wrong = sum(s.verdict == "wrong" for s in group)
        refused = sum(s.outcome == "refuse" for s in answerable)
        prefix = f"{cat}: " if cat else ""
        if cat:
            parts = [f"right {sum(s.verdict == 'right' for s in answerable)}/{len(answerable)}" if answerable else "",
                     f"wrong {wrong}", f"refused {refused}" if answerable else "",
                     f"out_of_scope answered {sum(s.outcome != 'refuse' for s in oos)}/{len(oos)}" if oos else ""]
            out[f"{prefix}figures"] = ", ".join(p for p in parts if p)
            continue
        out["questions"] = len(group)
        out["answered with the expected entry"] = _share(sum(s.verdict == "right" for s in answerable), len(answerable))
        out["wrong answers given"] = wrong
        out["wrong answers share"] = _share(wrong, len(group))
        out["refused although answerable"] = _share(refused, len(answerable))
        out["out_of_scope answered"] = _share(sum(s.outcome != "refuse" for s in oos), len(oos))
    return out


def tuning_summary(scored: Sequence[Scored]) -> dict[str, Any]:
    n = len(scored)
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for s in scored:
        per[s.item["cat"]][s.verdict] += 1
    out: dict[str, Any] = {
        "questions": n,
        "right": _share(sum(s.verdict == "right" for s in scored), n),
        "wrong": sum(s.verdict == "wrong" for s in scored),
        "offered": sum(s.verdict == "offered" for s in scored),
        "missed": sum(s.verdict == "missed" for s in scored),
    }
    for cat, c in sorted(per.items()):
        out[f"right {cat}"] = f"{c['right']}/{sum(c.values())} (wrong {c['wrong']}, offered {c['offered']})"
    return out
