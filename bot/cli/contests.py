"""`hocbot contest add|list|results`: contests of the Week for an officer's unit, their leaderboard, the export
(CSV or XLSX, Vietnamese headers) and the winners' certificate codes."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from bot.cli.parser import print_result
from bot.settings import Settings


def register(sub: Any) -> None:
    con = sub.add_parser("contest", help="cuộc thi trong Tuần lễ học tập").add_subparsers(dest="c_cmd", required=True)
    add = con.add_parser("add", help="tạo cuộc thi (giờ mở và đóng nằm trong Tuần lễ)")
    add.add_argument("--title", required=True, help="tên cuộc thi")
    add.add_argument("--modules", default="", help="mô-đun lấy câu hỏi, cách nhau bằng dấu phẩy (ví dụ m1,m2)")
    add.add_argument("--questions", default="", help="hoặc mã câu hỏi trong nội dung, cách nhau bằng dấu phẩy")
    add.add_argument("--opens", required=True, help="giờ mở, giờ địa phương, ví dụ 2026-10-01T08:00")
    add.add_argument("--closes", required=True, help="giờ đóng, ví dụ 2026-10-07T20:00")
    add.add_argument("--seconds", type=int, default=30, help="số giây cho mỗi câu (5–600)")
    add.add_argument("--winners", type=int, default=3, help="số người đứng đầu nhận chứng nhận")
    add.add_argument("--province", help="tỉnh/thành (bỏ trống: đơn vị của cán bộ)")
    add.add_argument("--commune", help="xã/phường thuộc --province")
    add.add_argument("--officer", metavar="REF", help="tạo thay cán bộ này (mã số hoặc kênh:mã): theo phạm vi của họ")
    add.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho script)")
    add.set_defaults(func=cmd_contest_add)
    lst = con.add_parser("list", help="danh sách cuộc thi")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=cmd_contest_list)
    res = con.add_parser("results", help="bảng xếp hạng, người nhận chứng nhận; xuất CSV/XLSX")
    res.add_argument("contest_id", type=int)
    res.add_argument("--csv", metavar="FILE", help="ghi kết quả ra tệp CSV (mở được bằng Excel)")
    res.add_argument("--xlsx", metavar="FILE", help="ghi kết quả ra tệp Excel")
    res.add_argument("--json", action="store_true")
    res.set_defaults(func=cmd_contest_results)


async def _officer(s: Any, settings: Settings, ref: str | None) -> Any:
    from bot.web.dashboard.auth import officer_account
    from handlers.officers.scope import CLI_ADMIN, find_officer

    if not ref:
        return CLI_ADMIN
    account = await officer_account(s, settings, ref)
    return await find_officer(s, settings, account[0], account[1]) if account else None


async def cmd_contest_add(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import build_services
    from bot.cli.officers import province_name
    from handlers.contests import service
    from handlers.week.campaign_store import CampaignError, parse_local

    province = args.province
    if province:
        province = province_name(province)
        if province is None:
            print(f"Không tìm thấy tỉnh/thành “{args.province}”.", file=sys.stderr)
            return 2
    svc = await build_services(settings)
    error = ""
    try:
        async with svc.db.session() as s:  # a refusal is audited: the error is caught inside the unit of work
            officer = await _officer(s, settings, args.officer)
            if officer is None:
                print(f"Không có cán bộ “{args.officer}”.", file=sys.stderr)
                return 1
            try:
                ids = service.question_pool(svc.catalog, _split(args.modules), _split(args.questions))
                c = await service.create(
                    s, svc.catalog, officer, title=args.title, question_ids=ids,
                    opens=parse_local(args.opens, settings), closes=parse_local(args.closes, settings),
                    seconds=args.seconds, tz=settings.tz,
                    province=province, commune=args.commune, winners=args.winners,
                )
            except CampaignError as exc:
                error = str(exc)
            except service.ContestError as exc:
                error = exc.text
    finally:
        await svc.db.dispose()
    if error:
        print(error, file=sys.stderr)
        return 2
    place = service.place_text(c.province, c.commune)
    data = {"contest_id": c.id, "questions": len(ids), "province": c.province, "commune": c.commune}
    hours = f"{service.local_text(c.opens_at, settings.tz)} – {service.local_text(c.closes_at, settings.tz)}"
    print_result(args, data, f"Đã tạo cuộc thi #{c.id} “{c.title}” ({len(ids)} câu, {place}), mở {hours}.")
    return 0


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


async def cmd_contest_list(args: argparse.Namespace, settings: Settings) -> int:
    from sqlmodel import col, func, select

    from bot.cli.parser import session
    from bot.db.models_contests import Contest, ContestAttempt
    from handlers.contests import service

    async with session(settings) as s:
        contests = (await s.exec(select(Contest).order_by(col(Contest.opens_at)))).all()
        counts = dict((await s.exec(select(ContestAttempt.contest_id, func.count()).group_by(
            col(ContestAttempt.contest_id)))).all())  # fmt: skip
    tz = settings.tz
    rows: list[dict[str, Any]] = [
        {"id": c.id, "title": c.title, "province": c.province, "commune": c.commune,
         "opens": service.local_text(c.opens_at, tz), "closes": service.local_text(c.closes_at, tz),
         "questions": len(service.ids_of(c)), "seconds": c.seconds, "players": counts.get(c.id or 0, 0)}
        for c in contests
    ]  # fmt: skip
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        print("Chưa có cuộc thi nào.")
    for r in rows:
        place = service.place_text(r["province"], r["commune"])
        print(f"#{r['id']} {r['title']} — {place} — {r['opens']} đến {r['closes']} — {r['questions']} câu × "
              f"{r['seconds']} giây — {r['players']} người thi")
    return 0


async def cmd_contest_results(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.parser import session
    from bot.core.context import system_clock
    from bot.db.models_contests import Contest
    from bot.web.dashboard import exports
    from handlers.contests import board
    from handlers.contests import texts as t

    async with session(settings) as s:
        contest = await s.get(Contest, args.contest_id)
        if contest is None:
            print(f"Không có cuộc thi #{args.contest_id}.", file=sys.stderr)
            return 1
        rows = await board.export_rows(s, contest, settings.tz)
        won = await board.winners(s, contest, system_clock())
    if args.csv:
        body = exports.csv_chunk(rows, header=True, columns=t.EXPORT_HEADER)
        await asyncio.to_thread(Path(args.csv).write_bytes, body)
    if args.xlsx:
        sheet = f"Cuoc thi {contest.id}"
        body = await asyncio.to_thread(exports.to_xlsx, rows, sheet, t.EXPORT_HEADER, t.EXPORT_WIDTHS)
        await asyncio.to_thread(Path(args.xlsx).write_bytes, body)
    if args.json:
        out = [dict(zip(t.EXPORT_HEADER, r, strict=True)) for r in rows]
        print(json.dumps({"contest_id": contest.id, "rows": out, "winners": [w.attempt.user_id for w in won]},
                         ensure_ascii=False))  # fmt: skip
        return 0
    print(f"Cuộc thi #{contest.id} “{contest.title}” — {len(rows)} người thi xong")
    for r in rows[:20]:
        print(f"  {r[0]}. {r[1]} — {r[4]}/{r[5]} câu, {r[6]} giây")
    if won:
        print(f"Nhận chứng nhận: {len(won)} người đứng đầu (họ gõ /thi để tải).")
    for name in (args.csv, args.xlsx):
        if name:
            print(f"Đã ghi {len(rows)} dòng vào {name}.")
    return 0
