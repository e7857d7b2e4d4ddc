"""Reads the content YAML files and checks them; every error names the file and the item."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from content.schema import (
    EXPLANATION_MAX,
    FAQ_ANSWER_MAX,
    LESSON_MAX,
    OPTION_MAX,
    QUESTION_MAX,
    FaqEntry,
    Module,
    Source,
    WeekInfo,
)

MIN_LESSONS, MAX_LESSONS, MIN_QUESTIONS = 3, 6, 6
SHORT_ID = re.compile(r"^[a-z0-9_-]{1,16}$")  # module/lesson/question ids travel in 64-byte callback payloads
ASCII_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
REMINDER_KEY = re.compile(r"^(before|day)_(\d+)$")
M = TypeVar("M", bound=BaseModel)


@dataclass
class CheckReport:
    """Counts of the loaded content and every problem found."""

    modules: int = 0
    lessons: int = 0
    questions: int = 0
    faq: int = 0
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
    """Everything that parsed, where it came from, and the errors so far."""

    sources: dict[str, Source] = field(default_factory=dict)
    modules: list[Module] = field(default_factory=list)
    faq: list[FaqEntry] = field(default_factory=list)
    week: WeekInfo | None = None
    where: dict[str, str] = field(default_factory=dict)  # "module:m1" / "faq:x" / "source:y" -> file
    errors: list[str] = field(default_factory=list)


def parse_dir(root: Path) -> Parsed:
    """Parse sources*.yaml, modules/*.yaml, faq/*.yaml and week.yaml under root."""
    out = Parsed()
    if not root.is_dir():
        out.errors.append(f"{root}: content folder not found")
        return out
    source_files = sorted(root.glob("sources*.yaml"))
    if not source_files:
        out.errors.append(f"{root}: no sources*.yaml file")
    for path in source_files:
        for src in _parse_items(root, path, Source, "source", out.errors, as_list=True):
            if _register(out, "source", src.id, path, root):
                out.sources[src.id] = src
    for path in sorted((root / "modules").glob("*.yaml")):
        for mod in _parse_items(root, path, Module, "module", out.errors, as_list=False):
            if _register(out, "module", mod.id, path, root):
                out.modules.append(mod)
    for path in sorted((root / "faq").glob("*.yaml")):
        for entry in _parse_items(root, path, FaqEntry, "faq", out.errors, as_list=True):
            if _register(out, "faq", entry.id, path, root):
                out.faq.append(entry)
    week_path = root / "week.yaml"
    if week_path.is_file():
        weeks = _parse_items(root, week_path, WeekInfo, "week", out.errors, as_list=False)
        out.week = weeks[0] if weeks else None
    else:
        out.errors.append(f"{root}: week.yaml is missing")
    return out


def _register(out: Parsed, kind: str, item_id: str, path: Path, root: Path) -> bool:
    """Remember where an item came from; a repeated id is an error and the repeat is skipped."""
    key = f"{kind}:{item_id}"
    rel = _rel(path, root)
    if key in out.where:
        out.errors.append(f"{rel}: duplicate {kind} id '{item_id}' (also in {out.where[key]})")
        return False
    out.where[key] = rel
    return True


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _parse_items(
    root: Path, path: Path, model: type[M], kind: str, errors: list[str], as_list: bool
) -> list[M]:
    rel = _rel(path, root)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        errors.append(f"{rel}: cannot read YAML: {exc}".replace("\n", " "))
        return []
    if data is None and as_list:
        return []
    raws: list[Any] = data if as_list and isinstance(data, list) else [data]
    if as_list and not isinstance(data, list):
        errors.append(f"{rel}: expected a YAML list of {kind} entries")
        return []
    items: list[M] = []
    for pos, raw in enumerate(raws, start=1):
        if not isinstance(raw, dict):
            errors.append(f"{rel}: {kind} #{pos}: expected a mapping, got {type(raw).__name__}")
            continue
        try:
            items.append(model.model_validate(raw))
        except ValidationError as exc:
            name = f"{kind} '{raw['id']}'" if isinstance(raw.get("id"), str) else f"{kind} #{pos}"
            for err in exc.errors():
                errors.append(f"{rel}: {name}: {_describe(raw, err['loc'])}: {err['msg']}")
    return items


def _describe(raw: Any, loc: Iterable[int | str]) -> str:
    """Turn a pydantic location like ('lessons', 1, 'text') into "lesson 'm1l2' field text"."""
    parts: list[str] = []
    node = raw
    for key in loc:
        child = node[key] if isinstance(node, (dict, list)) and _has(node, key) else None  # type: ignore[index]
        if isinstance(key, int) and isinstance(child, dict) and isinstance(child.get("id"), str):
            parts[-1:] = [f"{_singular(parts[-1] if parts else 'item')} '{child['id']}'"]
        elif isinstance(key, int):
            parts.append(f"#{key}")
        else:
            parts.append(str(key))
        node = child
    return " ".join(parts) or "entry"


def _has(node: dict[Any, Any] | list[Any], key: int | str) -> bool:
    if isinstance(node, list):
        return isinstance(key, int) and 0 <= key < len(node)
    return key in node


def _singular(name: str) -> str:
    return {"lessons": "lesson", "quiz": "question", "themes": "theme"}.get(name, name)


def check_parsed(p: Parsed) -> list[str]:
    """Cross-item checks: ids, lengths, answer indexes, sources, counts, NFC."""
    errors: list[str] = []
    lesson_ids: dict[str, str] = {}
    question_ids: dict[str, str] = {}
    orders: dict[int, str] = {}
    for mod in p.modules:
        f = p.where.get(f"module:{mod.id}", "modules/?")
        errors += _check_module(mod, f, p.sources, lesson_ids, question_ids)
        if mod.order in orders:
            errors.append(f"{f}: module '{mod.id}': order {mod.order} is also used by '{orders[mod.order]}'")
        orders.setdefault(mod.order, mod.id)
    lessons_by_module = {m.id: {les.id for les in m.lessons} for m in p.modules}
    for entry in p.faq:
        f = p.where.get(f"faq:{entry.id}", "faq/?")
        errors += _check_faq(entry, f, p.sources, lesson_ids, lessons_by_module)
    if p.week is not None:
        errors += _check_week(p.week, p.sources)
    for src_id in p.sources:
        if not ASCII_ID.match(src_id):
            f = p.where.get(f"source:{src_id}", "sources.yaml")
            errors.append(f"{f}: source '{src_id}': id must be ascii without spaces")
    return errors


def _check_module(
    mod: Module, f: str, sources: dict[str, Source], lesson_ids: dict[str, str], question_ids: dict[str, str]
) -> list[str]:
    errs: list[str] = []
    where = f"{f}: module '{mod.id}'"
    if not SHORT_ID.match(mod.id):
        errs.append(f"{where}: id must be short lowercase ascii (≤ 16 chars)")
    if not MIN_LESSONS <= len(mod.lessons) <= MAX_LESSONS:
        errs.append(f"{where}: has {len(mod.lessons)} lessons (needs {MIN_LESSONS}–{MAX_LESSONS})")
    if len(mod.quiz) < MIN_QUESTIONS:
        errs.append(f"{where}: has {len(mod.quiz)} quiz questions (needs at least {MIN_QUESTIONS})")
    errs += [f"{where}: unknown source id '{s}'" for s in mod.sources if s not in sources]
    for les in mod.lessons:
        item = f"{f}: lesson '{les.id}'"
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
    errs += [
        f"week.yaml: theme {t.year}: unknown source id '{t.source}'"
        for t in week.themes
        if t.source and t.source not in sources
    ]
    for key in week.reminders:
        m = REMINDER_KEY.match(key)
        if not m or (m.group(1) == "day" and not 1 <= int(m.group(2)) <= week.days):
            errs.append(f"week.yaml: reminder key '{key}' is not before_N or day_1…day_{week.days}")
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
