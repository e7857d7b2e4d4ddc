"""Checks the parsed content; every error names the file and the item."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from content.schema import (
    DIGITAL_DOMAINS,
    EXPLANATION_MAX,
    FACT_KINDS,
    FAQ_ANSWER_MAX,
    LESSON_MAX,
    MEASURES,
    OPTION_MAX,
    QUESTION_MAX,
    FaqEntry,
    LearningModels,
    Module,
    Source,
    WeekInfo,
)
from content.textnorm import syllables

MIN_LESSONS, MAX_LESSONS, MIN_QUESTIONS = 3, 6, 6
SHORT_ID = re.compile(r"^[a-z0-9_-]{1,16}$")  # module/lesson/question ids travel in 64-byte callback payloads
ASCII_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
REMINDER_KEY = re.compile(r"^(before|day)_(\d+)$")
M = TypeVar("M", bound=BaseModel)

# FAQ tags that make an entry a claim about the movement, the law, public services or numbers: such an
# entry must cite an official, press or seed source (a lesson of ours is not evidence).
FACT_TAGS = frozenset({
    "bdhai", "bdhvs", "nq57", "resolution", "week", "lifelong", "models", "association", "learning_society",
    "programme", "unesco", "law", "vneid", "dvc", "payment", "vssid", "biometrics", "report", "admin",
})  # fmt: skip
BOT_TAG = "bot"  # entries about using this bot cite the bot's own help (a source of kind "bot")
# What a source of each kind must carry besides id, title and kind.
REQUIRED_FIELDS = {
    "official": ("publisher", "date", "url"),
    "press": ("publisher", "date", "url"),
    "platform": ("publisher", "url"),
    "seed": ("ref",),
    "bot": ("ref",),
    "officer": (),
}
# Function syllables (folded) that do not make a term "key"; a key term is a bigram of two other syllables.
_COMMON = frozenset(
    "la va cua co cho de duoc khong nhung cac mot nhu thi khi neu hay hoac voi trong tren nay do da se ban "
    "minh toi rat cung con van lai ra vao di den tu theo hon nhieu it moi nao gi the sao roi bi lam can nen "
    "phai viec ai ay o nhe a hai ba bon nam".split()
)
MIN_SHARED_TERMS = 3  # key terms an answer must share with the lessons it cites when they are its only sources


@dataclass
class CheckReport:
    """Counts of the loaded content and every problem found."""

    modules: int = 0
    lessons: int = 0
    questions: int = 0
    faq: int = 0
    learning_models: int = 0  # models of the newest set (shown by `hocbot content check`, not in its --json contract)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "modules": self.modules,
            "lessons": self.lessons,
            "questions": self.questions,
            "faq": self.faq,
            "errors": list(self.errors),
        }


class ContentError(Exception):
    """The content folder does not validate; `errors` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        lines = "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(f"invalid content ({len(self.errors)} error(s)):\n{lines}")


@dataclass
class Parsed:
    """Everything that parsed, where it came from, and the errors found while reading."""

    sources: dict[str, Source] = field(default_factory=dict)
    modules: list[Module] = field(default_factory=list)
    faq: list[FaqEntry] = field(default_factory=list)
    week: WeekInfo | None = None
    learning_models: LearningModels | None = None
    where: dict[str, str] = field(default_factory=dict)  # "module:m1" / "faq:x" / "source:y" -> file
    errors: list[str] = field(default_factory=list)
    salvaged: set[str] = field(default_factory=set)  # modules kept without their invalid lessons/questions
    broken_lessons: set[tuple[str, str]] = field(default_factory=set)  # (module, lesson) of those modules


