"""A fresh clone tests itself: nothing beside the repository is read, and a test run leaves `git status` clean."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import browser
from tests.fakes import build_telegram_schema
from tests.fakes.telegram_spec import SPEC_PATH, Spec

ROOT = Path(__file__).resolve().parents[1]
# A path that climbs out of the checkout to the reference folder next to it.
OUTSIDE = re.compile(r"""(\.\./|parents\[\d\]\s*/\s*["'])shared\b""")


def test_the_fake_bot_api_validates_against_a_schema_inside_the_repository() -> None:
    assert SPEC_PATH.is_relative_to(ROOT), SPEC_PATH
    assert SPEC_PATH.is_file()
    spec = Spec()
    assert spec.version == "Bot API 10.0"
    send = spec.fields("sendMessage")
    assert send["chat_id"]["required"] and send["text"]["required"] and not send["parse_mode"]["required"]
    _, errors = spec.decode("sendMessage", {"chat_id": "5", "text": "Chào", "reply_markup": '{"inline_keyboard":1}'})
    assert errors and "reply_markup" in errors[0]
    assert "InlineKeyboardButton" in spec.types and "InputMediaPhoto" in spec.types


def test_no_code_or_test_reads_the_reference_folder_beside_the_checkout() -> None:
    readers = []
    for folder in ("bot", "handlers", "content", "scheduler", "tests", "bench"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".sh", ".ini", ".toml") and path != Path(__file__).resolve():
                if OUTSIDE.search(path.read_text(encoding="utf-8", errors="replace")):
                    readers.append(str(path.relative_to(ROOT)))
    for name in ("Makefile", "pyproject.toml"):
        if OUTSIDE.search((ROOT / name).read_text(encoding="utf-8")):
            readers.append(name)
    assert not readers, f"these read the folder beside the checkout, which a fresh clone lacks: {readers}"


def test_the_schema_builder_keeps_parameters_and_the_types_they_reach(tmp_path: Path) -> None:
    api = {
        "version": "Bot API 9.9",
        "release_date": "x",
        "methods": {
            "sendThing": {
                "name": "sendThing",
                "description": ["long prose"],
                "fields": [
                    {"name": "chat_id", "types": ["Integer", "String"], "required": True, "description": "…"},
                    {"name": "markup", "types": ["Array of Array of Button"], "required": False, "description": ""},
                ],
            }
        },
        "types": {
            "Button": {"name": "Button", "subtypes": ["ButtonA"], "description": ["…"]},
            "ButtonA": {"name": "ButtonA", "fields": [
                {"name": "text", "types": ["String"], "required": True, "description": "…"},
                {"name": "icon", "types": ["Icon"], "required": False, "description": "…"},
            ]},
            "Icon": {"name": "Icon", "fields": []},
            "Message": {"name": "Message", "fields": [{"name": "x", "types": ["Integer"], "required": True}]},
        },
    }  # fmt: skip
    schema = build_telegram_schema.compact(api)
    assert set(schema["types"]) == {"Button", "ButtonA", "Icon"}  # Message is only returned, never sent
    assert schema["methods"]["sendThing"]["fields"][1] == {
        "name": "markup", "types": ["Array of Array of Button"], "required": False,
    }  # fmt: skip
    out = tmp_path / "schema.json"
    out.write_text(build_telegram_schema.dumps(schema), encoding="utf-8")
    spec = Spec(out)
    _, errors = spec.decode("sendThing", {"chat_id": "1", "markup": '[[{"text": "a", "bad": 1}]]'})
    assert errors, "an unknown field in a nested object is a violation"


def test_a_test_run_writes_its_screenshots_where_git_ignores_them() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    assert browser.SCREENSHOTS != ROOT / "tests" / "screenshots", "the README's pictures are for `make screenshots`"
    probe = browser.SCREENSHOTS / "overview.png"
    ignored = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", "-q", "--no-index", str(probe)], check=False
    )
    assert ignored.returncode == 0, f"{probe} would show up in git status"
