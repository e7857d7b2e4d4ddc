"""FAQ search benchmark: quality on the dev set, latency at the shipped size and at 2,000 entries.

Run: python -m bench.faq   (writes bench/results/faq.json)
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from content.catalog import load_catalog
from content.schema import FaqEntry
from content.search import SearchIndex, decide
from content.textnorm import fold

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "tests" / "data" / "faq_devset.yaml"
RESULTS = ROOT / "bench" / "results" / "faq.json"
SCALE = 2000
REPEAT = 5


def load_devset(path: Path = DEVSET) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return list(yaml.safe_load(fh))


def evaluate(index: SearchIndex, devset: Sequence[dict[str, Any]]) -> dict[str, float]:
    """recall@1 / recall@3 per style and overall, refusal shares for in-scope and out-of-scope questions."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    refused = {"in": [0, 0], "out": [0, 0]}
    for item in devset:
        hits = index.search(item["q"], k=3)
        verdict = decide(item["q"], hits)
        scope = "out" if item["expect"] is None else "in"
        refused[scope][0] += verdict == "refuse"
        refused[scope][1] += 1
        if scope == "out":
            continue
        ids = [h.doc_id for h in hits]
        for key in (item["style"], "all"):
            counts[key][0] += 1
            counts[key][1] += ids[:1] == [item["expect"]]
            counts[key][2] += item["expect"] in ids
    out: dict[str, float] = {}
    for key, (n, r1, r3) in counts.items():
        out[f"recall@1 {key}"] = r1 / n
        out[f"recall@3 {key}"] = r3 / n
    out["out_of_scope refused"] = refused["out"][0] / max(refused["out"][1], 1)
    out["in_scope refused"] = refused["in"][0] / max(refused["in"][1], 1)
    return out


def _timed(fn: Callable[[str], object], queries: Sequence[str]) -> list[float]:
    """Milliseconds per call, with fold()'s cache emptied first so repeats are not free."""
    samples = []
    for _ in range(REPEAT):
        for q in queries:
            fold.cache_clear()
            start = time.perf_counter()
            fn(q)
            samples.append((time.perf_counter() - start) * 1000.0)
    return samples


def _p(samples: list[float], pct: float) -> float:
    return statistics.quantiles(samples, n=100)[int(pct) - 1] if len(samples) > 1 else samples[0]


def scaled_entries(base: Sequence[FaqEntry], size: int, seed: int = 7) -> list[FaqEntry]:
    """The shipped entries plus generated variants (shuffled, cross-mixed sentences) up to `size`."""
    rng = random.Random(seed)
    out = list(base)
    words = [w for e in base for w in e.answer.split()]
    while len(out) < size:
        src = base[len(out) % len(base)]
        q_words = src.question.split()
        rng.shuffle(q_words)
        answer = " ".join(rng.sample(words, min(len(words), 60)))
        alts = [" ".join(rng.sample(words, 8)) for _ in range(3)]
        out.append(FaqEntry(id=f"gen{len(out)}", question=" ".join(q_words), alternatives=alts,
                            answer=answer, sources=list(src.sources)))
    return out


def _naive_scan(entries: Sequence[FaqEntry]) -> Callable[[str], object]:
    folded = [fold(f"{e.question} {' '.join(e.alternatives)} {e.answer}") for e in entries]

    def scan(query: str) -> object:
        words = fold.__wrapped__(query).split()
        return max(range(len(folded)), key=lambda i: sum(w in folded[i] for w in words))

    return scan


def run() -> dict[str, Any]:
    catalog = load_catalog()
    devset = load_devset()
    queries = [item["q"] for item in devset]
    t0 = time.perf_counter()
    index = SearchIndex.from_catalog(catalog)
    build_shipped = (time.perf_counter() - t0) * 1000.0
    result: dict[str, Any] = {
        "faq_entries": len(catalog.faq), "indexed_docs": len(index), "queries": len(devset)
    }
    result.update(evaluate(index, devset))
    shipped = _timed(lambda q: index.search(q, 3), queries)

    big_entries = scaled_entries(catalog.faq, SCALE)
    t0 = time.perf_counter()
    big = SearchIndex(big_entries, catalog.modules)
    build_big = (time.perf_counter() - t0) * 1000.0
    big_lat = _timed(lambda q: big.search(q, 3), queries)
    fold_lat = _timed(fold.__wrapped__, queries)
    scan_lat = _timed(_naive_scan(big_entries), queries[:30])
    result.update({
        "build ms shipped": build_shipped,
        "build ms 2000": build_big,
        "search p50 ms shipped": _p(shipped, 50), "search p95 ms shipped": _p(shipped, 95),
        "search p50 ms 2000": _p(big_lat, 50), "search p95 ms 2000": _p(big_lat, 95),
        "fold p50 ms": _p(fold_lat, 50),
        "naive scan p50 ms 2000": _p(scan_lat, 50),
    })
    search_p50 = result["search p50 ms 2000"]
    result["ratio search/fold 2000 p50"] = search_p50 / max(result["fold p50 ms"], 1e-9)
    result["ratio naive_scan/search 2000 p50"] = result["naive scan p50 ms 2000"] / search_p50
    return result


def main() -> None:
    result = run()
    for key, value in result.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"faq {key} = {shown}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
