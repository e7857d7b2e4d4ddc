"""`hocbot ask` (answer questions like the bot does) and `hocbot faq unanswered|resolve` (officers' list)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.settings import Settings


def register(sub: Any) -> None:
    ask = sub.add_parser("ask", help="trả lời câu hỏi; không có câu hỏi thì đọc từng dòng từ stdin")
    ask.add_argument("question", nargs="*", help="câu hỏi (có dấu hay không dấu)")
    ask.add_argument("--json", action="store_true", help="mỗi dòng một đối tượng JSON")
    ask.set_defaults(func=cmd_ask)
    faq = sub.add_parser("faq", help="hỏi đáp").add_subparsers(dest="faq_cmd", required=True)
    una = faq.add_parser("unanswered", help="các câu hỏi bot chưa trả lời được, hỏi nhiều nhất trước")
    una.add_argument("--json", action="store_true", help="mỗi dòng một đối tượng JSON")
    una.add_argument("--limit", type=int, default=200)
    una.add_argument("--officer", metavar="REF",
                     help="chỉ câu hỏi thuộc địa bàn của cán bộ này (mã cán bộ hoặc telegram:12345)")  # fmt: skip
    una.set_defaults(func=cmd_unanswered)
    res = faq.add_parser("resolve", help="đánh dấu một câu hỏi là đã trả lời")
    res.add_argument("id", type=int)
    res.set_defaults(func=cmd_resolve)


def _questions(args: argparse.Namespace) -> list[str]:
    if args.question:
        return [" ".join(args.question)]
    return [line.strip() for line in sys.stdin if line.strip()]


async def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """One answer per question, the same way the chat answers (no conversation state is stored): content
    and the officers' approved answers when the DB can be read (else content only)."""
    from content.catalog import load_catalog
    from content.search import SearchIndex
    from handlers.answers.service import build_service
    from handlers.answers.store import add_to_index, read_approved

    catalog = load_catalog()
    search = SearchIndex.from_catalog(catalog)
    for entry in await read_approved(settings.database_url) or []:
        add_to_index(catalog, search, entry)
    svc = build_service(settings, catalog, search)
    try:
        for question in _questions(args):
            result = await svc.answer(question)
            if args.json:
                data = result.to_json()
                data["question"] = question
                print(json.dumps(data, ensure_ascii=False), flush=True)
            else:
                print(f"❓ {question}\n{result.full_text}\n", flush=True)
    finally:
        await svc.aclose()
    return 0


async def cmd_unanswered(args: argparse.Namespace, settings: Settings) -> int:
    """Open unanswered questions with counts, most asked first. Read-only: nothing is closed here; a question stays
    open until an officer acts on it (an approved answer in the dashboard, or `hocbot faq resolve ID`). Questions
    the bot could not answer that an approved answer or the content now answers are left out of the list (not
    closed); a 👎 is always listed: the citizen rejected the answer the bot would give again."""
    from bot.app import open_services
    from bot.db.models_faq import open_unanswered
    from bot.redact import mask_pii
    from bot.web.dashboard.auth import officer_account
    from bot.web.dashboard.proposals import question_in_scope
    from handlers.answers.service import AnswerService
    from handlers.answers.store import answered_question_ids, load_approved
    from handlers.officers.scope import CLI_ADMIN, find_officer

    async with open_services(settings) as services:
        await load_approved(services)
        svc = AnswerService(services.catalog, services.search)
        async with services.db.read_session() as s:
            officer = CLI_ADMIN
            if args.officer:  # what that officer may see: the questions of their own units
                account = await officer_account(s, settings, args.officer)
                found = await find_officer(s, settings, account[0], account[1]) if account else None
                if found is None:
                    print(f"Không có cán bộ “{args.officer}”.", file=sys.stderr)
                    return 1
                officer = found
            linked = await answered_question_ids(s)
            rows = [r for r in await open_unanswered(s, max(1, args.limit)) if question_in_scope(officer, r)]
    def answered_now(r: Any) -> bool:  # at the asker's place: another commune's answer does not count
        return r.id in linked or svc.plan(r.question, place=(r.province, r.commune)).decision == "answer"

    covered = [r for r in rows if r.reason == "unknown" and answered_now(r)]
    still = [r for r in rows if r not in covered]
    for row in still:
        if args.json:
            print(json.dumps({
                "id": row.id, "question": mask_pii(row.question), "count": row.count, "reason": row.reason,
                "province": row.province, "commune": row.commune,
                "first_seen": row.first_seen.isoformat(), "last_seen": row.last_seen.isoformat(),
            }, ensure_ascii=False))
        else:
            why = f"  ({REASONS[row.reason]})" if row.reason in REASONS else ""
            print(f"#{row.id}  {row.count} lần  {mask_pii(row.question)}{why}")
    if not args.json:
        print(f"{len(still)} câu hỏi chưa có câu trả lời." + (
            f" {len(covered)} câu khác nay đã có câu trả lời (nội dung mới hoặc cán bộ đã trả lời)."
            if covered else ""))
        print("Trả lời trên trang quản lý (Câu hỏi), hoặc đánh dấu đã xử lý: hocbot faq resolve SỐ")
    return 0


REASONS = {"disliked": "người hỏi bấm 👎", "out_of_scope": "ngoài phạm vi"}


async def cmd_resolve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import open_services
    from bot.db.models_faq import UnansweredQuestion

    async with open_services(settings) as services:
        async with services.db.session() as s:
            row = await s.get(UnansweredQuestion, args.id)
            if row is None:
                print(f"Không có câu hỏi #{args.id}.", file=sys.stderr)
                return 1
            row.status = "answered"
            s.add(row)
    print(f"Đã đánh dấu câu hỏi #{args.id} là đã trả lời.")
    return 0
