"""Bot API 10.0 request validation for the fake Telegram server.

Types and required fields come from tests/fakes/data/telegram_bot_api_10.0.json, a compact schema kept in the
repository and derived from the machine-readable spec (PaulSonOfLars/telegram-bot-api-spec) by
tests/fakes/build_telegram_schema.py; limits that the spec only states in prose (text lengths, callback_data
bytes, poll sizes) are coded here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).resolve().parent / "data" / "telegram_bot_api_10.0.json"

_BOOL_STRINGS = {"true": True, "false": False, "1": True, "0": False}
_INLINE_META = {"text", "icon_custom_emoji_id", "style"}
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass
class Upload:
    """A file part received in a multipart request."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


class Invalid(Exception):
    """A request that Telegram would refuse with 400; `violation` is the note kept for the test."""

    def __init__(self, description: str, violation: str | None = None) -> None:
        super().__init__(description)
        self.description = description
        self.violation = violation or description


@lru_cache(maxsize=2)
def load_spec(path: str = str(SPEC_PATH)) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


class Spec:
    """Decodes raw parameters and checks them against one schema (see build_telegram_schema.py)."""

    def __init__(self, path: Path = SPEC_PATH) -> None:
        data = load_spec(str(path))
        self.version: str = data.get("version", "")
        self.methods: dict[str, Any] = data["methods"]
        self.types: dict[str, Any] = data["types"]
        self._by_lower = {name.lower(): name for name in self.methods}
        # fields by name, per method and per type, built once: the same checks, without rebuilding these
        # dictionaries for every request and every nested object (most of the fake's CPU in the benchmarks)
        self._fields = {m: {f["name"]: f for f in spec.get("fields", [])} for m, spec in self.methods.items()}
        self._type_fields = {t: {f["name"]: f for f in spec.get("fields", [])} for t, spec in self.types.items()}
        # a yes/no check per type, compiled on first use: a value it accepts is one the full check below finds
        # nothing wrong with; only values it refuses go through the full check, which words the errors
        self._checkers: dict[str, Callable[[Any], bool]] = {}

    def resolve(self, method: str) -> str | None:
        """Canonical method name (Telegram matches names case-insensitively) or None."""
        return self._by_lower.get(method.lower())

    def fields(self, method: str) -> dict[str, dict[str, Any]]:
        return self._fields[method]

    # -- decoding ---------------------------------------------------------------------------------
    def decode(self, method: str, raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """Turn form strings into typed values; returns (params, errors)."""
        fields = self.fields(method)
        params: dict[str, Any] = {}
        errors: list[str] = []
        for name, value in raw.items():
            spec = fields.get(name)
            if spec is None:
                errors.append(f"{method}: unknown parameter {name!r}")
                params[name] = value
                continue
            params[name] = _decode_value(value, spec["types"])
        for name, spec in fields.items():
            if spec["required"] and name not in params:
                errors.append(f"{method}: missing required parameter {name!r}")
        for name, value in params.items():
            spec = fields.get(name)
            if spec is None or self._valid(value, spec["types"]):
                continue
            if not self._matches_any(value, spec["types"], f"{method}.{name}", errors):
                errors.append(
                    f"{method}.{name}: expected {' or '.join(fields[name]['types'])}, got {value!r:.80}"
                )
        return params, errors

    # -- type checks ------------------------------------------------------------------------------
    def _valid(self, value: Any, types: list[str]) -> bool:
        """True iff _matches_any(value, types) would find no error (without wording any)."""
        checkers = self._checkers
        for type_name in types:
            check = checkers.get(type_name)
            if check is None:
                check = checkers[type_name] = self._compile(type_name)
            if check(value):
                return True
        return False

    def _compile(self, type_name: str) -> Callable[[Any], bool]:
        """The yes/no form of _matches(value, type_name) with no errors, for one type."""
        valid = self._valid
        if type_name.startswith("Array of "):
            inner = [type_name[len("Array of ") :]]

            def array(value: Any) -> bool:
                if not isinstance(value, list):
                    return False
                for item in value:
                    if not valid(item, inner):
                        return False
                return True

            return array
        primitive = _PRIMITIVES.get(type_name)
        if primitive is not None:
            return primitive
        spec = self.types.get(type_name)
        if spec is None:
            return _is_dict
        subtypes = spec.get("subtypes")
        if subtypes:
            variants = list(subtypes)

            def union(value: Any) -> bool:
                return isinstance(value, dict) and valid(value, variants)

            return union
        field_types = {name: f["types"] for name, f in self._type_fields[type_name].items()}
        required = [name for name, f in self._type_fields[type_name].items() if f["required"]]

        def obj(value: Any) -> bool:
            if not isinstance(value, dict):
                return False
            for name, item in value.items():
                types = field_types.get(name)
                if types is None or not valid(item, types):
                    return False
            for name in required:
                if name not in value:
                    return False
            return True

        return obj

    def _matches_any(self, value: Any, types: list[str], where: str, errors: list[str]) -> bool:
        best: list[str] | None = None
        for type_name in types:
            errs: list[str] = []
            if self._matches(value, type_name, where, errs):
                if not errs:
                    return True
                if best is None or len(errs) < len(best):
                    best = errs
        if best:
            errors.extend(best)
            return True
        return False

    def _matches(self, value: Any, type_name: str, where: str, errors: list[str]) -> bool:
        """False if the JSON kind is wrong; nested field problems go to `errors`."""
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                return False
            inner = type_name[len("Array of ") :]
            for i, item in enumerate(value):
                if not self._matches_any(item, [inner], f"{where}[{i}]", errors):
                    errors.append(f"{where}[{i}]: expected {inner}, got {item!r:.60}")
            return True
        if type_name == "Integer":
            return isinstance(value, int) and not isinstance(value, bool)
        if type_name == "Float":
            return isinstance(value, int | float) and not isinstance(value, bool)
        if type_name == "Boolean":
            return isinstance(value, bool)
        if type_name == "String":
            return isinstance(value, str)
        if type_name == "InputFile":
            return isinstance(value, Upload)
        return self._check_object(value, type_name, where, errors)

    def _check_object(self, value: Any, type_name: str, where: str, errors: list[str]) -> bool:
        if not isinstance(value, dict):
            return False
        spec = self.types.get(type_name)
        if spec is None:
            return True
        subtypes = spec.get("subtypes")
        if subtypes:
            for sub in subtypes:
                errs: list[str] = []
                if self._check_object(value, sub, where, errs) and not errs:
                    return True
            errors.append(f"{where}: object matches no {type_name} variant: {value!r:.100}")
            return True
        fields = self._type_fields[type_name]
        for name, item in value.items():
            if name not in fields:
                errors.append(f"{where}: unknown field {name!r} in {type_name}")
            elif not self._matches_any(item, fields[name]["types"], f"{where}.{name}", errors):
                errors.append(f"{where}.{name}: expected {' or '.join(fields[name]['types'])}")
        for name, f in fields.items():
            if f["required"] and name not in value:
                errors.append(f"{where}: {type_name} needs field {name!r}")
        return True


def _is_dict(value: Any) -> bool:
    return isinstance(value, dict)


_PRIMITIVES: dict[str, Callable[[Any], bool]] = {
    "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "Boolean": lambda v: isinstance(v, bool),
    "String": lambda v: isinstance(v, str),
    "InputFile": lambda v: isinstance(v, Upload),
}


def _decode_value(value: Any, types: list[str]) -> Any:
    """Form fields arrive as strings: parse them as the first declared type they fit."""
    if not isinstance(value, str):
        return value
    for type_name in types:
        if type_name in ("String", "InputFile"):
            return value
        try:
            if type_name == "Integer":
                return int(value)
            if type_name == "Float":
                return float(value)
            if type_name == "Boolean":
                if value.lower() in _BOOL_STRINGS:
                    return _BOOL_STRINGS[value.lower()]
                continue
            return json.loads(value)
        except ValueError:
            continue
    return value


# -- limits the spec states only in prose --------------------------------------------------------
def _text_len(value: Any) -> int:
    return len(value) if isinstance(value, str) else 0


def check_inline_keyboard(markup: Any) -> None:
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list):
        return
    for row in rows:
        for button in row if isinstance(row, list) else []:
            if not isinstance(button, dict):
                continue
            actions = [k for k in button if k not in _INLINE_META]
            if len(actions) != 1:
                raise Invalid(
                    "Bad Request: can't parse inline keyboard button: exactly one action field is required",
                    f"inline button {button.get('text')!r} has actions {actions} (needs exactly one)",
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise Invalid(
                    "Bad Request: BUTTON_DATA_INVALID",
                    f"callback_data {data!r} is {len(str(data).encode())} bytes (must be 1-64)",
                )
            if not str(button.get("text", "")):
                raise Invalid("Bad Request: text buttons are unallowed in the inline keyboard")


def check_reply_keyboard(markup: Any) -> None:
    rows = markup.get("keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list):
        return
    for row in rows:
        for button in row if isinstance(row, list) else []:
            if isinstance(button, dict) and len([k for k in button if k not in _INLINE_META]) > 1:
                raise Invalid("Bad Request: keyboard button has more than one action")


def check_rules(method: str, p: dict[str, Any]) -> None:
    """Raise Invalid for requests Telegram refuses although the types are right."""
    if method in ("sendMessage", "editMessageText"):
        if not _text_len(p.get("text")) or not str(p.get("text")).strip():
            raise Invalid("Bad Request: message text is empty")
        if _text_len(p.get("text")) > 4096:
            raise Invalid(
                "Bad Request: message is too long", f"{method} text has {_text_len(p['text'])} chars"
            )
    if _text_len(p.get("caption")) > 1024:
        raise Invalid("Bad Request: message caption is too long", f"{method} caption > 1024 chars")
    if "reply_markup" in p:
        check_inline_keyboard(p["reply_markup"])
        check_reply_keyboard(p["reply_markup"])
    if method == "sendPoll":
        _check_poll(p)
    if method == "answerCallbackQuery" and _text_len(p.get("text")) > 200:
        raise Invalid("Bad Request: MESSAGE_TOO_LONG", "answerCallbackQuery text > 200 chars")
    if method == "sendMessageDraft":
        if p.get("draft_id") == 0:
            raise Invalid("Bad Request: draft_id must be non-zero")
        if _text_len(p.get("text")) > 4096:
            raise Invalid("Bad Request: message is too long", "sendMessageDraft text > 4096 chars")
    if method == "setMyCommands":
        for cmd in p.get("commands") or []:
            if not isinstance(cmd, dict):
                continue
            if not _COMMAND_RE.match(str(cmd.get("command", ""))):
                raise Invalid("Bad Request: BOT_COMMAND_INVALID", f"bad command name {cmd.get('command')!r}")
            if not 1 <= _text_len(cmd.get("description")) <= 256:
                raise Invalid(
                    "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID", f"bad description in {cmd!r:.80}"
                )
    if method == "setWebhook" and "secret_token" in p and not _SECRET_RE.match(str(p["secret_token"])):
        raise Invalid("Bad Request: secret token contains unallowed characters")


def _check_poll(p: dict[str, Any]) -> None:
    if not 1 <= _text_len(p.get("question")) <= 300:
        raise Invalid(
            "Bad Request: POLL_QUESTION_INVALID",
            f"poll question must be 1-300 chars: {p.get('question')!r:.40}",
        )
    options = p.get("options") or []
    if not 1 <= len(options) <= 12:
        raise Invalid("Bad Request: POLL_OPTIONS_INVALID", f"poll needs 1-12 options, got {len(options)}")
    for opt in options:
        text = opt.get("text") if isinstance(opt, dict) else opt
        if not 1 <= _text_len(text) <= 100:
            raise Invalid(
                "Bad Request: POLL_OPTION_INVALID", f"poll option must be 1-100 chars: {text!r:.40}"
            )
    if _text_len(p.get("explanation")) > 200:
        raise Invalid("Bad Request: explanation is too long", "quiz explanation > 200 chars")
    if p.get("type") == "quiz":
        correct = p.get("correct_option_ids")
        if not isinstance(correct, list) or not correct:
            raise Invalid("Bad Request: wrong correct option ids specified", "quiz needs correct_option_ids")
        if any(not isinstance(i, int) or not 0 <= i < len(options) for i in correct):
            raise Invalid(
                "Bad Request: wrong correct option ids specified",
                f"correct_option_ids {correct} out of range",
            )


# -- parse_mode: what the user actually sees -----------------------------------------------------
_HTML_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
    "tg-time",
}
_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            raise Invalid('Bad Request: can\'t parse entities: Unsupported start tag "br"')
        if tag not in _HTML_TAGS:
            raise Invalid(f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise Invalid(f'Bad Request: can\'t parse entities: Unexpected end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text a user sees; raises Invalid for markup Telegram cannot parse."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        parser = _HtmlText()
        parser.feed(text)
        parser.close()
        if parser.stack:
            raise Invalid(
                "Bad Request: can't parse entities: "
                f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"'
            )
        return "".join(parser.parts)
    if mode == "markdownv2":
        out: list[str] = []
        escaped = False
        for ch in text:
            if escaped:
                out.append(ch)
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch in "*_~|`":
                continue
            elif ch in _MDV2_RESERVED and ch not in "[]()":
                raise Invalid(
                    f"Bad Request: can't parse entities: Character '{ch}' is reserved and must be escaped "
                    "with the preceding '\\'"
                )
            else:
                out.append(ch)
        return "".join(out)
    return text
