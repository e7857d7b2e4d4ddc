"""`hocbot officer login-link REF`: print a one-time dashboard login link (10 minutes, single use)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.settings import Settings, links_warning


def register_login_link(officer_sub: Any) -> None:
    """Added under `hocbot officer` (bot/cli/officers.py creates that parser)."""
    link = officer_sub.add_parser("login-link", help="in đường link đăng nhập bảng điều khiển (dùng một lần)")
    link.add_argument("ref", help="mã số cán bộ, hoặc kênh:mã người dùng (ví dụ telegram:12345)")
    link.set_defaults(func=cmd_login_link)


async def cmd_login_link(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.parser import session
    from bot.web.dashboard.auth import officer_account
    from handlers.officers.login import create_login_link

    async with session(settings) as s:
        account = await officer_account(s, settings, args.ref.strip())
        if account is None:
            print(f"Không có cán bộ {args.ref!r}. Xem danh sách: hocbot officer list", file=sys.stderr)
            return 1
        channel, external_id, officer_id = account
        url = await create_login_link(s, settings, channel, external_id, created_by="cli", officer_id=officer_id)
    warning = links_warning(settings)
    if warning:
        print(warning, file=sys.stderr)
    print(url)
    return 0