def check_parsed(p: Parsed) -> list[str]:
    """Cross-item checks: ids, lengths, answer indexes, sources, counts, NFC."""
    errors: list[str] = []
    lesson_ids: dict[str, str] = {}
    question_ids: dict[str, str] = {}
    orders: dict[int, str] = {}
    for mod in p.modules:
        f = p.where.get(f"module:{mod.id}", "modules/?")
        errors += _check_module(mod, f, p.sources, p.salvaged, lesson_ids, question_ids)
        if mod.order in orders:
            errors.append(f"{f}: module '{mod.id}': order {mod.order} is also used by '{orders[mod.order]}'")
        orders.setdefault(mod.order, mod.id)
    lessons_by_module = {m.id: {les.id for les in m.lessons} for m in p.modules}
    lesson_texts = {les.id: f"{les.title} {les.text}" for m in p.modules for les in m.lessons}
    for module_id, lesson_id in p.broken_lessons:  # refs into a broken module are not new errors
        lesson_ids.setdefault(lesson_id, module_id)
        lessons_by_module.setdefault(module_id, set()).add(lesson_id)
    for entry in p.faq:
        f = p.where.get(f"faq:{entry.id}", "faq/?")
        errors += _check_faq(entry, f, p.sources, lesson_ids, lessons_by_module)
        errors += check_citations(entry, f, p.sources, lesson_texts)
    if p.week is not None:
        errors += _check_week(p.week, p.sources)
    if p.learning_models is not None:
        errors += check_learning_models(p.learning_models, p.sources)
    for src_id, src in p.sources.items():
        f = p.where.get(f"source:{src_id}", "sources.yaml")
        if not ASCII_ID.match(src_id):
            errors.append(f"{f}: source '{src_id}': id must be ascii without spaces")
        missing = [name for name in REQUIRED_FIELDS.get(src.kind, ()) if not getattr(src, name)]
        if missing:
            errors.append(f"{f}: source '{src_id}': a {src.kind} source needs {', '.join(missing)}")
    return errors


def check_citations(
    entry: FaqEntry, f: str, sources: Mapping[str, Source], lesson_texts: Mapping[str, str]
) -> list[str]:
    """Does what the entry cites back what it says? Fact entries need a non-lesson source of a fact kind,
    bot entries the bot's help, and an entry citing only lessons must share its key terms with them."""
    item = f"{f}: faq '{entry.id}'"
    kinds = {sources[ref].kind for ref in entry.sources if ref in sources}
    lessons = [ref.removeprefix("lesson:").rsplit("/", 1)[-1] for ref in entry.sources if ref.startswith("lesson:")]
    errs = []
    topics = sorted(FACT_TAGS.intersection(entry.tags))
    if topics and not kinds & FACT_KINDS:
        errs.append(
            f"{item}: is about {', '.join(topics)} but cites no official, press or seed source"
            " (a lesson is not evidence)"
        )
    if BOT_TAG in entry.tags and "bot" not in kinds:
        errs.append(f"{item}: is about using the bot but does not cite the bot's help (a source of kind bot)")
    if lessons and len(lessons) == len(entry.sources) and all(les in lesson_texts for les in lessons):
        cited = " ".join(lesson_texts[les] for les in lessons)
        answer_terms, answer_numbers = key_terms(entry.answer)
        cited_terms, cited_numbers = key_terms(cited)
        shared = answer_terms & cited_terms
        missing = sorted(answer_numbers - cited_numbers)
        if len(shared) < MIN_SHARED_TERMS or missing:
            why = f"numbers {', '.join(missing)} are not in them" if missing else f"shares {len(shared)} key terms"
            errs.append(f"{item}: cites only lessons that do not say what it says ({why}); cite the real source")
    return errs


def key_terms(text: str) -> tuple[set[str], set[str]]:
    """(bigrams of two non-function syllables, numbers) of a text, folded: what a citation should share."""
    sylls = syllables(text)
    pairs = {f"{a}_{b}" for a, b in itertools.pairwise(sylls) if a not in _COMMON and b not in _COMMON}
    return pairs, {s for s in sylls if s.isdigit()}


