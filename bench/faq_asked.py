"""Write content/data/asked.tsv from the tuning questions (tests/data/faq_devset.yaml, faq_devset_fresh.yaml).

    python -m bench.faq_asked

The file is what content.asked compares a refused message with (the entry its nearest asked questions agree on is
offered as a choice). Only tuning questions go in: the test parts (tests/data/faq_testset*.yaml) are never read
here, so they still measure questions the bot has not seen; tests/test_asked.py checks both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import faq_eval
from bench.faq import DEVSET, DEVSET_FRESH, load_devset
from content.asked import ASKED

HEADER = ("# Questions typed the way citizens type them, each with what answers it: an FAQ entry or lesson id,\n"
          "# or -refuse (out of scope), -unsure (a detail no entry gives), -smalltalk. Written by\n"
          "# `python -m bench.faq_asked` from the tuning questions (tests/data/faq_devset.yaml and\n"
          "# faq_devset_fresh.yaml); do not edit by hand.\n")


def _label(expect: Any) -> str:
    first = expect[0] if isinstance(expect, list) else expect
    if first in (None, "refuse", "unsure", "smalltalk"):
        return f"-{first or 'refuse'}"
    return str(first)


def rows(devset: Path = DEVSET, fresh: Path = DEVSET_FRESH) -> list[tuple[str, str]]:
    out = [(_label(item["expect"]), item["q"]) for item in load_devset(devset)]
    for item in faq_eval.load(fresh):
        kind = item["expect"]
        if kind not in ("answer", "help"):
            out.append((f"-{kind}", item["q"]))
        elif item.get("entry"):  # help judged by its command alone names no entry
            out.append((_label(item["entry"]), item["q"]))
    return [(label, " ".join(str(q).split())) for label, q in out]


def text() -> str:
    return HEADER + "".join(f"{label}\t{q}\n" for label, q in rows())


def main() -> None:
    ASKED.write_text(text(), encoding="utf-8")
    print(f"{ASKED}: {len(rows())} questions")


if __name__ == "__main__":
    main()
