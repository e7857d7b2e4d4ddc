"""`hocbot report learning-models`: the roll-up of the five learning models (registered, confirmed by the
commune, recognised) per model, province and commune; `--csv` writes one row per unit, Vietnamese headers."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

from bot.cli.officers import _TextWriter, province_name, session
from bot.settings import Settings


def register(sub: Any) -> None:
    report = sub.add_parser("report", help="báo cáo").add_subparsers(dest="report_cmd", required=True)
    lm = report.add_parser("learning-models", help="mô hình học tập: đăng ký, xã xác nhận, công nhận")
    lm.add_argument("--year", type=int, help="năm (mặc định: năm nay)")
    lm.add_argument("--province", help="chỉ một tỉnh/thành")
    lm.add_argument("--json", action="store_true")
    lm.add_argument("--csv", metavar="FILE", help="ghi danh sách từng đơn vị (CSV, mở được bằng Excel)")
    lm.set_defaults(func=cmd_report_learning_models)


def _line(models: dict[str, Any], names: dict[str, str]) -> str:
    return " · ".join(f"{names.get(k, k)} {t.registered}/{t.assessed}/{t.recognised}" for k, t in sorted(
        models.items()))  # fmt: skip


async def cmd_report_learning_models(args: argparse.Namespace, settings: Settings) -> int:
    from content.catalog import default_catalog
    from handlers.learning_models import service

    catalog = default_catalog()
    lm = service.models_of(catalog)
    year = args.year or dt.datetime.now(settings.tz).year
    province = None
    if args.province:
        province = province_name(args.province)
        if province is None:
            print(f"Không tìm thấy tỉnh/thành “{args.province}”.", file=sys.stderr)
            return 2
    async with session(settings) as s:
        rows = await service.rollup(s, year, province)
        units = await service.export_rows(s, catalog, year, province, settings.tz) if args.csv else []
    top = service.roll_up(rows, province or "Toàn bộ")
    ms = lm.set_for(year) if lm else None
    names = {m.id: m.name for m in ms.models} if ms else {}
    if args.csv:
        out = io.StringIO()
        writer = _TextWriter(out)
        writer.writerow(service.EXPORT_HEADER)
        writer.writerows(units)
        await asyncio.to_thread(Path(args.csv).write_text, out.getvalue(), "utf-8-sig")
    if args.json:
        data = {"year": year, "province": province, "model_names": names, **top.to_json()}
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(f"Mô hình học tập năm {year} — {top.name} (đăng ký/xã xác nhận/công nhận)")
    if not rows:
        print("Chưa có đơn vị nào đăng ký.")
    for model_id, t in sorted(top.models.items()):
        print(f"  {names.get(model_id, model_id)}: đăng ký {t.registered} · xã xác nhận {t.assessed}"
              f" · công nhận {t.recognised}")  # fmt: skip
    for _, p in sorted(top.parts.items()):
        print(f"{p.name or '(chưa rõ tỉnh)'}: {_line(p.models, names)}")
        for _, c in sorted(p.parts.items()):
            print(f"  {c.name or '(chưa rõ xã)'}: {_line(c.models, names)}")
    if args.csv:
        print(f"Đã ghi {len(units)} đơn vị vào {args.csv}.")
    return 0