def _check_module(
    mod: Module,
    f: str,
    sources: dict[str, Source],
    salvaged: set[str],
    lesson_ids: dict[str, str],
    question_ids: dict[str, str],
) -> list[str]:
    errs: list[str] = []
    where = f"{f}: module '{mod.id}'"
    if not SHORT_ID.match(mod.id):
        errs.append(f"{where}: id must be short lowercase ascii (≤ 16 chars)")
    counted = mod.id not in salvaged  # a salvaged module lost items that are already reported
    if counted and not MIN_LESSONS <= len(mod.lessons) <= MAX_LESSONS:
        errs.append(f"{where}: has {len(mod.lessons)} lessons (needs {MIN_LESSONS}–{MAX_LESSONS})")
    if counted and len(mod.quiz) < MIN_QUESTIONS:
        errs.append(f"{where}: has {len(mod.quiz)} quiz questions (needs at least {MIN_QUESTIONS})")
    errs += [f"{where}: unknown source id '{s}'" for s in mod.sources if s not in sources]
    errs += [
        f"{where}: unknown domain '{d}' (one of {', '.join(DIGITAL_DOMAINS)})"
        for d in mod.domains
        if d not in DIGITAL_DOMAINS
    ]
    for les in mod.lessons:
        item = f"{f}: lesson '{les.id}'"
        if not les.sources:
            errs.append(f"{item}: names no source (sources: [...])")
        errs += [f"{item}: unknown source id '{s}'" for s in les.sources if s not in sources]
        errs += _dup(les.id, mod.id, lesson_ids, item, "lesson")
        errs += _too_long(item, "text", les.text, LESSON_MAX)
        if not SHORT_ID.match(les.id):
            errs.append(f"{item}: id must be short lowercase ascii (≤ 16 chars)")
        if not (_is_nfc(les.text) and _is_nfc(les.title)):
            errs.append(f"{item}: text is not NFC-normalised (use precomposed Vietnamese letters)")
        if not les.text.strip():
            errs.append(f"{item}: text is empty")
    for q in mod.quiz:
        errs += _check_question(q, f, mod.id, question_ids)
    return errs


def _check_question(q: Any, f: str, module_id: str, question_ids: dict[str, str]) -> list[str]:
    item = f"{f}: question '{q.id}'"
    errs = _dup(q.id, module_id, question_ids, item, "question")
    if not SHORT_ID.match(q.id):
        errs.append(f"{item}: id must be short lowercase ascii (≤ 16 chars)")
    errs += _too_long(item, "question", q.question, QUESTION_MAX)
    errs += _too_long(item, "explanation", q.explanation, EXPLANATION_MAX)
    for n, opt in enumerate(q.options):
        errs += _too_long(item, f"option {n}", opt, OPTION_MAX)
    if len(set(q.options)) != len(q.options):
        errs.append(f"{item}: two options have the same text")
    bad = [c for c in q.correct if not 0 <= c < len(q.options)]
    if bad:
        errs.append(f"{item}: correct index {bad} out of range (0–{len(q.options) - 1})")
    if not all(_is_nfc(t) for t in (q.question, q.explanation, *q.options)):
        errs.append(f"{item}: text is not NFC-normalised")
    return errs


def _check_faq(
    entry: FaqEntry,
    f: str,
    sources: dict[str, Source],
    lesson_ids: dict[str, str],
    lessons_by_module: dict[str, set[str]],
) -> list[str]:
    item = f"{f}: faq '{entry.id}'"
    errs = _too_long(item, "answer", entry.answer, FAQ_ANSWER_MAX)
    if not ASCII_ID.match(entry.id):
        errs.append(f"{item}: id must be ascii without spaces")
    if not (_is_nfc(entry.question) and _is_nfc(entry.answer)):
        errs.append(f"{item}: text is not NFC-normalised")
    if not entry.sources:
        errs.append(f"{item}: needs at least one source")
    for ref in entry.sources:
        if not _source_exists(ref, sources, lesson_ids, lessons_by_module):
            errs.append(f"{item}: unknown source '{ref}'")
    return errs


def _source_exists(
    ref: str, sources: dict[str, Source], lesson_ids: dict[str, str], lessons_by_module: dict[str, set[str]]
) -> bool:
    if not ref.startswith("lesson:"):
        return ref in sources
    target = ref.removeprefix("lesson:")
    if "/" in target:  # "lesson:<module>/<lesson>"
        module_id, lesson_id = target.split("/", 1)
        return lesson_id in lessons_by_module.get(module_id, set())
    return target in lesson_ids


def _check_week(week: WeekInfo, sources: dict[str, Source]) -> list[str]:
    errs = [f"week.yaml: unknown source id '{s}'" for s in week.sources if s not in sources]
    seen: set[int] = set()
    for y in week.years:
        errs += [f"week.yaml: year {y.year}: unknown source id '{s}'" for s in y.sources if s not in sources]
        if not y.sources:
            errs.append(f"week.yaml: year {y.year} names no source")
        if y.year in seen:
            errs.append(f"week.yaml: year {y.year} is listed twice")
        seen.add(y.year)
        if not (y.start.year == y.year and y.start <= y.end <= y.start + dt.timedelta(days=31)):
            errs.append(f"week.yaml: year {y.year}: start {y.start} and end {y.end} do not make that year's Week")
    for key in week.reminders:
        m = REMINDER_KEY.match(key)
        if not m or (m.group(1) == "day" and not 1 <= int(m.group(2)) <= week.days):
            errs.append(f"week.yaml: reminder key '{key}' is not before_N or day_1…day_{week.days}")
    return errs


