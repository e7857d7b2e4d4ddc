"""The guides in docs/ may only tell people to type what exists: every `hocbot …` command (and its --options)
is checked against the CLI's own argparse tree, every environment variable against bot/settings.py, every
screenshot against tests/screenshots/. The guides are Vietnamese with diacritics."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest
from pydantic import AliasChoices

from bot.cli import build_parser
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "docs" / "huong-dan-can-bo.md", ROOT / "docs" / "cai-dat.md"]
ENV_RE = re.compile(r"\b((?:HOCBOT|TELEGRAM|ZALO|OPENAI)_[A-Z0-9_]*[A-Z0-9]|DATABASE_URL)\b")
TEST_ONLY_ENV = {"HOCBOT_TEST_DATABASE_URL"}
HOCBOT_PROGRAMS = {"hocbot", "hocbot-cli"}


def env_names_known() -> set[str]:
    """Every environment variable bot/settings.py reads."""
    names: set[str] = set(TEST_ONLY_ENV)
    for info in Settings.model_fields.values():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            names.update(str(c) for c in alias.choices if str(c).isupper())
    return names


def code_lines(text: str) -> list[str]:
    """Lines of fenced code blocks, and the contents of inline `code` spans."""
    out: list[str] = []
    fenced = False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            out.append(line)
        else:
            out.extend(re.findall(r"`([^`]+)`", line))
    return out


SHELL_OPERATORS = ("|", "||", "&&", ";", "&", "2>&1")
PREFIXES = {"sudo", "env", "exec", "time", "nohup"}


def commands_in(text: str) -> list[list[str]]:
    """Each `hocbot …` invocation (the program in command position: first word, after sudo or a shell
    operator) as its words after the program name, up to the next shell operator."""
    found: list[list[str]] = []
    for line in code_lines(text):
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            words = line.split()
        command_position = True
        current: list[str] | None = None
        skip_next = False
        for word in words:
            if word in SHELL_OPERATORS or word.startswith(">"):
                command_position, current = True, None
                continue
            if current is not None:
                current.append(word)
                continue
            if not command_position:
                continue
            if skip_next:
                skip_next = False
                continue
            if word in PREFIXES or ("=" in word and word.split("=", 1)[0].isupper()):
                continue  # sudo, env, VAR=value: the command comes next
            if word.startswith("-"):
                skip_next = word in ("-u", "-g")  # sudo -u hocbot …
                continue
            if word.rsplit("/", 1)[-1] in HOCBOT_PROGRAMS:
                current = []
                found.append(current)
            command_position = False
    return found


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:  # type: ignore[type-arg]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def check_command(words: list[str]) -> str | None:
    """None if `hocbot <words>` names real sub-commands and options; else what is wrong."""
    parser = build_parser()
    path: list[str] = []
    i = 0
    while i < len(words):
        sub = _subparsers(parser)
        word = words[i]
        if sub is None or word.startswith("-"):
            break
        if word not in sub.choices:
            if word.isupper() or not word.isascii() or "<" in word or "…" in word or word in ("...",):
                break  # a placeholder (FILE, "câu hỏi", <REF>) where a sub-command might still follow
            return f"hocbot {' '.join([*path, word])}: no such command"
        parser = sub.choices[word]
        path.append(word)
        i += 1
    options = {opt for action in parser._actions for opt in action.option_strings}
    for word in words[i:]:
        if word.startswith("--") and word.split("=", 1)[0] not in options:
            return f"hocbot {' '.join(path)}: no option {word.split('=', 1)[0]}"
    return None


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_command_in_the_guide_exists(doc: Path) -> None:
    commands = commands_in(doc.read_text(encoding="utf-8"))
    assert len(commands) >= (10 if doc.name == "cai-dat.md" else 3), "the guide shows how to run hocbot"
    problems = [p for words in commands if (p := check_command(words))]
    assert not problems, problems


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_environment_variable_in_the_guide_exists(doc: Path) -> None:
    used = set(ENV_RE.findall(doc.read_text(encoding="utf-8")))
    unknown = used - env_names_known()
    assert not unknown, f"{doc.name} names variables bot/settings.py does not read: {sorted(unknown)}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_screenshots_exist_and_text_is_vietnamese(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text)
    for image in images:
        assert (doc.parent / image).resolve().is_file(), image
    if doc.name == "huong-dan-can-bo.md":
        assert len(images) >= 6  # the officers' guide shows the pages it explains
    for word in ("Đăng nhập", "thông báo", "Cách", "người"):
        assert word.lower() in text.lower()
    letters = [c for c in text if c.isalpha()]
    assert sum(not c.isascii() for c in letters) / len(letters) > 0.1  # written with diacritics


def test_the_checker_catches_what_does_not_exist() -> None:
    assert check_command(["db", "backup", "FILE"]) is None
    assert check_command(["officer", "login-link", "telegram:12345"]) is None
    assert check_command(["broadcast", "send", "--to", "all", "--text", "x", "--yes"]) is None
    assert check_command(["db", "backupp", "FILE"]) is not None
    assert check_command(["doctor", "--fix"]) is not None
    assert check_command(["dashboard"]) is not None
    assert commands_in("Chạy `sudo hocbot-cli doctor` rồi `hocbot db backup /tmp/a.bak && ls`") == [
        ["doctor"], ["db", "backup", "/tmp/a.bak"]]
    assert commands_in("`sudo -u postgres createdb --owner hocbot hocbot && sudo -u hocbot /x/bin/hocbot stats`") == [
        ["stats"]]
    found = ENV_RE.findall("đặt HOCBOT_SECRET_KEY và TELEGRAM_BOT_TOKEN=…")
    assert found == ["HOCBOT_SECRET_KEY", "TELEGRAM_BOT_TOKEN"]
