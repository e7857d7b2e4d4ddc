"""The command line's argparse parser in Vietnamese: headings, -h, and the mistakes argparse reports (a missing
or unknown argument, a wrong number or choice) become one Vietnamese line, as every other hocbot message."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, NoReturn

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.settings import Settings

# argparse's own wording (Python 3.11–3.13) → ours; what is not listed is shown as argparse says it.
_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^the following arguments are required: (.*)$"), r"thiếu \1"),
    (re.compile(r"^one of the arguments (.*) is required$"), r"cần một trong: \1"),
    (re.compile(r"^unrecognized arguments: (.*)$"), r"không hiểu: \1"),
    (re.compile(r"^argument (.+?): "), r"\1: "),
    (re.compile(r"invalid choice: (.*) \(choose from (.*)\)$"), r"không có lựa chọn \1 (chọn một trong: \2)"),
    (re.compile(r"invalid int value: (.*)$"), r"\1 không phải là số nguyên"),
    (re.compile(r"invalid float value: (.*)$"), r"\1 không phải là số"),
    (re.compile(r"invalid \S+ value: (.*)$"), r"giá trị \1 không hợp lệ"),
    (re.compile(r"expected one argument$"), "cần một giá trị"),
    (re.compile(r"expected at most one argument$"), "chỉ nhận tối đa một giá trị"),
    (re.compile(r"expected at least one argument$"), "cần ít nhất một giá trị"),
    (re.compile(r"not allowed with argument (.*)$"), r"không dùng cùng \1"),
    (re.compile(r"ignored explicit argument (.*)$"), r"không nhận giá trị \1"),
    (re.compile(r"^ambiguous option: (.*) could match (.*)$"), r"tùy chọn \1 chưa rõ, có thể là: \2"),
]


_REQUIRED = re.compile(r"^the following arguments are required: (.*)$")
_ARGUMENT = re.compile(r"^argument (.+?): (.*)$", re.S)


def vietnamese(message: str) -> str:
    """argparse's error message in Vietnamese."""
    for pattern, repl in _MESSAGES:
        message = pattern.sub(repl, message)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse.ArgumentParser speaking Vietnamese; `add_subparsers` makes its sub-commands of this class too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **{**kwargs, "add_help": False})
        self._positionals.title = "lệnh và đối số"
        self._optionals.title = "tùy chọn"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="xem hướng dẫn này")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {vietnamese(self._named(message))}\n")

    def _named(self, message: str) -> str:
        """argparse names a positional by its internal dest (“cmd”, “b_cmd”): ours says “lệnh” or its metavar,
        and a missing one that has choices lists them, as a wrong choice does."""
        shown = {_internal(a): a for a in self._actions if not a.option_strings}
        wrong = _ARGUMENT.match(message)
        if wrong is not None and wrong.group(1) in shown:
            return f"argument {_shown(shown[wrong.group(1)])}: {wrong.group(2)}"
        missing = _REQUIRED.match(message)
        if missing is None:
            return message
        names = []
        for name in missing.group(1).split(", "):
            action = shown.get(name)
            if action is None:
                names.append(name)
            elif action.choices:
                names.append(f"{_shown(action)} (chọn một trong: {', '.join(map(repr, action.choices))})")
            else:
                names.append(_shown(action))
        return f"the following arguments are required: {', '.join(names)}"


def _internal(action: argparse.Action) -> str:
    """The name argparse gives a positional in its messages."""
    return str(action.metavar or action.dest)


def _shown(action: argparse.Action) -> str:
    return "lệnh" if isinstance(action, argparse._SubParsersAction) else _internal(action)


def print_result(args: argparse.Namespace, data: dict[str, Any], sentence: str) -> None:
    """What a command did: one Vietnamese sentence for the officer, the JSON object with `--json` (scripts)."""
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(sentence)


@asynccontextmanager
async def session(settings: Settings) -> AsyncIterator[AsyncSession]:
    """One unit of work of a CLI command, on the services every entry point builds (bot/app.py)."""
    from bot.app import open_services

    async with open_services(settings) as services, services.db.session() as s:
        yield s
