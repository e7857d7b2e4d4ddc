"""`hocbot officer|group|broadcast|stats|export`: officers and their scope, groups, broadcasts, numbers."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import secrets
import sys
from pathlib import Path
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cli.parser import print_result, session
from bot.core import payloads
from bot.core.places import covers
from bot.db import repo
from bot.db.models import Group, Membership, User
from bot.db.models_officers import Broadcast, Officer, OfficerScope
from bot.redact import mask_pii
from bot.settings import UNVERIFIED_CHANNELS, Settings
from bot.web.dashboard.exports import cell_text
from content.provinces import find_province
from handlers.officers import audience, outbox, reasons
from handlers.onboarding.communes import adopt_spelling, known_spelling, normalise_commune


def register(sub: Any) -> None:
    off = sub.add_parser("officer", help="cán bộ và phạm vi phụ trách").add_subparsers(dest="o_cmd", required=True)
    add = off.add_parser("add", help="thêm cán bộ (hoặc thêm phạm vi cho cán bộ đã có)")
    add.add_argument("account", help="kênh:mã người dùng, ví dụ telegram:12345")
    add.add_argument("--name", default="")
    add.add_argument("--admin", action="store_true", help="quản trị viên: mọi nhóm, gửi tới tất cả")
    add.add_argument("--province", action="append", default=[], help="tỉnh/thành (có thể lặp lại)")
    add.add_argument("--commune", action="append", default=[], help="xã/phường thuộc --province")
    add.add_argument("--group", action="append", default=[], help="tên nhóm (có thể lặp lại)")
    add.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho script)")
    add.set_defaults(func=cmd_officer_add)
    lst = off.add_parser("list", help="danh sách cán bộ")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=cmd_officer_list)
    rm = off.add_parser("remove", help="xóa cán bộ")
    rm.add_argument("account", help="mã số cán bộ hoặc kênh:mã người dùng")
    rm.set_defaults(func=cmd_officer_remove)
    from bot.cli.dashboard import register_login_link

    register_login_link(off)

    grp = sub.add_parser("group", help="nhóm người nhận tin").add_subparsers(dest="g_cmd", required=True)
    gadd = grp.add_parser("add", help="thêm nhóm; nhóm mã in ra đường link tham gia")
    gadd.add_argument("name")
    gadd.add_argument("--kind", choices=["locality", "code", "interest"], default="code")
    gadd.add_argument("--title", default="")
    gadd.add_argument("--province")
    gadd.add_argument("--commune")
    gadd.add_argument("--code", help="mã tham gia (mặc định: tự tạo)")
    gadd.set_defaults(func=cmd_group_add)
    glist = grp.add_parser("list", help="danh sách nhóm và số người nhận")
    glist.add_argument("--json", action="store_true")
    glist.set_defaults(func=cmd_group_list)

    bc = sub.add_parser("broadcast", help="gửi thông báo").add_subparsers(dest="b_cmd", required=True)
    send = bc.add_parser("send", help="xếp hàng một thông báo; `hocbot run` sẽ gửi")
    send.add_argument("--to", required=True, action="append",
                      help="all, số nhóm hoặc tên đúng của nhóm (xem: hocbot group list); lặp lại cho nhiều nhóm")
    send.add_argument("--text", required=True)
    send.add_argument("--photo", help="đường link ảnh")
    send.add_argument("--button", help="nút kèm theo: module:m1 | lesson:m1:0 | quiz:m1 | contest, hoặc NHÃN=module:m1")
    send.add_argument("--yes", action="store_true", help="không hỏi lại")
    send.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho script)")
    send.set_defaults(func=cmd_broadcast_send)
    st = bc.add_parser("status", help="số tin theo trạng thái")
    st.add_argument("id", type=int)
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_broadcast_status)
    cancel = bc.add_parser("cancel", help="hủy phần chưa gửi")
    cancel.add_argument("id", type=int)
    cancel.set_defaults(func=cmd_broadcast_cancel)

    stats = sub.add_parser("stats", help="số người nhận theo nhóm, thông báo gần đây")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=cmd_stats)
    exp = sub.add_parser("export", help="xuất CSV: người nhận tin hoặc kết quả gửi")
    exp.add_argument("what", metavar="loại", choices=["subscribers", "deliveries"],
                     help="subscribers: người nhận tin; deliveries: kết quả gửi")
    exp.add_argument("--broadcast", type=int, help="chỉ kết quả của thông báo này")
    exp.add_argument("--out", help="ghi ra tệp (mặc định: màn hình)")
    exp.set_defaults(func=cmd_export)


def fail(text: str) -> int:
    print(text, file=sys.stderr)
    return 1


def province_name(text: str) -> str | None:
    match = find_province(text)
    return match.province.name if match else None


async def ensure_locality(s: AsyncSession, province: str, commune: str | None) -> None:
    """A locality group for each unit an officer gets, so the unit can be addressed at once."""
    name = f"{commune}, {province}" if commune else province
    if (await s.exec(select(Group).where(Group.name == name))).first() is None:
        s.add(Group(name=name, title=name, kind="locality", province=province, commune=commune))
        if commune:
            await adopt_spelling(s, province, commune)


async def cmd_officer_add(args: argparse.Namespace, settings: Settings) -> int:
    channel, sep, external = args.account.partition(":")
    if not sep or not external:
        return fail("Tài khoản phải có dạng kênh:mã, ví dụ telegram:12345")
    if channel in UNVERIFIED_CHANNELS:
        return fail("Tài khoản web chat không thể là cán bộ: mã phiên do trình duyệt tự chọn. Dùng Telegram hoặc Zalo.")
    scopes: list[tuple[str, str]] = []
    provinces = [province_name(p) for p in args.province]
    if None in provinces:
        return fail(f"Không biết tỉnh/thành: {args.province[provinces.index(None)]}")
    if args.commune and len(provinces) != 1:
        return fail("--commune cần đúng một --province")
    async with session(settings) as s:
        for g in args.group:
            if (await s.exec(select(Group).where(Group.name == g))).first() is None:
                return fail(f"Không có nhóm “{g}”. Tạo trước bằng: hocbot group add")
            scopes.append(("group", g))
        for c in args.commune:
            commune = await known_spelling(s, provinces[0], normalise_commune(c))  # “gia vien”: Gia Viễn
            scopes.append(("commune", f"{commune}|{provinces[0]}"))
            await ensure_locality(s, str(provinces[0]), commune)
        if not args.commune:
            for p in provinces:
                scopes.append(("province", str(p)))
                await ensure_locality(s, str(p), None)
        off = (await s.exec(select(Officer).where(Officer.channel == channel, Officer.external_id == external))).first()
        if off is None:
            ident = await repo.find_identity(s, channel, external)
            off = Officer(channel=channel, external_id=external, user_id=ident.user_id if ident else None)
        off.role = "admin" if args.admin else off.role
        off.name = args.name or off.name
        s.add(off)
        await s.flush()
        assert off.id is not None
        have = {
            (sc.kind, sc.value)
            for sc in (await s.exec(select(OfficerScope).where(OfficerScope.officer_id == off.id))).all()
        }
        for kind, value in scopes:
            if (kind, value) not in have:
                s.add(OfficerScope(officer_id=off.id, kind=kind, value=value))
        await repo.audit(s, "cli", "officer.add", {"officer": args.account, "admin": args.admin, "scopes": scopes})
        data = {"officer_id": off.id, "role": off.role, "scopes": [list(x) for x in scopes]}
        sentence = officer_added(off, args.account, scopes)
    print(json.dumps(data, ensure_ascii=False) if args.json else sentence)
    return 0


SCOPE_WORDS = {"province": "tỉnh/thành", "commune": "xã/phường", "group": "nhóm"}


def officer_added(off: Officer, account: str, scopes: list[tuple[str, str]]) -> str:
    """“Đã thêm cán bộ #3 Nguyễn Văn Cán (telegram:111), phụ trách xã/phường Gia Viễn, Ninh Bình.”"""
    who = f"#{off.id} {off.name} ({account})" if off.name else f"#{off.id} ({account})"
    units = "; ".join(f"{SCOPE_WORDS.get(k, k)} {v.replace('|', ', ')}" for k, v in scopes)
    if off.role == "admin":
        units = "mọi nhóm (quản trị viên)" + (f"; {units}" if units else "")
    return (f"Đã thêm cán bộ {who}, phụ trách {units or 'chưa có địa bàn nào'}. "
            f"Gửi đường link đăng nhập trang quản lý: hocbot officer login-link {off.id}")