def check_learning_models(lm: LearningModels, sources: Mapping[str, Source]) -> list[str]:
    """Each set: known sources (an official set names one), short unique ids, a measure exactly where the bot
    measures, a measure that fits the model (a learner's own or a unit's members), NFC texts, one set per
    (year, province), and a national set to fall back on."""
    f = "learning_models.yaml"
    errs: list[str] = []
    seen: set[tuple[int, str | None]] = set()
    if not any(ms.province is None for ms in lm.sets):
        errs.append(f"{f}: no national set (province: null)")
    for ms in lm.sets:
        where = f"{f}: set {ms.year}" + (f" ({ms.province})" if ms.province else "")
        if (ms.year, ms.province) in seen:
            errs.append(f"{where}: listed twice")
        seen.add((ms.year, ms.province))
        errs += [f"{where}: unknown source id '{s}'" for s in ms.sources if s not in sources]
        if not ms.example and not ms.sources:
            errs.append(f"{where}: an official set names its sources (or is marked example: true)")
        ids: set[str] = set()
        for m in ms.models:
            for item_id in [m.id, *(c.id for c in m.criteria)]:
                if not SHORT_ID.match(item_id):
                    errs.append(f"{where}: id '{item_id}' must be short ascii (a-z, 0-9, _ or -)")
                if item_id in ids:
                    errs.append(f"{where}: id '{item_id}' is used twice")
                ids.add(item_id)
            for c in m.criteria:
                name = f"{where}: criterion '{c.id}'"
                if not _is_nfc(c.text):
                    errs.append(f"{name}: text is not NFC")
                if c.evidence == "bot" and c.measure not in MEASURES:
                    errs.append(f"{name}: evidence bot needs a measure ({', '.join(MEASURES)})")
                elif c.evidence != "bot" and c.measure is not None:
                    errs.append(f"{name}: only evidence bot has a measure")
                elif c.measure and MEASURES[c.measure] != ("personal" if m.personal else "unit"):
                    errs.append(f"{name}: measure {c.measure} does not fit model '{m.id}'")
    return errs


def _dup(item_id: str, owner: str, seen: dict[str, str], item: str, kind: str) -> list[str]:
    if item_id in seen:
        return [f"{item}: duplicate {kind} id (also in module '{seen[item_id]}')"]
    seen[item_id] = owner
    return []


def _too_long(item: str, name: str, text: str, limit: int) -> list[str]:
    return [f"{item}: {name} is {len(text)} characters (max {limit})"] if len(text) > limit else []


def _is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def is_valid(model: type[BaseModel], raw: dict[str, Any]) -> bool:
    try:
        model.model_validate(raw)
    except ValidationError:
        return False
    return True


def validate_item(
    model: type[M], raw: dict[str, Any], rel: str, kind: str, pos: int, errors: list[str]
) -> M | None:
    """The validated item, or None after adding one error per problem, naming the file and item."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        name = f"{kind} '{raw['id']}'" if isinstance(raw.get("id"), str) else f"{kind} #{pos}"
        errors.extend(f"{rel}: {name}: {_describe(raw, e['loc'])}: {e['msg']}" for e in exc.errors())
        return None


def _describe(raw: Any, loc: Iterable[int | str]) -> str:
    """Turn a pydantic location like ('lessons', 1, 'text') into "lesson 'm1l2' text"."""
    parts: list[str] = []
    node = raw
    for key in loc:
        child = _child(node, key)
        if isinstance(key, int) and isinstance(child, dict) and isinstance(child.get("id"), str):
            parts[-1:] = [f"{_SINGULAR.get(parts[-1], 'item') if parts else 'item'} '{child['id']}'"]
        else:
            parts.append(f"#{key}" if isinstance(key, int) else str(key))
        node = child
    return " ".join(parts) or "entry"


_SINGULAR = {"lessons": "lesson", "quiz": "question", "years": "year", "models": "model", "criteria": "criterion"}


def _child(node: Any, key: int | str) -> Any:
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return node.get(key) if isinstance(node, dict) else None
