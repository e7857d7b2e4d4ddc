"""Shipped lessons, quizzes, FAQ and Week content validate; broken content gets errors naming the item."""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from content.catalog import DATA_DIR, ContentError, check_catalog, load_catalog

M1 = "modules/m1_ai_la_gi.yaml"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the shipped content that a test may break."""
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    return root


def edit(root: Path, rel: str, change: Callable[[Any], None]) -> None:
    path = root / rel
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def errors_about(root: Path, *needles: str) -> list[str]:
    return [e for e in check_catalog(root).errors if all(n in e for n in needles)]


# --- the shipped content -------------------------------------------------------------------------


def test_shipped_content_has_no_errors_and_enough_lessons() -> None:
    report = check_catalog()
    assert report.errors == []
    assert report.modules >= 8
    assert report.lessons >= 8 * 3
    assert report.questions >= 8 * 6


def test_every_module_fits_a_phone_and_a_telegram_quiz() -> None:
    cat = load_catalog()
    assert [m.id for m in cat.modules][:8] == [f"m{i}" for i in range(1, 9)]
    for mod in cat.modules:
        assert 3 <= len(mod.lessons) <= 6, mod.id
        assert len(mod.quiz) >= 6, mod.id
        assert mod.sources and all(s in cat.sources for s in mod.sources)
        for les in mod.lessons:
            assert len(les.text) <= 700 and unicodedata.is_normalized("NFC", les.text), les.id
        for q in mod.quiz:
            assert len(q.question) <= 300 and len(q.explanation) <= 200, q.id
            assert all(len(o) <= 100 for o in q.options) and 2 <= len(q.options) <= 6, q.id
            assert all(0 <= c < len(q.options) for c in q.correct), q.id


def test_lookups_used_by_the_learn_and_quiz_screens() -> None:
    cat = load_catalog()
    first = cat.lesson("m1", 0)
    assert first is not None and first.id == "m1l1" and "AI" in first.title
    assert cat.lesson("m1", 99) is None and cat.lesson("nope", 0) is None
    q = cat.question("m7q1")
    assert q is not None and "Tuần lễ" in q.question
    assert cat.question_module("m7q1") is cat.module("m7")
    assert cat.lesson_index("m1l2") == 1
    assert cat.next_module("m1") is cat.module("m2") and cat.next_module(cat.modules[-1].id) is None
    assert cat.source_title("lesson:m1l1") == "Bài học: AI là gì?"
    assert cat.source_title("lesson:m1/m1l1") == "Bài học: AI là gì?"
    assert "57-NQ/TW" in (cat.source_title("nq-57-2024") or "")


def test_week_and_sources_agree_with_the_seeds_and_the_press() -> None:
    cat = load_catalog()
    week = cat.week
    assert week.name == "Tuần lễ hưởng ứng học tập suốt đời"
    assert (week.start_month, week.start_day, week.days) == (10, 1, 7)  # the usual dates, for unlisted years
    themes = {y.year: y.theme for y in week.years}
    assert themes[2020] == "Chuyển đổi số thúc đẩy học tập suốt đời"
    assert "chuyển đổi số" in (themes[2022] or "") and "COVID-19" in (themes[2022] or "")
    assert themes[2024] == "Phát triển văn hóa đọc thúc đẩy học tập suốt đời"
    assert themes[2021] is None  # only an English wording was found: left out, not guessed
    y2023 = week.for_year(2023)
    assert (y2023.start, y2023.end) == (dt.date(2023, 10, 2), dt.date(2023, 10, 8))  # not 1–7/10 that year
    assert week.for_year(2031).start == dt.date(2031, 10, 1) and week.for_year(2031).theme is None
    assert set(week.reminders) == {"before_7", "before_1", *(f"day_{i}" for i in range(1, 8))}
    assert cat.sources["nq-57-2024"].date == "2024-12-22"
    assert cat.sources["kl-123-2025"].date == "2025-01-24"
    assert sum(1 for s in cat.sources.values() if s.ref and s.ref.endswith(".txt")) >= 5


def test_every_official_or_press_source_names_publisher_date_and_address() -> None:
    cat = load_catalog()
    kinds = {s.kind for s in cat.sources.values()}
    assert {"official", "press", "seed", "platform", "bot"} <= kinds
    for src in cat.sources.values():
        if src.kind in ("official", "press"):
            assert src.publisher and src.date and (src.url or "").startswith("http"), src.id
    bdhvs = cat.sources["bdhvs-phat-dong"]
    assert bdhvs.kind == "official" and bdhvs.date == "2025-03-27"


def test_every_lesson_names_its_sources_and_modules_their_framework_domains() -> None:
    from content.schema import DIGITAL_DOMAINS

    cat = load_catalog()
    assert len(DIGITAL_DOMAINS) == 6 and "Ứng dụng trí tuệ nhân tạo" in DIGITAL_DOMAINS.values()
    for mod in cat.modules:
        assert all(d in DIGITAL_DOMAINS for d in mod.domains), mod.id
        for les in mod.lessons:
            assert les.sources and all(s in cat.sources for s in les.sources), les.id
    covered = {d for m in cat.modules for d in m.domains}
    assert {"an-toan", "ai", "du-lieu"} <= covered


def test_quizzes_have_enough_questions_with_an_explanation_each() -> None:
    cat = load_catalog()
    assert sum(len(m.quiz) for m in cat.modules) >= 80
    for mod in cat.modules:
        assert len(mod.quiz) >= 8, mod.id
        assert all(q.explanation.strip() for q in mod.quiz), mod.id


def test_counts_json_has_exactly_the_contract_keys() -> None:
    out = check_catalog().to_json()
    assert list(out) == ["modules", "lessons", "questions", "faq", "errors"]
    assert all(isinstance(out[k], int) for k in ("modules", "lessons", "questions", "faq"))
    assert out["errors"] == []


# --- broken content --------------------------------------------------------------------------------


def test_duplicate_lesson_id_is_reported(data: Path) -> None:
    edit(data, M1, lambda m: m["lessons"][1].update(id="m1l1"))
    assert errors_about(data, M1, "m1l1", "duplicate")


def test_duplicate_faq_id_across_files_is_reported(data: Path) -> None:
    entry = {"id": "dup-faq", "question": "Hỏi?", "answer": "Đáp.", "sources": ["nq-57-2024"], "tags": ["nq57"]}
    (data / "faq" / "zz_a.yaml").write_text(yaml.safe_dump([entry], allow_unicode=True), encoding="utf-8")
    (data / "faq" / "zz_b.yaml").write_text(yaml.safe_dump([entry], allow_unicode=True), encoding="utf-8")
    assert errors_about(data, "faq/zz_b.yaml", "dup-faq", "duplicate", "faq/zz_a.yaml")


def test_over_long_lesson_is_reported(data: Path) -> None:
    edit(data, M1, lambda m: m["lessons"][0].update(text="Học " * 200))
    assert errors_about(data, M1, "lesson 'm1l1'", "800 characters", "700")


def test_correct_index_out_of_range_is_reported(data: Path) -> None:
    edit(data, M1, lambda m: m["quiz"][0].update(correct=[7]))
    assert errors_about(data, M1, "question 'm1q1'", "out of range")


def test_missing_correct_and_single_option_are_reported(data: Path) -> None:
    def change(m: Any) -> None:
        del m["quiz"][1]["correct"]
        m["quiz"][2]["options"] = ["Chỉ một"]
        m["quiz"][3]["correct"] = [4]

    edit(data, M1, change)
    assert errors_about(data, M1, "question 'm1q2'", "correct")
    assert errors_about(data, M1, "question 'm1q3'", "options")
    # one broken question does not hide the problems of the others
    assert errors_about(data, M1, "question 'm1q4'", "out of range")
    assert not errors_about(data, "faq/")  # FAQ links into the broken module are not reported twice


def test_unknown_sources_are_reported(data: Path) -> None:
    edit(data, M1, lambda m: m["sources"].append("nghi-quyet-bia"))
    refs = ["lesson:m9l9", "lesson:m1/m2l1"]
    bad_faq = {"id": "bad-ref", "question": "Hỏi?", "answer": "Đáp.", "sources": refs}
    (data / "faq" / "zz.yaml").write_text(yaml.safe_dump([bad_faq], allow_unicode=True), encoding="utf-8")
    assert errors_about(data, M1, "module 'm1'", "nghi-quyet-bia")
    assert errors_about(data, "faq/zz.yaml", "bad-ref", "lesson:m9l9")
    assert errors_about(data, "faq/zz.yaml", "bad-ref", "lesson:m1/m2l1")


def test_too_few_lessons_and_non_nfc_text_are_reported(data: Path) -> None:
    def change(m: Any) -> None:
        m["lessons"] = m["lessons"][:2]
        m["lessons"][0]["text"] = unicodedata.normalize("NFD", "Trí tuệ nhân tạo là gì?")

    edit(data, M1, change)
    assert errors_about(data, M1, "module 'm1'", "2 lessons")
    assert errors_about(data, M1, "lesson 'm1l1'", "NFC")


def test_broken_yaml_names_the_file_and_load_refuses(data: Path) -> None:
    (data / "faq" / "zz_broken.yaml").write_text("- id: x\n  answer: [unclosed\n", encoding="utf-8")
    assert errors_about(data, "faq/zz_broken.yaml", "YAML")
    with pytest.raises(ContentError) as info:
        load_catalog(data)
    assert any("zz_broken.yaml" in e for e in info.value.errors)
    assert "zz_broken.yaml" in str(info.value)


def test_load_works_without_any_faq_file(data: Path) -> None:
    shutil.rmtree(data / "faq")
    cat = load_catalog(data)
    assert cat.faq == [] and len(cat.modules) >= 8
    assert check_catalog(data).to_json()["faq"] == 0


# --- citations that mean something ---------------------------------------------------------------------


def _faq(root: Path, name: str, **entry: Any) -> None:
    base = {"id": name, "question": "Hỏi?", "alternatives": [], "tags": []}
    path = root / "faq" / f"zz_{name}.yaml"
    path.write_text(yaml.safe_dump([{**base, **entry}], allow_unicode=True), encoding="utf-8")


def test_an_entry_citing_only_a_lesson_that_does_not_say_it_fails(data: Path) -> None:
    # m5l3 is about bank and police impersonation; it says nothing about a 12-character password or 113
    _faq(data, "pw", answer="Dùng mật khẩu từ 12 ký tự, khi khẩn cấp gọi 113.", sources=["lesson:m5l3"])
    _faq(data, "off", answer="Đổi giống lúa mới cho vụ đông xuân năm sau.", sources=["lesson:m5l3"])
    # the same lesson backs an answer that repeats what it says
    ok = "Ngân hàng không bao giờ hỏi mật khẩu hay mã OTP; công an không làm việc qua cuộc gọi video."
    _faq(data, "ok", answer=ok, sources=["lesson:m5l3"])
    assert errors_about(data, "zz_pw.yaml", "faq 'pw'", "cites only lessons", "numbers 113, 12 are not")
    assert errors_about(data, "zz_off.yaml", "faq 'off'", "cites only lessons", "key terms")
    assert not errors_about(data, "zz_ok.yaml")


def test_an_entry_about_the_movement_needs_a_source_that_is_not_a_lesson(data: Path) -> None:
    answer = "Phong trào “Bình dân học vụ số” phổ cập tri thức, kỹ năng số cho toàn dân."
    _faq(data, "mv", answer=answer, sources=["lesson:m7l6"], tags=["bdhvs"])
    _faq(data, "mv_ok", answer=answer, sources=["lesson:m7l6", "bdhvs-phat-dong"], tags=["bdhvs"])
    _faq(data, "mv_web", answer=answer, sources=["bdhvs-site"], tags=["bdhvs"])  # the platform itself is no evidence
    assert errors_about(data, "zz_mv.yaml", "faq 'mv'", "about bdhvs", "no official, press or seed source")
    assert errors_about(data, "zz_mv_web.yaml", "no official, press or seed source")
    assert not errors_about(data, "zz_mv_ok.yaml")


def test_an_entry_about_the_bot_cites_the_bot_help(data: Path) -> None:
    _faq(data, "b", answer="Gõ /tiendo để xem tiến độ học.", sources=["lesson:m2l1"], tags=["bot"])
    _faq(data, "b_ok", answer="Gõ /tiendo để xem tiến độ học.", sources=["bot-help"], tags=["bot"])
    assert errors_about(data, "zz_b.yaml", "about using the bot")
    assert not errors_about(data, "zz_b_ok.yaml")


def test_sources_lessons_and_week_years_are_checked(data: Path) -> None:
    def sources(doc: Any) -> None:
        doc.append({"id": "bao-x", "kind": "press", "title": "Một bài báo"})  # no publisher, date, url

    edit(data, "sources.yaml", sources)
    edit(data, M1, lambda m: (m["lessons"][0].update(sources=[]), m.update(domains=["ai", "nau-an"])))

    def week(w: Any) -> None:
        w["years"].append({"year": 2027, "start": dt.date(2027, 10, 1), "end": dt.date(2027, 9, 1)})

    edit(data, "week.yaml", week)
    assert errors_about(data, "source 'bao-x'", "publisher, date, url")
    assert errors_about(data, M1, "lesson 'm1l1'", "names no source")
    assert errors_about(data, M1, "unknown domain 'nau-an'")
    assert errors_about(data, "week.yaml", "year 2027", "names no source")
    assert errors_about(data, "week.yaml", "year 2027", "do not make that year's Week")


def test_each_bot_gets_its_own_copy_of_the_content_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A start in the same process does not read the YAML again, and what one bot adds (an approved answer's
    source) is not seen by the next."""
    from content import catalog as catalog_module
    from content.catalog import shipped_catalog

    first = shipped_catalog()
    monkeypatch.setattr(catalog_module, "parse_dir", lambda *_: pytest.fail("the content was read again"))
    second = shipped_catalog()
    first.sources["added"] = next(iter(first.sources.values()))
    assert "added" not in second.sources and second.faq == first.faq and second.faq is not first.faq
