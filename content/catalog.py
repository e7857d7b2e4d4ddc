"""The curated content (modules, quizzes, FAQ, the Week) loaded and validated from content/data/."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from content.schema import FaqEntry, Lesson, Module, QuizQuestion, Source, WeekInfo
from content.validate import CheckReport, ContentError, Parsed, check_parsed, parse_dir

DATA_DIR = Path(__file__).resolve().parent / "data"

__all__ = [
    "DATA_DIR",
    "Catalog",
    "CheckReport",
    "ContentError",
    "check_catalog",
    "default_catalog",
    "load_catalog",
]


@dataclass
class Catalog:
    """All learning content, with lookups by id for handlers."""

    modules: list[Module]
    faq: list[FaqEntry]
    week: WeekInfo
    sources: dict[str, Source]
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
    return Catalog(modules=parsed.modules, faq=parsed.faq, week=parsed.week, sources=parsed.sources)


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The shipped content, loaded once per process."""
    return load_catalog()
