"""`hocbot certificate verify CODE`: is this certificate genuine? (the same check as /verify/<code>)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.settings import Settings


def register(sub: Any) -> None:
    cert = sub.add_parser("certificate", help="chứng nhận Bình dân học AI").add_subparsers(
        dest="cert_cmd", required=True
    )
    verify = cert.add_parser("verify", help="kiểm tra một mã chứng nhận")
    verify.add_argument("code", help="mã in trên chứng nhận, ví dụ HB-ABCD-2345")
    verify.set_defaults(func=cmd_verify)


async def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    """Print “Hợp lệ” with the name and date (exit 0), or “Không hợp lệ” (exit 1)."""
    from bot.cli.parser import session
    from handlers.learning import certificate as certs

    async with session(settings) as s:
        cert = await certs.find_by_code(s, args.code)
    if cert is None:
        print(f"Không hợp lệ: không có chứng nhận mã {args.code.strip()}.")
        return 1
    print(f"Hợp lệ: {cert.name} — cấp ngày {certs.issued_on(cert, settings.tz)} — mã {cert.code}")
    return 0
