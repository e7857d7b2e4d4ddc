"""Questions: what citizens asked that the bot could not answer, grouped; officers propose an answer, an
admin approves it and it becomes a FAQ entry the bot answers with at once (bot/web/dashboard/proposals.py)."""

from __future__ import annotations

from aiohttp import web
from sqlmodel import col, select

from bot.core.context import Services
from bot.db.models_dashboard import FaqProposal
from bot.db.models_officers import Officer
from bot.web.dashboard import proposals
from bot.web.dashboard.auth import Dash
from bot.web.dashboard.common import Route, audit, field, match_int, see_other
from bot.web.dashboard.render import not_found, refuse, render
from handlers.answers.store import proposal_scope, scope_label

STATUS_LABELS = {"pending": "Chờ duyệt", "approved": "Đã duyệt", "rejected": "Không duyệt"}
PROPOSAL_LIMIT = 100
SHOWN = 40  # groups of questions on the page, most asked first


def routes(services: Services) -> list[Route]:
    async def page(dash: Dash, errors: list[str] | None = None, status: int = 200,
                   values: dict[str, str] | None = None) -> web.Response:  # fmt: skip
        async with services.db.session() as s:
            clusters, hidden = await proposals.open_clusters(s, dash.officer)
            stmt = select(FaqProposal).order_by(col(FaqProposal.status) != "pending", col(FaqProposal.id).desc())
            if not dash.officer.is_admin:  # an officer follows their own proposals; admins decide on all
                stmt = stmt.where(col(FaqProposal.proposed_by) == dash.officer.actor)
            rows = (await s.exec(stmt.limit(PROPOSAL_LIMIT))).all()
            officers = (await s.exec(select(Officer).where(col(Officer.name) != ""))).all()
        names = {f"{o.channel}:{o.external_id}": o.name for o in officers}  # “Chị Lan”, not “telegram:111”
        return render(
            "questions.html", dash=dash, active="questions", status=status, clusters=clusters[:SHOWN],
            more=max(0, len(clusters) - SHOWN), hidden=hidden, proposals=rows, labels=STATUS_LABELS,
            errors=errors or [], v=values or {}, scope_of=lambda p: scope_label(proposal_scope(p)),
            writer=lambda p: names.get(p.proposed_by, p.proposed_by),
        )

    async def list_page(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await page(dash)

    async def propose(request: web.Request, dash: Dash) -> web.StreamResponse:
        form = await request.post()
        question, answer = field(form, "question", 1000), field(form, "answer", 5000)
        errors = proposals.check_texts(question, answer)
        if errors:
            return await page(dash, errors, 400, {"question": question, "answer": answer})
        async with services.db.session() as s:
            raw = ",".join(v for v in form.getall("ids", []) if isinstance(v, str))[:4000]
            p = await proposals.propose(s, question, answer, proposals.parse_ids(raw), dash.officer)
            await audit(s, dash, "dashboard.faq.propose", {"proposal_id": p.id, "question": question[:120]})
        raise see_other("/dashboard/questions")

    async def decide(request: web.Request, dash: Dash, approve: bool) -> web.StreamResponse:
        action = "dashboard.faq.approve" if approve else "dashboard.faq.reject"
        async with services.db.session() as s:
            p = await s.get(FaqProposal, match_int(request))
            if p is None:
                return not_found(dash)
            if not dash.officer.is_admin:
                return await refuse(s, dash, action, {"proposal_id": p.id})
            if p.status != "pending":
                raise see_other("/dashboard/questions")
            if approve:
                scope = field(await request.post(), "scope", 16)
                try:
                    entry = await proposals.approve(s, services, p, dash.officer.actor, services.now(),
                                                    scope if scope in proposals.SCOPE_CHOICES else "unit")
                except ValueError:
                    return render("message.html", dash=dash, active="questions", status=400,
                                  title="Chưa duyệt được", back="/dashboard/questions",
                                  message="Câu hỏi hoặc câu trả lời không hợp lệ. Hãy sửa rồi đề xuất lại.")
                detail = {"proposal_id": p.id, "faq_id": entry.id, "scope": scope_label(proposal_scope(p))}
            else:
                p.status, p.decided_by, p.decided_at = "rejected", dash.officer.actor, services.now()
                s.add(p)
                detail = {"proposal_id": p.id}
            await audit(s, dash, action, detail)
        raise see_other("/dashboard/questions")

    async def approve(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await decide(request, dash, True)

    async def reject(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await decide(request, dash, False)

    return [
        ("GET", "/dashboard/questions", list_page),
        ("POST", "/dashboard/questions/propose", propose),
        ("POST", "/dashboard/questions/proposals/{id}/approve", approve),
        ("POST", "/dashboard/questions/proposals/{id}/reject", reject),
    ]