async def cmd_officer_list(args: argparse.Namespace, settings: Settings) -> int:
    async with session(settings) as s:
        officers = (await s.exec(select(Officer).order_by(col(Officer.id)))).all()
        out: list[dict[str, Any]] = []
        for o in officers:
            scopes = (await s.exec(select(OfficerScope).where(OfficerScope.officer_id == o.id))).all()
            out.append(
                {
                    "id": o.id,
                    "account": f"{o.channel}:{o.external_id}",
                    "name": o.name,
                    "role": o.role,
                    "scopes": [[sc.kind, sc.value] for sc in scopes],
                }
            )
    for key in sorted(settings.admin_keys):
        out.append({"id": None, "account": ":".join(key), "name": "HOCBOT_ADMINS", "role": "admin", "scopes": []})
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return 0
    for row in out:
        scope = "; ".join(f"{k}={v.replace('|', ', ')}" for k, v in row["scopes"]) or (
            "mọi nhóm" if row["role"] == "admin" else "—"
        )
        print(f"{row['id'] or '-'}\t{row['account']}\t{row['role']}\t{row['name']}\t{scope}")
    return 0


async def cmd_officer_remove(args: argparse.Namespace, settings: Settings) -> int:
    async with session(settings) as s:
        if args.account.isdigit():
            off = await s.get(Officer, int(args.account))
        else:
            channel, _, external = args.account.partition(":")
            off = (
                await s.exec(select(Officer).where(Officer.channel == channel, Officer.external_id == external))
            ).first()
        if off is None:
            return fail("Không tìm thấy cán bộ này.")
        for sc in (await s.exec(select(OfficerScope).where(OfficerScope.officer_id == off.id))).all():
            await s.delete(sc)
        await s.flush()
        await s.delete(off)
        await repo.audit(s, "cli", "officer.remove", {"officer": args.account})
    print("Đã xóa cán bộ.")
    return 0


