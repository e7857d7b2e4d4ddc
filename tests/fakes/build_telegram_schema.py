"""Derive the compact Bot API schema the fake Telegram server validates against.

    python -m tests.fakes.build_telegram_schema PATH/TO/api.json [OUT.json]

The input is the machine-readable spec (PaulSonOfLars/telegram-bot-api-spec, `api.json`). The output keeps
every method with its parameters (name, types, required) and the object types those parameters can reach
(fields or subtypes), without descriptions, one entry per line so a new Bot API version diffs readably.
The result is committed as tests/fakes/data/telegram_bot_api_<version>.json: the tests read only that file,
never the spec beside the repository. Run it again when the spec is updated.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE = "https://github.com/PaulSonOfLars/telegram-bot-api-spec (api.json)"


def _field(f: dict[str, Any]) -> dict[str, Any]:
    return {"name": f["name"], "types": list(f["types"]), "required": bool(f["required"])}


def _named_types(types: list[str]) -> list[str]:
    return [re.sub(r"^(Array of )+", "", t) for t in types]


def compact(spec: dict[str, Any]) -> dict[str, Any]:
    """Methods with their parameters, and every object type reachable from a parameter."""
    methods = {
        name: {"fields": [_field(f) for f in m.get("fields", [])]} for name, m in sorted(spec["methods"].items())
    }
    all_types: dict[str, Any] = spec["types"]
    wanted: set[str] = set()
    todo = [t for m in methods.values() for f in m["fields"] for t in _named_types(f["types"])]
    while todo:
        name = todo.pop()
        if name in wanted or name not in all_types:
            continue
        wanted.add(name)
        t = all_types[name]
        todo.extend(t.get("subtypes", []))
        todo.extend(x for f in t.get("fields", []) for x in _named_types(f["types"]))
    types: dict[str, Any] = {}
    for name in sorted(wanted):
        t = all_types[name]
        if t.get("subtypes"):
            types[name] = {"subtypes": list(t["subtypes"])}
        else:
            types[name] = {"fields": [_field(f) for f in t.get("fields", [])]}
    return {
        "version": spec.get("version", ""),
        "release_date": spec.get("release_date", ""),
        "source": SOURCE,
        "methods": methods,
        "types": types,
    }


def dumps(schema: dict[str, Any]) -> str:
    """JSON with one method or type per line."""
    lines = ["{"]
    for key in ("version", "release_date", "source"):
        lines.append(f"  {json.dumps(key)}: {json.dumps(schema[key], ensure_ascii=False)},")
    for section, last in (("methods", False), ("types", True)):
        items = list(schema[section].items())
        lines.append(f"  {json.dumps(section)}: {{")
        for i, (name, body) in enumerate(items):
            comma = "," if i < len(items) - 1 else ""
            body_json = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
            lines.append(f"    {json.dumps(name)}: {body_json}{comma}")
        lines.append("  }" if last else "  },")
    lines.append("}")
    return "\n".join(lines) + "\n"


def out_path(version: str) -> Path:
    number = version.replace("Bot API", "").strip() or "unknown"
    return DATA_DIR / f"telegram_bot_api_{number}.json"


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as fh:
        schema = compact(json.load(fh))
    target = Path(argv[1]) if len(argv) > 1 else out_path(schema["version"])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dumps(schema), encoding="utf-8")
    print(f"{target}: {len(schema['methods'])} methods, {len(schema['types'])} types")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
