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

from bot.cli.officers import _TextWriter, province_name
from bot.cli.parser import session
from bot.settings import Settings


def register(sub: Any) -> None:
    report = sub.add_parser("report", help="báo cáo").add_subparsers(dest="report_cmd", required=True)
    lm = report.add_parser("learning-models", help="mô hình học tập: đăng ký, xã xác nhận, công nhận")
    lm.add_argument("--year", type=int, help="năm (mặc định: năm nay)")
    lm.add_argument("--province", help="chỉ một tỉnh/thành")
    lm.add_argument("--json", action="store_true")
    lm.add_argument("--csv", metavar="FILE", help="ghi danh sách từng đơn vị (CSV, mở được bằng Excel)")
    lm.add_argument("--summary-csv", metavar="FILE",
                    help="ghi bảng tổng hợp theo tỉnh, xã, mô hình, có tỉ lệ công nhận (CSV)")
    lm.set_defaults(func=cmd_report_learning_models)
    den = report.add_parser("denominator", help="số hộ/đơn vị trên địa bàn (mẫu số của tỉ lệ công nhận)")
    den.add_argument("--year", type=int, help="năm (mặc định: năm nay)")
    den.add_argument("--province", required=True, help="tỉnh/thành")
    den.add_argument("--commune", default="", help="xã/phường (bỏ trống: cả tỉnh)")
    den.add_argument("--model", required=True, help="mã mô hình: gd, dh, cd, dv, cn")
    den.add_argument("--count", type=int, required=True, help="số hộ/đơn vị (0: xoá)")
    den.set_defaults(func=cmd_report_denominator)


def _in_order(models: dict[str, Any], names: dict[str, str]) -> list[tuple[str, Any]]:
    """The models in the order of the criteria set (Gia đình, Dòng họ, …), unknown ids last."""
    order = list(names)
    return sorted(models.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0]))


def _line(place: Any, names: dict[str, str]) -> str:
    """“Gia đình học tập 3/2/1 (12,5%)” per model with units or households entered."""
    from handlers.learning_models.service import Tally

    models = {k: place.models.get(k, Tally()) for k in {*place.models, *place.denominators}}
    return " · ".join(f"{names.get(k, k)} {t.registered}/{t.assessed}/{t.recognised} ({place.rate_text(k)})"
                      for k, t in _in_order(models, names))  # fmt: skip


def _rate(place: Any, model: str) -> str:
    d = place.denominators.get(model)
    return f"tỉ lệ {place.rate_text(model)}" + (f" của {d} hộ/đơn vị" if d else " (chưa nhập số hộ/đơn vị)")


def _year_of(args: argparse.Namespace, settings: Settings) -> int:
    return int(args.year or dt.datetime.now(settings.tz).year)


async def cmd_report_learning_models(args: argparse.Namespace, settings: Settings) -> int:
    from content.catalog import default_catalog
    from handlers.learning_models import service

    catalog = default_catalog()
    lm = service.models_of(catalog)
    from handlers.learning_models import rates

    year = _year_of(args, settings)
    province = None
    if args.province:
        province = province_name(args.province)
        if province is None:
            print(f"Không tìm thấy tỉnh/thành “{args.province}”.", file=sys.stderr)
            return 2
    async with session(settings) as s:
        rows = await service.rollup(s, year, province)
        dens = await rates.denominators(s, year, province)
        units = await service.export_rows(s, catalog, year, province, settings.tz) if args.csv else []
    top = service.roll_up(rows, province or "Toàn bộ", dens)
    ms = lm.set_for(year) if lm else None
    names = {m.id: m.name for m in ms.models} if ms else {}
    if args.csv:
        out = io.StringIO()
        writer = _TextWriter(out)
        writer.writerow(service.EXPORT_HEADER)
        writer.writerows(units)
        await asyncio.to_thread(Path(args.csv).write_text, out.getvalue(), "utf-8-sig")
    if args.summary_csv:
        out = io.StringIO()
        writer = _TextWriter(out)
        writer.writerow(rates.SUMMARY_HEADER)
        writer.writerows(rates.summary_rows(top, names))
        await asyncio.to_thread(Path(args.summary_csv).write_text, out.getvalue(), "utf-8-sig")
    if args.json:
        data = {"year": year, "province": province, "model_names": names, **top.to_json()}
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(f"Mô hình học tập năm {year} — {top.name} (đăng ký/xã xác nhận/công nhận, tỉ lệ công nhận)")
    if not rows:
        print("Chưa có đơn vị nào đăng ký.")
    for model_id, t in _in_order(top.models, names):
        print(f"  {names.get(model_id, model_id)}: đăng ký {t.registered} · xã xác nhận {t.assessed}"
              f" · công nhận {t.recognised} · {_rate(top, model_id)}")  # fmt: skip
    for _, p in sorted(top.parts.items()):
        print(f"{p.name or '(chưa rõ tỉnh)'}: {_line(p, names)}")
        for _, c in sorted(p.parts.items()):
            print(f"  {c.name or '(chưa rõ xã)'}: {_line(c, names)}")
    if args.csv:
        print(f"Đã ghi {len(units)} đơn vị vào {args.csv}.")
    if args.summary_csv:
        print(f"Đã ghi bảng tổng hợp vào {args.summary_csv}.")
    return 0


async def cmd_report_denominator(args: argparse.Namespace, settings: Settings) -> int:
    """`hocbot report denominator`: the households / units of a commune (or a province) for a model and year."""
    from content.catalog import default_catalog
    from handlers.learning_models import rates, service
    from handlers.officers.scope import CLI_ADMIN
    from handlers.onboarding.communes import known_spelling, normalise_commune

    year = _year_of(args, settings)
    province = province_name(args.province)
    lm = service.models_of(default_catalog())
    ms = lm.set_for(year, province) if lm else None
    models = {m.id: m.name for m in ms.models} if ms else {}
    if province is None:
        print(f"Không tìm thấy tỉnh/thành “{args.province}”.", file=sys.stderr)
        return 2
    if args.model not in models:
        print(f"Không có mô hình “{args.model}”. Chọn một trong: {', '.join(models)}.", file=sys.stderr)
        return 2
    if not 0 <= args.count <= rates.COUNT_MAX:
        print(f"Số hộ/đơn vị cần từ 0 đến {rates.COUNT_MAX}.", file=sys.stderr)
        return 2
    commune = normalise_commune(args.commune) if args.commune.strip() else ""
    async with session(settings) as s:
        commune = await known_spelling(s, province, commune) if commune else ""
        await rates.set_denominator(s, CLI_ADMIN.actor, year, province, commune, args.model, args.count)
    place = f"{commune}, {province}" if commune else province
    print(f"Đã ghi: {place}, {models[args.model]} năm {year}: {args.count} hộ/đơn vị." if args.count else
          f"Đã xoá số hộ/đơn vị của {place}, {models[args.model]} năm {year}.")  # fmt: skip
    return 0