async def bot_username(settings: Settings) -> str | None:
    if settings.telegram_bot_token is None:
        return None
    import aiohttp

    url = f"{settings.telegram_api_base_url}{settings.telegram_bot_token.get_secret_value()}/getMe"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3)) as http:
            async with http.get(url) as resp:
                data = await resp.json()
        return str(data["result"]["username"]) if data.get("ok") else None
    except Exception:
        return None


async def cmd_group_add(args: argparse.Namespace, settings: Settings) -> int:
    province = province_name(args.province) if args.province else None
    if args.province and province is None:
        return fail(f"Không biết tỉnh/thành: {args.province}")
    if args.kind == "locality" and province is None:
        return fail("Nhóm theo địa bàn cần --province")
    commune = normalise_commune(args.commune) if args.commune else None
    code = args.code or (secrets.token_hex(4) if args.kind == "code" else None)
    async with session(settings) as s:
        if (await s.exec(select(Group).where(Group.name == args.name))).first() is not None:
            return fail(f"Đã có nhóm “{args.name}”.")
        if commune and province:
            commune = await known_spelling(s, province, commune)
        g = Group(
            name=args.name,
            title=args.title or args.name,
            kind=args.kind,
            province=province,
            commune=commune,
            join_code=code,
        )
        s.add(g)
        await s.flush()
        if args.kind == "locality" and province and commune:
            await adopt_spelling(s, province, commune)
        await repo.audit(s, "cli", "group.add", {"group": args.name, "kind": args.kind})
        gid = g.id
    print(f"Đã tạo nhóm #{gid} “{args.name}” ({kind_word(args.kind)}).")
    if code:
        username = await bot_username(settings)
        print(f"https://t.me/{username}?start={code}" if username else f"Mã tham gia: {code} (gõ /start {code})")
    return 0


async def group_rows(s: AsyncSession) -> list[dict[str, Any]]:
    rows = []
    groups = list((await s.exec(select(Group).order_by(col(Group.name)))).all())
    counts = await audience.count_per_group(s, groups)
    for g in groups:
        assert g.id is not None
        rows.append(
            {
                "id": g.id,
                "name": g.name,
                "title": g.title or g.name,  # what the dashboard and the CSV export call it
                "kind": g.kind,
                "province": g.province,
                "commune": g.commune,
                "code": g.join_code,
                "subscribers": counts[g.id],
            }
        )
    return rows


