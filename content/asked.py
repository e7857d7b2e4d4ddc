"""Questions people asked, each with what answers it: the nearest ones name the entry a refused question most
likely means.

The FAQ search (content.search) refuses when the best passage does not cover what the message asks; many of those
messages are answerable, only worded far from every entry ("bọn trẻ học kỹ năng số trên mạng, còn ông bà già như
tôi thì đi học ở đâu"). The questions in data/asked.tsv were typed the way citizens type (the project's tuning
questions, written from the content by people who did not see the search), each labelled with the entry or lesson
that answers it, or with what kind of message it is when nothing does (out of scope, a detail no entry gives, small
talk). A refused message whose nearest asked questions agree on one entry is offered that entry as a choice, not
answered with it (similar wording is not proof that the entry says what was asked), unless all of them name the
entry search itself found best and it fits (handlers.answers.service._asked_agree).

The likeness is TF-IDF cosine over character n-grams of each folded word (2-5 letters, so "hok", "hoc" and "học"
share most of theirs) and over words and word pairs, half each, as scikit-learn's char_wb and word vectorizers with
sublinear tf would compute it; k nearest vote with their similarity.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import json
import math
import threading
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from content.cachefile import read_or_build, write_atomically
from content.schema import FaqEntry
from content.textnorm import fold

ASKED = Path(__file__).with_name("data") / "asked.tsv"
LABELS = "|"  # between the entries a question is right for ("bdhai_start|bot_learn_command"), the first voting
KINDS = frozenset({"-refuse", "-unsure", "-smalltalk"})  # labels of messages no entry answers
# A tuning question the message is, feature for feature (cosine 1 but for rounding): its label alone is what the
# message asks ("bot có mất tiền không" is asked as such for bot_cost; the four nearest others are of the lessons')
SAME = 0.999
K = 5  # nearest asked questions that vote
# Each of the K votes with its similarity squared: two near questions of one entry (0.72, 0.60) outweigh three far
# ones of another (0.48, 0.46, 0.42), which their plain sum did not. Chosen by `python -m bench.faq_asked --cv` on
# the tuning questions (T1-T76, ten folds), at the thresholds in use: refusals whose right entry is offered 606
# (594 with plain sums), none of theirs 37 (37), unsure ones offered 87 (91); weak answers doubted that were
# wrong 68 (66), right 39 (36).
VOTE_POWER = 2
CHAR_N = (2, 5)
COMMON = 0.05  # a feature held by more of the asked questions than this share is compared last
MIN_COMMON = 40  # … and by more than this many (in a small index every feature finds its candidates)
CANDIDATES = 40  # questions scored exactly
BUCKETS = 1 << 19  # hashed features
MASK = BUCKETS - 1
FORMAT = 2  # of the features and the file: a change makes older cached files unused
_MAGIC = b"hocbot-asked\n"
HALF = math.sqrt(0.5)  # each space weighs half of the cosine
STEP = HALF / 65535  # weights are kept as 16-bit steps of this (no weight is above HALF)


@dataclass(frozen=True)
class Nearest:
    label: str  # an FAQ entry or lesson id, or one of KINDS
    similarity: float  # cosine of the nearest asked question with that label
    share: float  # the share of the K nearest's summed similarity that votes for the label
    also: tuple[str, ...] = ()  # with `same`: the other entries the question typed word for word is right for


def _features(folded: str) -> tuple[Counter[str], Counter[str]]:
    words = folded.split()
    chars: Counter[str] = Counter()
    lo, hi = CHAR_N
    for w in words:
        padded = f" {w} "
        for n in range(lo, hi + 1):
            if n > len(padded):
                break
            for i in range(len(padded) - n + 1):
                chars[padded[i:i + n]] += 1
    grams: Counter[str] = Counter(words)
    grams.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return chars, grams


def _hashed(counts: Counter[str], salt: str) -> Counter[int]:
    """Features into BUCKETS by CRC-32 (the same in every process, so an index kept on disk stays valid)."""
    out: Counter[int] = Counter()
    for f, c in counts.items():
        out[zlib.crc32((salt + f).encode()) & MASK] += c
    return out


def _vector(counts: Counter[int], idf: array[float]) -> dict[int, float]:
    """Sublinear tf times idf, L2-normalised, times √½ (each of the two spaces weighs half of the cosine);
    features never seen in the asked questions are dropped."""
    vec = {h: (1.0 + math.log(c)) * idf[h] for h, c in counts.items() if idf[h]}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {h: HALF * v / norm for h, v in vec.items()} if norm else {}


def _doc_code(n: int) -> str:
    """16-bit question numbers while they fit (half the memory), else 32-bit."""
    return "H" if n <= 0xFFFF else "I"


def _spaces(text: str) -> tuple[Counter[int], Counter[int]]:
    chars, words = _features(fold(text))
    return _hashed(chars, "c"), _hashed(words, "w")


class AskedIndex:
    """Hashed features (BUCKETS) in one inverted index, kept in flat arrays: per bucket, the asked questions that
    have it (in order) and their weights. A message is compared first through its rarer features (held by at most
    COMMON of the questions), then its CANDIDATES nearest are scored exactly with the common ones too."""

    def __init__(self, asked: Iterable[tuple[str, str]]) -> None:
        """`asked`: (label, question) pairs."""
        pairs = list(asked)
        self.labels = [label for label, _ in pairs]
        n = len(pairs)
        count = array("I", bytes(4 * (BUCKETS + 1)))
        for _, q in pairs:  # features counted here and made again below: nothing held per question meanwhile
            for space in _spaces(q):
                for h in space:
                    count[h] += 1
        self.idf = array("f", (math.log((1 + n) / (1 + c)) + 1.0 if c else 0.0 for c in count))
        # The counts become the starts in place, one place on (bucket h's start at h + 1): while the postings are
        # written that place is h's cursor, and ends as h + 1's start (no second array of a bucket's place).
        total, carry, count[0] = 0, count[0], 0
        for h in range(BUCKETS):
            carry, count[h + 1], total = count[h + 1], total, total + carry
        self.docs = array(_doc_code(n), bytes(array(_doc_code(n)).itemsize * total))
        self.weights = array("H", bytes(2 * total))  # × STEP: a question's weight of the feature
        for i, (_, q) in enumerate(pairs):
            for space in _spaces(q):
                for h, w in _vector(space, self.idf).items():
                    at = count[h + 1]
                    self.docs[at] = i
                    self.weights[at] = round(w / STEP)
                    count[h + 1] = at + 1
        self.start = count
        self.common = max(MIN_COMMON, int(n * COMMON))

    # -- the on-disk copy (HOCBOT_CACHE_DIR), as the search index's: read by the next start-up and other workers --
    def save(self, path: Path, key: str) -> None:
        meta = json.dumps({"key": key, "labels": self.labels, "postings": len(self.docs)}, ensure_ascii=False).encode()
        write_atomically(path, (_MAGIC, len(meta).to_bytes(8, "little"), meta,
                                *(part.tobytes() for part in (self.start, self.idf, self.docs, self.weights))))

    @classmethod
    def load(cls, path: Path, key: str) -> AskedIndex:
        """Read with each array filled straight from the file (no copy of the whole file held meanwhile)."""
        with path.open("rb") as f:
            if f.read(len(_MAGIC)) != _MAGIC:
                raise ValueError("not an asked-questions index")
            meta = json.loads(f.read(int.from_bytes(f.read(8), "little")).decode())
            if meta.get("key") != key:
                raise ValueError("another content's index")
            index = cls.__new__(cls)
            index.labels = [str(label) for label in meta["labels"]]
            total = int(meta["postings"])
            parts = (("start", "I", BUCKETS + 1), ("idf", "f", BUCKETS + 1),
                     ("docs", _doc_code(len(index.labels)), total), ("weights", "H", total))
            for name, code, size in parts:
                part = array(code)
                part.fromfile(f, size)  # EOFError when the file is cut short
                setattr(index, name, part)
            if f.read(1):
                raise ValueError("more than an index in the file")
        index.common = max(MIN_COMMON, int(len(index.labels) * COMMON))
        return index

    def __len__(self) -> int:
        return len(self.labels)

    def nearest(self, text: str, k: int = K, same: bool = False) -> Nearest | None:
        """The label the `k` asked questions nearest to `text` vote for. `same`: when `text` is one of them word for
        word (SAME), that one's label alone (used to confirm an answer, never to make one)."""
        query: dict[int, float] = {}
        for space in _spaces(text):
            for h, w in _vector(space, self.idf).items():
                query[h] = query.get(h, 0.0) + w
        sims: dict[int, float] = {}
        common: list[tuple[int, float]] = []
        docs, weights, start = self.docs, self.weights, self.start
        for h, qw in query.items():
            lo, hi = start[h], start[h + 1]
            if hi - lo > self.common:
                common.append((h, qw))
                continue
            qw *= STEP
            for d, w in zip(docs[lo:hi], weights[lo:hi], strict=True):
                sims[d] = sims.get(d, 0.0) + qw * w
        if not sims:
            return None
        scored: list[tuple[float, int]] = []
        for d, s in heapq.nlargest(CANDIDATES, sims.items(), key=itemgetter(1)):
            for h, qw in common:
                lo, hi = start[h], start[h + 1]
                at = bisect_left(docs, d, lo, hi)
                if at < hi and docs[at] == d:
                    s += qw * STEP * weights[at]
            scored.append((s, d))
        scored.sort(reverse=True)
        same_text = [x for x in scored if x[0] >= SAME] if same else []
        votes: dict[str, float] = {}
        best: dict[str, float] = {}
        also: list[str] = []
        for sim, doc in same_text or scored[:k]:  # asked word for word as a tuning question: what that one is
            label, *others = self.labels[doc].split(LABELS)  # a question right for several entries votes the first
            votes[label] = votes.get(label, 0.0) + sim ** VOTE_POWER
            best.setdefault(label, sim)
            if same_text:
                also.extend(others)
        label, v = max(votes.items(), key=itemgetter(1))  # the first of equal votes: the nearest
        total = sum(votes.values())
        return Nearest(label, best[label], v / total if total else 0.0, tuple(dict.fromkeys(also)))


