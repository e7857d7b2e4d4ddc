"""The curated content (modules, quizzes, FAQ, the Week) loaded and validated from content/data/."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from content.schema import FaqEntry, LearningModels, Lesson, ModelSet, Module, QuizQuestion, Source, WeekInfo
from content.validate import CheckReport, ContentError, Parsed, check_parsed, is_valid, validate_item

DATA_DIR = Path(__file__).resolve().parent / "data"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: about 5× faster

__all__ = [
    "DATA_DIR",
    "Catalog",
    "CheckReport",
    "ContentError",
    "check_catalog",
    "default_catalog",
    "load_catalog",
    "shipped_catalog",
]


@dataclass
class Catalog:
    """All learning content, with lookups by id for handlers."""

    modules: list[Module]
    faq: list[FaqEntry]
    week: WeekInfo
    sources: dict[str, Source]
    learning_models: LearningModels | None = None
    _modules: dict[str, Module] = field(init=False, repr=False)
    _lessons: dict[str, tuple[Module, Lesson]] = field(init=False, repr=False)
    _questions: dict[str, tuple[Module, QuizQuestion]] = field(init=False, repr=False)
    _faq: dict[str, FaqEntry] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.modules = sorted(self.modules, key=lambda m: (m.order, m.id))
        self._modules = {m.id: m for m in self.modules}
        self._lessons = {les.id: (m, les) for m in self.modules for les in m.lessons}
        self._questions = {q.id: (m, q) for m in self.modules for q in m.quiz}
        self._faq = {e.id: e for e in self.faq}

    def module(self, module_id: str) -> Module | None:
        return self._modules.get(module_id)

    def lesson(self, module_id: str, index: int) -> Lesson | None:
        """The index-th (0-based) lesson of a module, or None past the end."""
        mod = self._modules.get(module_id)
        if mod is None or not 0 <= index < len(mod.lessons):
            return None
        return mod.lessons[index]

    def lesson_by_id(self, lesson_id: str) -> tuple[Module, Lesson] | None:
        return self._lessons.get(lesson_id)

    def lesson_index(self, lesson_id: str) -> int | None:
        found = self._lessons.get(lesson_id)
        return None if found is None else found[0].lessons.index(found[1])

    def questions(self, module_id: str) -> list[QuizQuestion]:
        mod = self._modules.get(module_id)
        return list(mod.quiz) if mod else []

    def question(self, question_id: str) -> QuizQuestion | None:
        found = self._questions.get(question_id)
        return found[1] if found else None

    def question_module(self, question_id: str) -> Module | None:
        found = self._questions.get(question_id)
        return found[0] if found else None

    def faq_entry(self, faq_id: str) -> FaqEntry | None:
        return self._faq.get(faq_id)

    def next_module(self, module_id: str) -> Module | None:
        """The module after this one in course order."""
        ids = [m.id for m in self.modules]
        if module_id not in ids:
            return None
        pos = ids.index(module_id) + 1
        return self.modules[pos] if pos < len(self.modules) else None

    def source_title(self, ref: str) -> str | None:
        """Title for a source id or a "lesson:<lesson_id>" / "lesson:<module>/<lesson>" reference."""
        if ref.startswith("lesson:"):
            lesson_id = ref.removeprefix("lesson:").rsplit("/", 1)[-1]
            found = self._lessons.get(lesson_id)
            return f"Bài học: {found[1].title}" if found else None
        src = self.sources.get(ref)
        return src.title if src else None

    @property
    def lesson_count(self) -> int:
        return len(self._lessons)

    @property
    def question_count(self) -> int:
        return len(self._questions)


def _resolve(root: Path | None) -> Path:
    return Path(root) if root is not None else DATA_DIR


def _report(parsed: Parsed) -> CheckReport:
    return CheckReport(
        modules=len(parsed.modules),
        lessons=sum(len(m.lessons) for m in parsed.modules),
        questions=sum(len(m.quiz) for m in parsed.modules),
        faq=len(parsed.faq),
        learning_models=len(parsed.learning_models.sets[-1].models) if parsed.learning_models else 0,
        errors=parsed.errors + check_parsed(parsed),
    )


def check_catalog(root: Path | None = None) -> CheckReport:
    """Validate the content folder; never raises for bad content, lists every error instead."""
    return _report(parse_dir(_resolve(root)))


def load_catalog(root: Path | None = None) -> Catalog:
    """Load and validate the content; raises ContentError listing every problem if it is invalid."""
    parsed = parse_dir(_resolve(root))
    report = _report(parsed)
    if report.errors or parsed.week is None:
        raise ContentError(report.errors or ["week.yaml: missing"])
    return Catalog(modules=parsed.modules, faq=parsed.faq, week=parsed.week, sources=parsed.sources,
                   learning_models=parsed.learning_models)


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The shipped content, loaded once per process."""
    return load_catalog()


def shipped_catalog() -> Catalog:
    """A copy of the shipped content for one running bot, which owns it (an approved answer adds its source);
    the YAML is read once per process, not again at each start in the same process (the tests start hundreds)."""
    return copy.deepcopy(default_catalog())