GROUP_KIND_WORDS = {"locality": "địa bàn", "code": "mã tham gia", "interest": "quan tâm"}  # the dashboard's tags


def kind_word(kind: str) -> str:
    """The group kind as the dashboard names it (the English id stays in --kind and --json)."""
    return GROUP_KIND_WORDS.get(kind, kind)


def shown_name(row: dict[str, Any]) -> str:
    """The group's name as `--to` takes it, and its title (the dashboard's and the export's word) when it differs."""
    return row["name"] if row["title"] == row["name"] else f"{row['name']} ({row['title']})"


async def cmd_group_list(args: argparse.Namespace, settings: Settings) -> int:
    async with session(settings) as s:
        rows = await group_rows(s)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for r in rows:
        place = ", ".join(p for p in (r["commune"], r["province"]) if p)
        kind = kind_word(r["kind"])
        print(f"{r['id']}\t{shown_name(r)}\t{kind}\t{place}\t{r['code'] or ''}\t{r['subscribers']} người")
    return 0


def cli_button(value: str | None) -> tuple[str | None, str | None]:
    """`--button`: a button spec (payloads.from_spec: module:m1, or “ls|m1|0” as it took before), optionally after
    “NHÃN=”. ValueError for anything else."""
    label, sep, spec = (value or "").partition("=")
    if not sep:
        label, spec = "", label
    if sep and not label.strip():
        raise ValueError(value)
    return payloads.button_of(spec.strip(), label.strip() or None) if spec.strip() else (None, None)


async def cmd_broadcast_send(args: argparse.Namespace, settings: Settings) -> int:
    try:
        label, data = cli_button(args.button)
    except ValueError:
        return fail("--button phải có dạng module:m1, lesson:m1:0, quiz:m1 hoặc contest"
                    " (có thể thêm nhãn: NHÃN=module:m1)")
    async with session(settings) as s:
        try:
            targets = await audience.parse_targets(s, args.to)
        except audience.TargetError as exc:
            return fail(str(exc))
        recipients = await outbox.select_recipients(s, targets)  # one per person: len() == count_people()
        if not recipients:
            return fail(audience.NOBODY)
        if not args.yes:
            print(f"Sẽ gửi tới {len(recipients)} người:\n---\n{args.text}\n---", file=sys.stderr)
            answer = await asyncio.to_thread(input, "Gửi? [y/N] ") if sys.stdin.isatty() else ""
            if answer.strip().lower() not in ("y", "yes", "c", "có"):
                return fail("Đã hủy, chưa gửi gì.")
        b = await outbox.create_broadcast(
            s,
            text=args.text,
            created_by="cli",
            group_ids=targets,
            photo=args.photo,
            button_label=label,
            button_data=data,
        )
        assert b.id is not None
        n = await outbox.enqueue_broadcast(s, broadcast_id=b.id, recipients=recipients)
        await repo.audit(s, "cli", "broadcast.send", {"broadcast_id": b.id, "to": args.to, "recipients": n})
        bid = b.id
    sentence = (f"Đã xếp hàng thông báo #{bid} cho {n} người nhận; `hocbot run` sẽ gửi. "
                f"Xem kết quả: hocbot broadcast status {bid}")
    print_result(args, {"broadcast_id": bid, "recipients": n}, sentence)
    return 0