def read_asked(path: Path = ASKED) -> list[tuple[str, str]]:
    """(label, question) from a file of `label<TAB>question` lines; `#` starts a comment line."""
    out: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            label, _, question = line.partition("\t")
            out.append((label, question))
    return out


_built: dict[str, AskedIndex] = {}
_lock = threading.Lock()


def for_entries(faq: Sequence[FaqEntry], path: Path = ASKED, cache_dir: Path | None = None) -> AskedIndex:
    """The FAQ entries' own questions and data/asked.tsv, indexed once per process for the same questions (by the
    warm-up thread of `hocbot run`, or on the first refused message). With `cache_dir`, the built index is kept
    there in a file named by its questions' hash and read back by the next start-up and other workers; any
    trouble with the file only means a rebuild."""
    pairs = [*entry_questions(faq), *read_asked(path)]
    key = index_key(pairs)
    with _lock:
        index = _built.get(key)
        if index is None:
            index = _built[key] = _cached(pairs, key, cache_dir)
        return index


def index_key(pairs: Sequence[tuple[str, str]]) -> str:
    digest = hashlib.sha256(repr((FORMAT, BUCKETS, CHAR_N)).encode())
    for label, q in pairs:
        digest.update(f"{label}\t{q}\n".encode())
    return digest.hexdigest()


def _cached(pairs: Sequence[tuple[str, str]], key: str, cache_dir: Path | None) -> AskedIndex:
    if cache_dir is None:
        return AskedIndex(pairs)
    return read_or_build(Path(cache_dir) / f"asked-{key[:32]}.idx", "asked-questions index",
                         lambda path: AskedIndex.load(path, key), lambda: AskedIndex(pairs),
                         lambda index, path: index.save(path, key))


def entry_questions(faq: Sequence[FaqEntry]) -> list[tuple[str, str]]:
    """Each entry's question and alternatives, labelled with the entry."""
    return [(e.id, q) for e in faq for q in (e.question, *e.alternatives)]
