"""`hocbot campaign add/list/remove/week-plan`, `hocbot week set/show` and `hocbot week event add/list`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from bot.app import open_services
from bot.cli.parser import print_result
from bot.settings import Settings
from handlers.officers import audience
from handlers.officers.reasons import skip_label
from handlers.week import campaign_store as store


def register(sub: Any) -> None:
    camp = sub.add_parser("campaign", help="lịch nhắc theo nhóm").add_subparsers(
        dest="campaign_cmd", required=True
    )
    add = camp.add_parser("add", help="thêm lịch nhắc")
    add.add_argument("--name", required=True)
    add.add_argument("--to", required=True, action="append",
                     help="all, số nhóm hoặc tên đúng của nhóm (xem: hocbot group list); lặp lại cho nhiều nhóm")
    add.add_argument("--text", required=True)
    when = add.add_mutually_exclusive_group(required=True)
    when.add_argument("--at", help="một lần, giờ địa phương: 2026-09-24T08:00")
    when.add_argument("--cron", help='lặp lại: "phút giờ ngày tháng thứ", ví dụ "0 8 * * 1"')
    when.add_argument("--week-offset", type=int, help="số ngày so với ngày đầu Tuần lễ, thường 1/10 (âm = trước)")
    when.add_argument("--after-join", type=int, help="N ngày sau khi người dùng đăng ký")
    when.add_argument("--after-inactive", type=int, help="N ngày sau lần hoạt động cuối")
    add.add_argument("--hour", type=int, default=8)
    add.add_argument("--minute", type=int, default=0)
    add.add_argument("--year", type=int, help="chỉ Tuần lễ của năm này (với --week-offset)")
    add.add_argument("--button", help="module:m1 | lesson:m1:0 | quiz:m1 | contest (mở /thi) | contest:ID")
    add.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho script)")
    add.add_argument("--button-label")
    add.set_defaults(func=cmd_add)
    ls = camp.add_parser("list", help="xem các lịch nhắc")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)
    ed = camp.add_parser("edit", help="sửa nội dung, tên hoặc giờ gửi của một lịch nhắc")
    ed.add_argument("id", type=int)
    ed.add_argument("--text")
    ed.add_argument("--name")
    ed.add_argument("--hour", type=int)
    ed.add_argument("--minute", type=int)
    ed.set_defaults(func=cmd_edit)
    rm = camp.add_parser("remove", help="xoá lịch nhắc")
    rm.add_argument("id", type=int)
    rm.set_defaults(func=cmd_remove)
    plan = camp.add_parser("week-plan", help="tạo sẵn 9 lời nhắc cho Tuần lễ học tập")
    plan.add_argument("--year", type=int, help="năm của Tuần lễ (mặc định: Tuần lễ sắp tới, như /tuanle)")
    plan.add_argument(
        "--to", action="append",
        help="số nhóm hoặc tên đúng của nhóm (mặc định: người bấm “Nhắc tôi”); all = mọi người; lặp lại cho nhiều nhóm",
    )
    plan.add_argument("--hour", type=int, default=8)
    plan.set_defaults(func=cmd_week_plan)

    week = sub.add_parser("week", help="Tuần lễ học tập").add_subparsers(dest="week_cmd", required=True)
    event = week.add_parser("event", help="hoạt động địa phương").add_subparsers(
        dest="event_cmd", required=True
    )
    ev = event.add_parser("add", help="thêm hoạt động")
    ev.add_argument("--title", required=True)
    ev.add_argument("--date", required=True, help="2026-10-01")
    ev.add_argument("--place", default="")
    ev.add_argument("--province")
    ev.add_argument("--commune")
    ev.add_argument("--group")
    ev.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho script)")
    ev.set_defaults(func=cmd_event_add)
    evl = event.add_parser("list", help="xem các hoạt động")
    evl.add_argument("--json", action="store_true")
    evl.set_defaults(func=cmd_event_list)
    wset = week.add_parser("set", help="đặt ngày và chủ đề Tuần lễ của một năm (không cần sửa YAML)")
    wset.add_argument("--year", type=int, required=True)
    wset.add_argument("--start", help="ngày bắt đầu, ví dụ 2027-10-01 (bỏ trống: giữ ngày đang có)")
    wset.add_argument("--end", help="ngày kết thúc, ví dụ 2027-10-07 (bỏ trống: giữ ngày đang có)")
    wset.add_argument("--theme", help="chủ đề năm đó (bỏ trống: giữ chủ đề đang có)")
    wset.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho script)")
    wset.set_defaults(func=cmd_week_set)
    wshow = week.add_parser("show", help="xem Tuần lễ từng năm (nội dung và ngày cán bộ đã đặt)")
    wshow.add_argument("--year", type=int)
    wshow.add_argument("--json", action="store_true")
    wshow.set_defaults(func=cmd_week_show)


def _fields(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    common = {
        "hour": args.hour,
        "minute": args.minute,
        "button": args.button,
        "button_label": args.button_label,
    }
    if args.at:
        return {"kind": "once", "at": store.parse_local(args.at, settings), "button": args.button,
                "button_label": args.button_label}  # fmt: skip
    if args.cron:
        return {"kind": "cron", "cron": args.cron, "button": args.button, "button_label": args.button_label}
    if args.week_offset is not None:
        return {"kind": "week", "offset_days": args.week_offset, "year": args.year, **common}
    if args.after_join is not None:
        return {"kind": "joined", "offset_days": args.after_join, **common}
    return {"kind": "inactive", "offset_days": args.after_inactive, **common}


async def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    try:
        async with open_services(settings) as svc:
            async with svc.db.session() as s:
                fields = _fields(args, settings)
                kind = fields.pop("kind")
                to = await audience.parse_targets(s, args.to)
                c = await store.add_campaign(
                    s, settings, svc.now(), name=args.name, to=to, text=args.text, kind=kind, **fields
                )
                nxt = store.upcoming(c, None, svc.now(), settings, await store.week_starts(s, svc.catalog.week))
                out = {"campaign_id": c.id, "next_fire": store._local(nxt, settings)}
    except (store.CampaignError, audience.TargetError) as exc:
        print(exc, file=sys.stderr)
        return 2
    when = out["next_fire"] or "không còn lần nào"
    print_result(args, out, f"Đã thêm lịch nhắc #{out['campaign_id']} “{args.name}”; lần gửi tới: {when}.")
    return 0


async def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    async with open_services(settings) as svc:
        async with svc.db.session() as s:
            rows = await store.summaries(s, settings, svc.now(), svc.catalog.week)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        print("Chưa có lịch nhắc nào.")
    for r in rows:
        reasons = ", ".join(f"{skip_label(k)}: {v}" for k, v in r["skip_reasons"].items()) or "—"
        print(
            f"#{r['id']} {r['name']} → {r['to']} · {r['schedule']}{' · TẠM DỪNG' if r['paused'] else ''}\n"
            f"   “{r['text']}”\n"
            f"   lần tới: {r['next_fire'] or '—'} · lần trước: {r['last_fire'] or '—'}"
            f" ({r['last_status'] or '—'})\n"
            f"   đã gửi {r['sent']} · chờ gửi {r['queued']} · lỗi {r['failed']} · chặn bot {r['blocked']}"
            f" · tài khoản đã xoá {r['gone']}"
            f" · bỏ qua {r['skipped']} ({reasons})"
        )
    return 0


async def cmd_edit(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db.models_campaigns import Campaign

    try:
        async with open_services(settings) as svc:
            async with svc.db.session() as s:
                c = await s.get(Campaign, args.id)
                if c is None:
                    print(f"Không có lịch nhắc #{args.id}.", file=sys.stderr)
                    return 1
                store.edit_campaign(c, text=args.text, name=args.name, hour=args.hour, minute=args.minute)
                s.add(c)
                line = f"Đã sửa lịch nhắc #{c.id} {c.name} · {store.describe(c)}\n   “{c.text}”"
    except store.CampaignError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(line)
    return 0


async def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    async with open_services(settings) as svc:
        async with svc.db.session() as s:
            ok = await store.remove_campaign(s, args.id)
    print(f"Đã xoá lịch nhắc #{args.id}." if ok else f"Không có lịch nhắc #{args.id}.")
    return 0 if ok else 1


async def cmd_week_plan(args: argparse.Namespace, settings: Settings) -> int:
    from handlers.week.chat import week_group
    from handlers.week.service import current_week

    try:
        async with open_services(settings) as svc:
            async with svc.db.session() as s:
                if args.to:
                    to = await audience.parse_targets(s, args.to)
                else:
                    to = [(await week_group(s)).id or 0]
                if args.year is None:  # the Week citizens see in /tuanle
                    today = svc.now().astimezone(settings.tz).date()
                    args.year = (await current_week(s, svc.catalog.week, today)).year
                made = await store.week_plan(
                    s, settings, svc.now(), svc.catalog.week, args.year, to, args.hour
                )
                lines = [f"#{c.id} {c.name}: {store.describe(c)}\n   “{c.text}”" for c in made]
    except (store.CampaignError, audience.TargetError) as exc:
        print(exc, file=sys.stderr)
        return 2
    print("\n".join(lines))
    print(f"Đã tạo {len(made)} lời nhắc cho Tuần lễ {args.year}.")
    return 0


async def cmd_event_add(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.context import UserFacingError
    from handlers.week.service import add_event

    try:
        day = dt.date.fromisoformat(args.date)
    except ValueError:
        print(f"Ngày không hợp lệ: {args.date!r} (ví dụ 2026-10-01)", file=sys.stderr)
        return 2
    try:
        async with open_services(settings) as svc:
            async with svc.db.session() as s:
                ev = await add_event(s, "cli", args.title, day, args.place, args.province, args.commune, args.group)
                print_result(args, {"event_id": ev.id}, f"Đã thêm hoạt động #{ev.id} “{ev.title}” ngày {day:%d/%m/%Y}.")
    except UserFacingError as exc:
        print(exc.text, file=sys.stderr)
        return 2
    return 0


async def cmd_event_list(args: argparse.Namespace, settings: Settings) -> int:
    from sqlmodel import col, select

    from bot.db.models_campaigns import WeekEvent

    async with open_services(settings) as svc:
        async with svc.db.session() as s:
            rows = (await s.exec(select(WeekEvent).order_by(col(WeekEvent.date)))).all()
    data = [{"id": e.id, "title": e.title, "date": e.date.isoformat(), "place": e.place,
             "province": e.province, "commune": e.commune, "group": e.group_name} for e in rows]  # fmt: skip
    print(
        json.dumps(data, ensure_ascii=False)
        if args.json
        else "\n".join(f"{d['date']} {d['title']}" for d in data)
    )
    return 0


async def cmd_week_set(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.context import UserFacingError
    from handlers.week.service import set_week, week_of_year

    try:
        start = dt.date.fromisoformat(args.start) if args.start else None
        end = dt.date.fromisoformat(args.end) if args.end else None
    except ValueError:
        print(f"Ngày không hợp lệ: {args.start!r} / {args.end!r} (ví dụ 2027-10-01)", file=sys.stderr)
        return 2
    try:
        async with open_services(settings) as svc:
            async with svc.db.session() as s:
                known = await week_of_year(s, svc.catalog.week, args.year)  # a date left out stays as it is
                start, end = start or known.start, end or known.end
                theme = known.theme if args.theme is None else args.theme
                row = await set_week(s, "cli", args.year, start, end, theme)
                out = {"year": row.year, "start": row.start.isoformat(), "end": row.end.isoformat(), "theme": row.theme}
    except UserFacingError as exc:
        print(exc.text, file=sys.stderr)
        return 2
    theme = f"chủ đề “{out['theme']}”" if out["theme"] else "chưa có chủ đề"
    print_result(args, out, f"Đã đặt Tuần lễ {args.year}: {start:%d/%m/%Y} → {end:%d/%m/%Y}, {theme}.")
    return 0


async def cmd_week_show(args: argparse.Namespace, settings: Settings) -> int:
    from handlers.week.service import merged, overrides

    async with open_services(settings) as svc:
        async with svc.db.session() as s:
            set_by_officer = {o.year: o for o in await overrides(s)}
    info = svc.catalog.week
    years = sorted({y.year for y in info.years} | set(set_by_officer))
    if args.year is not None:
        years = [args.year]
    data = []
    for year in years:
        w = merged(info, year, set_by_officer.get(year))
        data.append({"year": year, "start": w.start.isoformat(), "end": w.end.isoformat(), "theme": w.theme,
                     "set_by_officer": year in set_by_officer})  # fmt: skip
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        for d in data:
            mark = " (cán bộ đặt)" if d["set_by_officer"] else ""
            print(f"{d['year']}: {d['start']} → {d['end']}{mark} — {d['theme'] or 'chưa có chủ đề'}")
    return 0