async def cmd_broadcast_status(args: argparse.Namespace, settings: Settings) -> int:
    async with session(settings) as s:
        b = await s.get(Broadcast, args.id)
        if b is None:
            return fail(f"Không có thông báo #{args.id}.")
        counts = await outbox.broadcast_counts(s, args.id)
        errors = await outbox.failure_reasons(s, args.id)
    data = {
        "broadcast_id": b.id,
        "status": b.status,
        "recipients": b.recipients,
        **counts,
        "errors": dict(errors),
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(f"Thông báo #{b.id} ({b.status}): {b.recipients} người nhận")
        print("  " + " · ".join(f"{reasons.STATE_LABELS.get(k, k)}: {v}" for k, v in counts.items()))
        for reason, n in errors:
            print(f"  lỗi “{reason}”: {n}")
    return 0


async def cmd_broadcast_cancel(args: argparse.Namespace, settings: Settings) -> int:
    async with session(settings) as s:
        if await s.get(Broadcast, args.id) is None:
            return fail(f"Không có thông báo #{args.id}.")
        n = await outbox.cancel_broadcast(s, args.id)
        await repo.audit(s, "cli", "broadcast.cancel", {"broadcast_id": args.id, "unsent": n})
    print(f"Đã hủy thông báo #{args.id}: {n} tin chưa gửi sẽ không gửi nữa.")
    return 0


async def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    async with session(settings) as s:
        groups = await group_rows(s)
        total = await audience.count_people(s, "all")
        # people who agreed and did not delete their data: a visitor who only opened the chat is no user yet
        users = (await s.exec(select(func.count()).select_from(User).where(
            col(User.deleted_at).is_(None), col(User.consent_at).is_not(None)))).one()
        recent: list[dict[str, Any]] = []
        for b in (await s.exec(select(Broadcast).order_by(col(Broadcast.id).desc()).limit(10))).all():
            assert b.id is not None
            recent.append(
                {
                    "id": b.id,
                    "status": b.status,
                    "kind": b.kind,
                    "recipients": b.recipients,
                    **await outbox.broadcast_counts(s, b.id),
                }
            )
    data = {"users": int(users), "subscribers": total, "groups": groups, "broadcasts": recent}
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(f"Người dùng (đã đồng ý): {users} · đang nhận tin: {total}")
    for g in groups:
        print(f"  {shown_name(g)} ({kind_word(g['kind'])}): {g['subscribers']}")
    for r in recent:
        print(f"  #{r['id']} {r['status']}: gửi {r['sent']}/{r['recipients']}, lỗi {r['failed']}, chặn {r['blocked']}")
    return 0


class _TextWriter:
    """csv.writer whose every cell goes through the dashboard's cell_text (no formula can sneak in)."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: list[Any]) -> None:
        self._writer.writerow([cell_text(v) for v in row])

    def writerows(self, rows: Any) -> None:
        for row in rows:
            self.writerow(list(row))


SUBSCRIBER_HEADER = ["Mã người nhận", "Tên", "Tỉnh/thành", "Xã/phường", "Kênh nhận tin", "Nhóm", "Đăng ký lúc"]


def groups_of(u: User, groups: list[Group], members: dict[int, list[str]]) -> list[str]:
    """Every group a broadcast reaches this person through: locality groups by place, others by membership
    (the same rule as handlers.officers.audience.groups_condition)."""
    names = []
    for g in groups:
        if g.kind == "locality" and g.province and covers(g.province, g.commune, u.province, u.commune):
            names.append(g.title or g.name)
    return names + members.get(u.id or 0, [])


def local_time(t: Any, settings: Settings) -> str:
    return t.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M") if t else ""


async def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """CSV with Vietnamese headers and local times (HOCBOT_TIMEZONE), as the dashboard's report downloads."""
    from bot.web.dashboard import exports

    out = io.StringIO()
    writer = _TextWriter(out)
    async with session(settings) as s:
        if args.what == "deliveries":
            writer.writerow(["Mã thông báo", *exports.HEADER])
            bids = [args.broadcast] if args.broadcast else list(
                (await s.exec(select(Broadcast.id).order_by(col(Broadcast.id)))).all())
            for bid in bids:
                assert bid is not None
                writer.writerows([bid, *row] for row in await exports.delivery_rows(s, bid, settings.tz))
        else:
            writer.writerow(SUBSCRIBER_HEADER)
            groups = list((await s.exec(select(Group).order_by(col(Group.name)))).all())
            members: dict[int, list[str]] = {}
            joined = select(Membership.user_id, Group.title, Group.name).join(
                Group, col(Group.id) == col(Membership.group_id))
            for uid, title, gname in (await s.exec(joined)).all():
                members.setdefault(int(uid), []).append(str(title or gname))
            channel = {u: c for u, c, _ in await outbox.select_recipients(s, "all")}
            users = (await s.exec(select(User).where(audience.recipient_filter()).order_by(col(User.id)))).all()
            for u in users:
                assert u.id is not None
                writer.writerow([u.id, mask_pii(u.display_name), u.province or "", u.commune or "",
                                 channel.get(u.id, ""), "; ".join(groups_of(u, groups, members)),
                                 local_time(u.consent_at, settings)])  # fmt: skip
    if args.out:
        await asyncio.to_thread(Path(args.out).write_text, out.getvalue(), "utf-8-sig")  # opens in Excel
    else:
        sys.stdout.write(out.getvalue())
    return 0