# --- reading the YAML files -----------------------------------------------------------------------


def parse_dir(root: Path) -> Parsed:
    """Parse sources*.yaml, modules/*.yaml (one module each), faq/*.yaml (lists), week.yaml and
    learning_models.yaml (optional: without it the learning models are off)."""
    out = Parsed()
    if not root.is_dir():
        out.errors.append(f"{root}: content folder not found")
        return out
    source_files = sorted(root.glob("sources*.yaml"))
    if not source_files:
        out.errors.append(f"{root}: no sources*.yaml file")
    for path in source_files:
        for raw, pos in _entries(root, path, "source", out.errors):
            src = validate_item(Source, raw, _rel(path, root), "source", pos, out.errors)
            if src and _register(out, "source", src.id, path, root):
                out.sources[src.id] = src
    for path in sorted((root / "modules").glob("*.yaml")):
        mod = _parse_module(root, path, out)
        if mod and _register(out, "module", mod.id, path, root):
            out.modules.append(mod)
    for path in sorted((root / "faq").glob("*.yaml")):
        for raw, pos in _entries(root, path, "faq", out.errors):
            entry = validate_item(FaqEntry, raw, _rel(path, root), "faq", pos, out.errors)
            if entry and _register(out, "faq", entry.id, path, root):
                out.faq.append(entry)
    week_path = root / "week.yaml"
    if not week_path.is_file():
        out.errors.append(f"{root}: week.yaml is missing")
    else:
        raw_week = _read_yaml(week_path, "week.yaml", out.errors)
        if isinstance(raw_week, dict):
            out.week = validate_item(WeekInfo, raw_week, "week.yaml", "week", 1, out.errors)
        elif raw_week is not None:
            out.errors.append("week.yaml: expected a mapping")
    lm_path = root / "learning_models.yaml"
    if lm_path.is_file():
        raw_lm = _read_yaml(lm_path, "learning_models.yaml", out.errors)
        raw_sets = raw_lm.get("sets") if isinstance(raw_lm, dict) else None
        if isinstance(raw_sets, list) and raw_sets:  # each set on its own: one broken set hides no other error
            sets = [validate_item(ModelSet, raw, "learning_models.yaml", "set", pos, out.errors)
                    if isinstance(raw, dict) else None for pos, raw in enumerate(raw_sets, 1)]  # fmt: skip
            if any(not isinstance(raw, dict) for raw in raw_sets):
                out.errors.append("learning_models.yaml: every set is a mapping")
            valid = [ms for ms in sets if ms is not None]
            out.learning_models = LearningModels(sets=valid) if valid else None
        elif raw_lm is not None:
            out.errors.append("learning_models.yaml: expected a mapping with a list of sets")
    return out


def _read_yaml(path: Path, rel: str, errors: list[str]) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        errors.append(f"{rel}: cannot read YAML: " + " ".join(str(exc).split()))
        return None


def _entries(root: Path, path: Path, kind: str, errors: list[str]) -> list[tuple[dict[str, Any], int]]:
    """The mappings of a YAML list file, with their 1-based positions."""
    rel = _rel(path, root)
    data = _read_yaml(path, rel, errors)
    if data is None:
        return []
    if not isinstance(data, list):
        errors.append(f"{rel}: expected a YAML list of {kind} entries")
        return []
    found = []
    for pos, raw in enumerate(data, start=1):
        if isinstance(raw, dict):
            found.append((raw, pos))
        else:
            errors.append(f"{rel}: {kind} #{pos}: expected a mapping, got {type(raw).__name__}")
    return found


def _parse_module(root: Path, path: Path, out: Parsed) -> Module | None:
    """One module; a module with invalid lessons/questions keeps its valid ones so later checks still run."""
    rel = _rel(path, root)
    raw = _read_yaml(path, rel, out.errors)
    if not isinstance(raw, dict):
        if raw is not None:
            out.errors.append(f"{rel}: expected one module (a mapping)")
        return None
    mod = validate_item(Module, raw, rel, "module", 1, out.errors)
    if mod is not None:
        return mod
    lessons = [x for x in _list(raw.get("lessons")) if is_valid(Lesson, x)]
    quiz = [x for x in _list(raw.get("quiz")) if is_valid(QuizQuestion, x)]
    try:
        mod = Module.model_validate({**raw, "lessons": lessons, "quiz": quiz})
    except ValidationError:
        return None
    out.salvaged.add(mod.id)
    out.broken_lessons |= {(mod.id, str(x["id"])) for x in _list(raw.get("lessons")) if "id" in x}
    return mod


def _list(value: Any) -> list[dict[str, Any]]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _register(out: Parsed, kind: str, item_id: str, path: Path, root: Path) -> bool:
    """Remember where an item came from; a repeated id is an error and the repeat is skipped."""
    key, rel = f"{kind}:{item_id}", _rel(path, root)
    if key in out.where:
        out.errors.append(f"{rel}: duplicate {kind} id '{item_id}' (also in {out.where[key]})")
        return False
    out.where[key] = rel
    return True


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
