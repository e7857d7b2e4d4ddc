"""Write content/data/asked.tsv from the tuning questions (tests/data/faq_devset.yaml, faq_devset_fresh.yaml).

    python -m bench.faq_asked        # write the file
    python -m bench.faq_asked --cv   # cross-validate the offer's thresholds on the tuning questions

The file is what content.asked compares a refused message with (the entry its nearest asked questions agree on is
offered as a choice). Only tuning questions go in: the test parts (tests/data/faq_testset*.yaml) are never read
here, so they still measure questions the bot has not seen; tests/test_asked.py checks both.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench import faq_eval
from bench.faq import DEVSET, DEVSET_FRESH, ROOT, load_devset
from content.asked import ASKED, LABELS

RESULTS = ROOT / "bench" / "results" / "faq_asked.json"
HEADER = ("# Questions typed the way citizens type them, each with what answers it: an FAQ entry or lesson id,\n"
          "# or -refuse (out of scope), -unsure (a detail no entry gives), -smalltalk. Written by\n"
          "# `python -m bench.faq_asked` from the tuning questions (tests/data/faq_devset.yaml and\n"
          "# faq_devset_fresh.yaml); do not edit by hand.\n")


def _label(expect: Any) -> str:
    """The entry a question is right for, or all of them ("a|b", content.asked.LABELS: the first votes), or its kind."""
    first = expect[0] if isinstance(expect, list) else expect
    if first in (None, "refuse", "unsure", "smalltalk"):
        return f"-{first or 'refuse'}"
    return LABELS.join(map(str, expect)) if isinstance(expect, list) else str(first)


def _devset_rows(devset: Path = DEVSET) -> list[tuple[str, str]]:
    return [(_label(item["expect"]), _one_line(item["q"])) for item in load_devset(devset)]


def _fresh_rows(items: list[dict[str, Any]]) -> list[tuple[int, tuple[str, str]]]:
    """(position in the file, (label, question)); help judged by its command alone names no entry: left out."""
    out = []
    for i, item in enumerate(items):
        kind = item["expect"]
        if kind not in ("answer", "help"):
            out.append((i, (f"-{kind}", _one_line(item["q"]))))
        elif item.get("entry"):
            out.append((i, (_label(item["entry"]), _one_line(item["q"]))))
    return out


def _one_line(q: Any) -> str:
    return " ".join(str(q).split())


def rows(devset: Path = DEVSET, fresh: Path = DEVSET_FRESH) -> list[tuple[str, str]]:
    return [*_devset_rows(devset), *(pair for _, pair in _fresh_rows(faq_eval.load(fresh)))]


def text() -> str:
    return HEADER + "".join(f"{label}\t{q}\n" for label, q in rows())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv", action="store_true", help="cross-validate the offer's thresholds instead")
    if parser.parse_args().cv:
        table = cross_validate()
        print(json.dumps(table, ensure_ascii=False, indent=1))
        RESULTS.write_text(json.dumps({"bench": "faq_asked", "cross-validation": table}, indent=1) + "\n")
        return
    ASKED.write_text(text(), encoding="utf-8")
    print(f"{ASKED}: {len(rows())} questions")



def cross_validate(folds: int = 10, similarities: tuple[float, ...] = (0.3, 0.4, 0.5),
                   shares: tuple[float, ...] = (0.0, 0.5, 0.8)) -> list[dict[str, Any]]:
    """How the offer of the nearest asked questions' entry would do on the fresh tuning questions that search
    refuses (not out of scope): each of `folds` contiguous blocks (batches were appended in order, so a block is
    mostly other writers' questions) is compared with an index of all the other asked questions. Per threshold
    pair: answerable messages whose right entry would be offered (first, or among search's next two), answerable
    ones offered none of theirs, out-of-scope ones offered anything (a defect), and unsure ones offered. Then how
    many of those messages would be answered right and wrong by the nearest entry when it is search's best (or its
    second or third) and fits (handlers.answers.service._asked_agree), and how many of search's near ties would
    (AnswerService._offer_agreed)."""
    from content.asked import KINDS, AskedIndex, entry_questions
    from content.catalog import load_catalog
    from content.search import fits
    from handlers.answers import service

    catalog = load_catalog()
    saved = service.NEAR_SIMILARITY, service.AGREE_SIMILARITY
    unconfirmed = service.AnswerService._unconfirmed
    service.NEAR_SIMILARITY = service.AGREE_SIMILARITY = 2.0  # what search alone decides
    service.AnswerService._unconfirmed = lambda self, q, hits, sure_only=False: None  # type: ignore[method-assign]
    try:
        svc = service.AnswerService(catalog)
        fresh = faq_eval.load(DEVSET_FRESH)
        plans = [svc.plan(item["q"]) for item in fresh]
    finally:
        service.NEAR_SIMILARITY, service.AGREE_SIMILARITY = saved
        service.AnswerService._unconfirmed = unconfirmed  # type: ignore[method-assign]
    base = [*entry_questions(catalog.faq), *_devset_rows()]
    fresh_rows = _fresh_rows(fresh)
    n = len(fresh)
    nearest: list[Any] = [None] * n
    for f in range(folds):
        lo, hi = f * n // folds, (f + 1) * n // folds
        index = AskedIndex([*base, *(pair for i, pair in fresh_rows if not lo <= i < hi)])
        for i in range(lo, hi):
            nearest[i] = index.nearest(fresh[i]["q"])
    out = []
    for sim in similarities:
        for share in shares:
            counts = {"similarity": sim, "share": share, "right offered": 0, "none of its offered": 0,
                      "out of scope offered": 0, "unsure offered": 0, "answerable refused": 0, "refused": 0}
            for item, plan, near in zip(fresh, plans, nearest, strict=True):
                res = plan.fallback
                if not res.refused or res.out_of_scope:
                    continue
                counts["refused"] += 1
                answerable = item["expect"] in ("answer", "help") and bool(item.get("entry"))
                counts["answerable refused"] += answerable
                if near is None or near.label in KINDS or near.similarity < sim or near.share < share:
                    continue
                found = [h.doc_id.split("#")[0] for h in plan.hits]
                offered = [near.label, *(d for d in found if d != near.label)][:3]
                if answerable:
                    right = item["entry"] in offered
                    counts["right offered" if right else "none of its offered"] += 1
                elif item["expect"] == "refuse":
                    counts["out of scope offered"] += 1
                elif item["expect"] == "unsure":
                    counts["unsure offered"] += 1
            out.append(counts)
    for sim, share in ((0.4, 0.95), (0.5, 0.8), (0.5, 0.95), (0.6, 0.95), (0.7, 0.95)):
        answered = {"answered when they agree with search's best, similarity": sim, "share": share, "right": 0,
                    "wrong": 0, "with its second or third: right": 0, "second or third: wrong": 0}
        for item, plan, near in zip(fresh, plans, nearest, strict=True):
            res = plan.fallback
            if not res.refused or res.out_of_scope or near is None or near.similarity < sim or near.share < share:
                continue
            at = next((i for i, h in enumerate(plan.hits[:3]) if h.doc_id.split("#")[0] == near.label and fits(h)),
                      None)
            if at is not None:
                right = item["expect"] in ("answer", "help") and item.get("entry") == near.label
                answered[("right" if right else "wrong") if at == 0 else
                         ("with its second or third: right" if right else "second or third: wrong")] += 1
        out.append(answered)
    out.extend(_offers_checked(fresh, plans, nearest))
    out.append(_readings_checked(svc, fresh, plans, nearest))
    out.append(_weak_checked(svc, fresh, plans, nearest))
    return out


def _offers_checked(fresh: list[dict[str, Any]], plans: list[Any], nearest: list[Any]) -> list[dict[str, Any]]:
    """Near ties search offers ("Có phải bạn muốn hỏi…"), answered with a choice when the fold's nearest asked
    questions all name it and it fits (handlers.answers.service.AnswerService._offer_agreed): how many would be
    answered right and wrong, per threshold pair, with the choice offered first and with a later one."""
    from content.search import fits
    from handlers.answers.service import SUGGEST

    out = []
    for sim, share in ((0.4, 0.95), (0.5, 0.8), (0.5, 0.95), (0.6, 0.95)):
        counts = {"offers answered when they agree with a choice, similarity": sim, "share": share, "offers": 0,
                  "the first: right": 0, "the first: wrong": 0, "a later one: right": 0, "a later one: wrong": 0}
        for item, plan, near in zip(fresh, plans, nearest, strict=True):
            res = plan.fallback
            if res.decision != "suggest" or not res.text.startswith(SUGGEST) or not res.suggestions:
                continue
            counts["offers"] += 1
            if near is None or near.similarity < sim or near.share < share:
                continue
            choices = [d.split("#")[0] for d, _ in res.suggestions]
            if near.label not in choices or not any(h.doc_id.split("#")[0] == near.label and fits(h)
                                                    for h in plan.hits):
                continue
            right = item["expect"] in ("answer", "help") and item.get("entry") == near.label
            which = "the first" if choices[0] == near.label else "a later one"
            counts[f"{which}: {'right' if right else 'wrong'}"] += 1
        out.append(counts)
    return out


def _weak_checked(svc: Any, fresh: list[dict[str, Any]], plans: list[Any], nearest: list[Any]) -> dict[str, Any]:
    """Plain search answers (no reading) scored below handlers.answers.service.WEAK_ANSWER, by whether the fold's
    nearest asked questions name another entry, or none, with confidence (NEAR_SIMILARITY, NEAR_SHARE: then
    AnswerService._unconfirmed offers, or refuses, instead): how many of each are right and wrong."""
    from handlers.answers.service import _READ_INTO_AN_ANSWER, NEAR_SHARE, NEAR_SIMILARITY, WEAK_ANSWER

    counts = {"weak answers, not doubted: right": 0, "not doubted: wrong": 0,
              "doubted (offered or refused instead): right": 0, "doubted: wrong": 0}
    for item, plan, near in zip(fresh, plans, nearest, strict=True):
        res = plan.fallback
        if res.decision != "answer" or _READ_INTO_AN_ANSWER & set(plan.rules) or plan.hits[0].score >= WEAK_ANSWER:
            continue
        right = faq_eval.scored_result(svc, item, res).verdict == "right"
        doubted = near is not None and near.label != (res.faq_id or "").split("#", 1)[0] \
            and near.similarity >= NEAR_SIMILARITY and near.share >= NEAR_SHARE
        key = ("doubted (offered or refused instead): right" if right else "doubted: wrong") if doubted else \
            ("weak answers, not doubted: right" if right else "not doubted: wrong")
        counts[key] += 1
    return counts


def _readings_checked(svc: Any, fresh: list[dict[str, Any]], plans: list[Any], nearest: list[Any]) -> dict[str, Any]:
    """Answers a reading of the message made of what search was unsure of (handlers.answers.service
    _READ_INTO_AN_ANSWER), by whether the fold's nearest asked questions name the same entry (AnswerService
    ._unconfirmed offers the two instead when they do not): how many of each are right and wrong."""
    from handlers.answers.service import _READ_INTO_AN_ANSWER

    counts = {"readings' answers, asked questions agree: right": 0, "agree: wrong": 0,
              "disagree (offered instead): right": 0, "disagree: wrong": 0}
    for item, plan, near in zip(fresh, plans, nearest, strict=True):
        res = plan.fallback
        if res.decision != "answer" or not _READ_INTO_AN_ANSWER & set(plan.rules):
            continue
        right = faq_eval.scored_result(svc, item, res).verdict == "right"
        agree = near is not None and near.label == (res.faq_id or "").split("#", 1)[0]
        key = ("readings' answers, asked questions agree: right" if right else "agree: wrong") if agree else \
            ("disagree (offered instead): right" if right else "disagree: wrong")
        counts[key] += 1
    return counts


if __name__ == "__main__":
    main()
