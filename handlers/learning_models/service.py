"""Platform-free service of the learning models: it owns every query on the learning_units tables.

Criteria come from content/data/learning_models.yaml (`content.schema.LearningModels`): the set in force for
the unit's year and province. Evidence per criterion: a self-declared answer, the officer's decision, or what
the bot measured (modules finished, by the learner or by the unit's members — handlers/learning/service.py)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, delete, func, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.places import same_commune
from bot.db import repo
from bot.db.models_learning_models import (
    CONFIRMED,
    RECOGNISED,
    REGISTERED,
    RETURNED,
    SUBMITTED,
    LearningAssessmentDate,
    LearningUnit,
    LearningUnitAnswer,
    LearningUnitMember,
)
from content.schema import Criterion, LearningModel, LearningModels
from handlers.learning import service as learning
from handlers.learning_models import rates
from handlers.officers import audience, outbox
from handlers.officers.scope import OfficerInfo, place_condition, place_in_scope

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by older people
CODE_LEN = 6
NAME_MAX = 120
REASON_MAX = 500
ASSESSED = (CONFIRMED, RECOGNISED)  # the commune has checked it
DECIDABLE = {"confirm": (SUBMITTED,), "return": (SUBMITTED, CONFIRMED), "recognise": (CONFIRMED,)}


def models_of(catalog: Any) -> LearningModels | None:
    return getattr(catalog, "learning_models", None)


def model_of(catalog: Any, unit: LearningUnit) -> LearningModel | None:
    lm = models_of(catalog)
    return lm.model(unit.model, unit.year, unit.province) if lm else None


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LEN))


def normal_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())[: CODE_LEN + 4]


# -- citizens ---------------------------------------------------------------------------------------------


async def my_units(s: AsyncSession, user_id: int, year: int) -> list[LearningUnit]:
    """The units of `year` the person registered or joined, oldest first."""
    joined = select(LearningUnitMember.unit_id).where(LearningUnitMember.user_id == user_id)
    stmt = select(LearningUnit).where(
        LearningUnit.year == year,
        (col(LearningUnit.owner_user_id) == user_id) | col(LearningUnit.id).in_(joined),
    ).order_by(col(LearningUnit.id))
    return list((await s.exec(stmt)).all())


async def register(
    s: AsyncSession, *, owner_id: int, model: LearningModel, year: int, name: str, province: str | None,
    commune: str | None,
) -> LearningUnit:
    """A new unit with its owner as first member; a personal model has no invite code."""
    code = None
    if not model.personal:
        code = new_code()
        while (await s.exec(select(LearningUnit.id).where(LearningUnit.invite_code == code))).first():
            code = new_code()
    unit = LearningUnit(model=model.id, year=year, name=name[:NAME_MAX], province=province, commune=commune,
                        owner_user_id=owner_id, invite_code=code)  # fmt: skip
    s.add(unit)
    await s.flush()
    assert unit.id is not None
    s.add(LearningUnitMember(unit_id=unit.id, user_id=owner_id))
    await repo.audit(s, f"user:{owner_id}", "mohinh.register", {"unit": unit.id, "model": model.id, "year": year})
    return unit


async def personal_unit(s: AsyncSession, user: Any, model: LearningModel, year: int) -> LearningUnit:
    """The learner's own “Công dân học tập” of the year, made on first use."""
    for unit in await my_units(s, user.id, year):
        if unit.model == model.id and unit.owner_user_id == user.id:
            return unit
    name = user.display_name or "Công dân"
    return await register(s, owner_id=user.id, model=model, year=year, name=name, province=user.province,
                          commune=user.commune)  # fmt: skip


async def join(s: AsyncSession, user_id: int, code: str) -> tuple[LearningUnit | None, bool]:
    """(unit, newly joined) for an invite code; (None, False) for an unknown one."""
    unit = (await s.exec(select(LearningUnit).where(LearningUnit.invite_code == normal_code(code)))).first()
    if unit is None or unit.id is None:
        return None, False
    found = (await s.exec(select(LearningUnitMember).where(
        LearningUnitMember.unit_id == unit.id, LearningUnitMember.user_id == user_id))).first()  # fmt: skip
    if found is not None:
        return unit, False
    s.add(LearningUnitMember(unit_id=unit.id, user_id=user_id))
    await repo.audit(s, f"user:{user_id}", "mohinh.join", {"unit": unit.id})
    return unit, True


async def is_member(s: AsyncSession, unit: LearningUnit, user_id: int) -> bool:
    stmt = select(LearningUnitMember.id).where(LearningUnitMember.unit_id == unit.id,
                                               LearningUnitMember.user_id == user_id)  # fmt: skip
    return (await s.exec(stmt)).first() is not None


async def member_ids(s: AsyncSession, unit_id: int) -> list[int]:
    stmt = select(LearningUnitMember.user_id).where(LearningUnitMember.unit_id == unit_id)
    return list((await s.exec(stmt)).all())


async def answer(s: AsyncSession, unit: LearningUnit, criterion: str, met: bool, user_id: int,
                 now: dt.datetime) -> None:  # fmt: skip
    row = (await s.exec(select(LearningUnitAnswer).where(
        LearningUnitAnswer.unit_id == unit.id, LearningUnitAnswer.criterion == criterion))).first()  # fmt: skip
    if row is None:
        assert unit.id is not None
        row = LearningUnitAnswer(unit_id=unit.id, criterion=criterion, met=met)
    row.met, row.answered_by, row.answered_at = met, user_id, now
    s.add(row)


async def answers(s: AsyncSession, unit_id: int) -> dict[str, bool]:
    rows = (await s.exec(select(LearningUnitAnswer).where(LearningUnitAnswer.unit_id == unit_id))).all()
    return {r.criterion: r.met for r in rows}


@dataclass
class Evidence:
    """One criterion of a unit: met (True/False) or not known yet (None), and what shows it."""

    criterion: Criterion
    met: bool | None
    detail: str = ""


@dataclass
class Assessment:
    unit: LearningUnit
    model: LearningModel
    items: list[Evidence] = field(default_factory=list)
    members: int = 0

    @property
    def missing(self) -> list[Evidence]:
        return [e for e in self.items if e.met is not True]

    @property
    def unanswered(self) -> list[Criterion]:
        return [e.criterion for e in self.items if e.criterion.evidence == "self" and e.met is None]


async def assess(s: AsyncSession, catalog: Any, unit: LearningUnit, model: LearningModel) -> Assessment:
    """Every criterion with its evidence: answers, the officer's decision, and the bot's measures."""
    assert unit.id is not None
    given = await answers(s, unit.id)
    members = await member_ids(s, unit.id)
    learners: int | None = None
    out = Assessment(unit, model, members=len(members))
    for c in model.criteria:
        if c.evidence == "self":
            out.items.append(Evidence(c, given.get(c.id)))
        elif c.evidence == "officer":
            out.items.append(Evidence(c, True if unit.status in ASSESSED else None))
        elif c.measure == "modules_done":
            done = len(await learning.done_modules(s, unit.owner_user_id))
            out.items.append(Evidence(c, done >= c.min, f"{done}/{c.min}"))
        elif c.measure == "course_complete":
            status = await learning.course_status(s, catalog, unit.owner_user_id)
            out.items.append(Evidence(c, status.complete, f"{len(status.done)}/{len(catalog.modules)}"))
        else:  # members_learning
            if learners is None:
                learners = sum([1 for uid in members if await learning.done_modules(s, uid)])
            out.items.append(Evidence(c, learners >= c.min, f"{learners}/{c.min}"))
    return out


async def submit(s: AsyncSession, unit: LearningUnit, user_id: int, now: dt.datetime) -> None:
    unit.status, unit.submitted_at, unit.return_reason = SUBMITTED, now, None
    s.add(unit)
    await repo.audit(s, f"user:{user_id}", "mohinh.submit", {"unit": unit.id})


# -- officers ---------------------------------------------------------------------------------------------


async def units_in_scope(
    s: AsyncSession, officer: OfficerInfo, year: int, statuses: tuple[str, ...] = (), limit: int = 50
) -> list[LearningUnit]:
    stmt = select(LearningUnit).where(LearningUnit.year == year)
    cond = place_condition(officer, col(LearningUnit.province), col(LearningUnit.commune))
    if cond is not None:
        stmt = stmt.where(cond)
    if statuses:
        stmt = stmt.where(col(LearningUnit.status).in_(statuses))
    return list((await s.exec(stmt.order_by(col(LearningUnit.id)).limit(limit))).all())


async def unit_for_officer(s: AsyncSession, officer: OfficerInfo, unit_id: int | None, action: str) -> LearningUnit:
    """The unit if it is in the officer's scope; otherwise the refusal is audited and ScopeError raised."""
    from handlers.officers.scope import refuse

    unit = await s.get(LearningUnit, unit_id) if unit_id is not None else None
    if unit is None or not place_in_scope(officer, unit.province, unit.commune):
        await refuse(s, officer, action, {"unit": unit_id})
    assert unit is not None
    return unit


async def decide(
    s: AsyncSession, officer: OfficerInfo, unit: LearningUnit, action: str, now: dt.datetime, reason: str = "",
    *, catalog: Any = None, actor: str | None = None,
) -> bool:
    """confirm | return (with a reason) | recognise, from chat or the dashboard: False when the unit is not in a
    state for it. Audited (as `actor`, default the officer's chat account), and the registrant is told through
    the outbox (the caller wakes the pacer after its commit)."""
    if unit.status not in DECIDABLE.get(action, ()):
        return False
    unit.status = {"confirm": CONFIRMED, "return": RETURNED, "recognise": RECOGNISED}[action]
    unit.decided_at, unit.decided_by = now, officer.actor
    if action == "return":
        unit.return_reason = reason[:REASON_MAX]
    if action == "recognise":
        unit.recognised_at = now
        unit.cert_code = await _new_cert_code(s)
    s.add(unit)
    await repo.audit(s, actor or officer.actor, f"mohinh.{action}", {"unit": unit.id, "reason": reason} if reason
                     else {"unit": unit.id})  # fmt: skip
    from bot.core.payloads import ViewUnit
    from handlers.learning_models import texts as t

    m = model_of(catalog, unit)
    tell = {"confirm": t.TELL_CONFIRM, "return": t.TELL_RETURN, "recognise": t.TELL_RECOGNISE}[action]
    text = tell.format(name=unit.name, model=m.name if m else unit.model, year=unit.year, reason=reason)
    await notify_unit(s, unit, text, (t.BTN_SEE, ViewUnit(unit.id or 0).pack()))
    return True


CERT_PREFIX = "MH"


async def _new_cert_code(s: AsyncSession) -> str:
    while True:
        raw = new_code() + new_code()[:2]
        code = f"{CERT_PREFIX}-{raw[:4]}-{raw[4:8]}"
        if (await s.exec(select(LearningUnit.id).where(LearningUnit.cert_code == code))).first() is None:
            return code


async def unit_by_cert_code(s: AsyncSession, code: str) -> LearningUnit | None:
    """The recognised unit a certificate code (typed in any case, with or without dashes) belongs to."""
    raw = normal_code(code)
    if not raw.startswith(CERT_PREFIX) or len(raw) != len(CERT_PREFIX) + 8:
        return None
    full = f"{CERT_PREFIX}-{raw[2:6]}-{raw[6:]}"
    return (await s.exec(select(LearningUnit).where(LearningUnit.cert_code == full))).first()


def certificate_pdf(catalog: Any, unit: LearningUnit, url: str, tz: Any) -> bytes:
    """The recognised unit's certificate (the course certificate's page, handlers/learning/certificate.py),
    QR to /verify."""
    from handlers.learning import certificate as certs
    from handlers.learning_models import texts as t

    m = model_of(catalog, unit)
    title = m.name if m else unit.model
    assert unit.recognised_at is not None and unit.cert_code is not None
    body = t.CERT_BODY.format(model=title, year=unit.year, place=", ".join(
        p for p in (unit.commune, unit.province) if p))  # fmt: skip
    return certs.render(title=f"{title} {unit.year} — {unit.name}", lead=t.CERT_LEAD, name=unit.name, body=body,
                        issued=unit.recognised_at.astimezone(tz).strftime("%d/%m/%Y"), code=unit.cert_code,
                        url=url)  # fmt: skip


async def notify_unit(s: AsyncSession, unit: LearningUnit, text: str, button: tuple[str, str] | None = None) -> int:
    """Tell the unit's owner through the outbox (the pacer sends it like any message; quiet hours apply)."""
    reach = await audience.reachable_identities(s, [unit.owner_user_id])
    if not reach:
        return 0
    b = await outbox.create_broadcast(
        s, text=text, created_by="mohinh", group_ids=[], kind="campaign",
        button_label=button[0] if button else None, button_data=button[1] if button else None,
    )
    assert b.id is not None
    return await outbox.enqueue_broadcast(s, broadcast_id=b.id, recipients=list(reach.values()))


# -- the commune's assessment date ------------------------------------------------------------------------

REMIND_DAYS = 7  # units not yet sent are reminded this many days before the commune assesses


async def set_assessment_day(s: AsyncSession, officer: OfficerInfo, province: str, commune: str, year: int,
                             day: dt.date) -> None:  # fmt: skip
    """The day the commune assesses `year`'s units (the caller checked the scope); audited. Units reminded for
    an earlier date are reminded again for the new one. Communes compare like `place_in_scope` (Python's
    lower(): SQLite's leaves “Đ” as it is)."""
    row = next((d for d in await _days(s, year, province) if same_commune(d.commune, commune)), None)
    if row is None:
        row = LearningAssessmentDate(year=year, province=province, commune=commune, day=day)
    row.day, row.set_by = day, officer.actor
    s.add(row)
    for unit in await _units_of(s, year, province, commune):
        unit.reminded_at = None
        s.add(unit)
    await repo.audit(s, officer.actor, "mohinh.date", {"province": province, "commune": commune, "day": day})


async def _days(s: AsyncSession, year: int, province: str) -> list[LearningAssessmentDate]:
    stmt = select(LearningAssessmentDate).where(LearningAssessmentDate.year == year,
                                                LearningAssessmentDate.province == province)  # fmt: skip
    return list((await s.exec(stmt)).all())


async def _units_of(s: AsyncSession, year: int, province: str, commune: str, *cond: Any) -> list[LearningUnit]:
    stmt = select(LearningUnit).where(LearningUnit.year == year, LearningUnit.province == province, *cond)
    return [u for u in (await s.exec(stmt)).all() if same_commune(u.commune, commune)]


async def assessment_day(s: AsyncSession, unit: LearningUnit) -> dt.date | None:
    if not unit.province or not unit.commune:
        return None
    days = await _days(s, unit.year, unit.province)
    return next((d.day for d in days if same_commune(d.commune, unit.commune)), None)


async def remind_due(services: Any, now: dt.datetime | None = None) -> int:
    """Units of communes assessing within REMIND_DAYS that were not sent yet: their registrant is reminded once
    (through the outbox, so quiet hours apply). The scheduler's leader runs it with the nudges."""
    from bot.core.payloads import ViewUnit
    from handlers.learning_models import texts as t

    now = now or services.now()
    today = now.astimezone(services.settings.tz).date()
    n = 0
    last = today + dt.timedelta(days=REMIND_DAYS)
    soon = select(LearningAssessmentDate).where(col(LearningAssessmentDate.day) >= today,
                                                col(LearningAssessmentDate.day) <= last)  # fmt: skip
    async with services.db.read_session() as s:  # most runs find nothing: no write transaction for that
        if (await s.exec(soon.limit(1))).first() is None:
            return 0
    async with services.db.session() as s:
        for d in (await s.exec(soon)).all():
            units = await _units_of(s, d.year, d.province, d.commune, col(LearningUnit.status).in_(
                (REGISTERED, RETURNED)), col(LearningUnit.reminded_at).is_(None))  # fmt: skip
            for unit in units:
                m = model_of(services.catalog, unit)
                text = t.TELL_REMIND.format(name=unit.name, model=m.name if m else unit.model,
                                            day=d.day.strftime("%d/%m/%Y"))  # fmt: skip
                n += await notify_unit(s, unit, text, (t.BTN_SEE, ViewUnit(unit.id or 0).pack()))
                unit.reminded_at = now
                s.add(unit)
    return n


# -- roll-up ----------------------------------------------------------------------------------------------


@dataclass
class Tally:
    registered: int = 0
    assessed: int = 0
    recognised: int = 0

    def add(self, status: str, n: int) -> None:
        self.registered += n
        if status in ASSESSED:
            self.assessed += n
        if status == RECOGNISED:
            self.recognised += n

    def to_json(self) -> dict[str, int]:
        return {"registered": self.registered, "assessed": self.assessed, "recognised": self.recognised}


async def rollup(
    s: AsyncSession, year: int, province: str | None = None, officer: OfficerInfo | None = None
) -> dict[tuple[str, str, str], Tally]:
    """{(province, commune, model): Tally} from one GROUP BY, the states counted in SQL, read from the covering
    index ix_learning_units_rollup alone (bench/learning_models.py); only the officer's places if one is given."""
    unit = LearningUnit.__table__.c  # type: ignore[attr-defined]
    keys = (unit.province, unit.commune, unit.model)
    assessed = func.sum(case((unit.status.in_(ASSESSED), 1), else_=0))
    recognised = func.sum(case((unit.status == RECOGNISED, 1), else_=0))
    stmt: Any = sa_select(*keys, func.count(), assessed, recognised).where(unit.year == year).group_by(*keys)
    if province:
        stmt = stmt.where(unit.province == province)
    cond = place_condition(officer, unit.province, unit.commune) if officer else None
    if cond is not None:
        stmt = stmt.where(cond)
    conn = await s.connection()  # Core rows: no ORM processing of tens of thousands of tuples
    return {(prov or "", commune or "", model): Tally(int(n), int(a or 0), int(r or 0))
            for prov, commune, model, n, a, r in (await conn.execute(stmt)).all()}


STATUS_LABELS: dict[str, str] = {
    REGISTERED: "Đã đăng ký", SUBMITTED: "Chờ xã xác nhận", RETURNED: "Xã trả lại",
    CONFIRMED: "Xã đã xác nhận", RECOGNISED: "Đã công nhận",
}  # fmt: skip
EXPORT_HEADER = ["Mã", "Năm", "Mô hình", "Tên", "Tỉnh/thành", "Xã/phường", "Số thành viên", "Trạng thái",
                 "Lý do trả lại", "Ngày công nhận"]  # fmt: skip
EXPORT_WIDTHS = [8, 6, 20, 32, 16, 18, 12, 18, 30, 14]


async def export_rows(s: AsyncSession, catalog: Any, year: int, province: str | None, tz: Any,
                      officer: OfficerInfo | None = None) -> list[list[Any]]:  # fmt: skip
    """One row per unit, in the shape a commune sends upward (Vietnamese headers: EXPORT_HEADER)."""
    stmt = select(LearningUnit).where(LearningUnit.year == year).order_by(
        col(LearningUnit.province), col(LearningUnit.commune), col(LearningUnit.model), col(LearningUnit.id))
    if province:
        stmt = stmt.where(LearningUnit.province == province)
    cond = place_condition(officer, col(LearningUnit.province), col(LearningUnit.commune)) if officer else None
    if cond is not None:
        stmt = stmt.where(cond)
    units = list((await s.exec(stmt)).all())
    counts: dict[int, int] = {}
    if units:
        q: Any = sa_select(col(LearningUnitMember.unit_id), func.count()).group_by(col(LearningUnitMember.unit_id))
        counts = {uid: int(n) for uid, n in (await s.execute(q)).all()}
    rows = []
    for u in units:
        m = model_of(catalog, u)
        when = u.recognised_at.astimezone(tz).strftime("%d/%m/%Y") if u.recognised_at else ""
        rows.append([u.id, u.year, m.name if m else u.model, u.name, u.province or "", u.commune or "",
                     counts.get(u.id or 0, 0), STATUS_LABELS.get(u.status, u.status), u.return_reason or "", when])
    return rows


async def forget(s: AsyncSession, user_id: int) -> None:
    """/xoadulieu: the person's memberships and answers, and the units they registered, are deleted."""
    owned = list((await s.exec(select(LearningUnit.id).where(LearningUnit.owner_user_id == user_id))).all())
    await s.exec(delete(LearningUnitMember).where(col(LearningUnitMember.user_id) == user_id))  # type: ignore[call-overload]
    await s.exec(update(LearningUnitAnswer).where(col(LearningUnitAnswer.answered_by) == user_id)  # type: ignore[call-overload]
                 .values(answered_by=None))  # the answer belongs to the unit; who gave it is forgotten
    if owned:
        for table in (LearningUnitMember, LearningUnitAnswer):
            await s.exec(delete(table).where(col(table.unit_id).in_(owned)))  # type: ignore[call-overload]
        await s.exec(delete(LearningUnit).where(col(LearningUnit.id).in_(owned)))  # type: ignore[call-overload]


@dataclass
class Place:
    """The tallies of one commune or province (or of everything), per model id, and the denominators entered."""

    name: str
    models: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    parts: dict[str, Place] = field(default_factory=dict)
    denominators: dict[str, int] = field(default_factory=dict)  # model → households / units of the place

    def add(self, model: str, t: Tally) -> None:
        mine = self.models[model]
        mine.registered += t.registered
        mine.assessed += t.assessed
        mine.recognised += t.recognised

    def rate_text(self, model: str) -> str:
        return rates.rate_text(self.models[model].recognised if model in self.models else 0,
                               self.denominators.get(model))  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        models = {}
        for k in sorted(set(self.models) | set(self.denominators)):
            t, d = self.models.get(k, Tally()), self.denominators.get(k)
            models[k] = {**t.to_json(), "denominator": d, "rate": rates.rate(t.recognised, d)}
        out: dict[str, Any] = {"name": self.name, "models": models}
        if self.parts:
            out["parts"] = [p.to_json() for _, p in sorted(self.parts.items())]
        return out


def roll_up(rows: dict[tuple[str, str, str], Tally], name: str = "",
            dens: dict[rates.DenKey, int] | None = None) -> Place:  # fmt: skip
    """The deployment → provinces → communes, each with its per-model tallies summed from `rollup`, and the
    denominators (`rates.denominators`): a place's own figure, else the sum of its parts' when every part with
    units or a figure has one (the numerator then covers the same parts); otherwise none, and no rate."""
    top = Place(name)
    for (prov, commune, model), t in rows.items():
        p = top.parts.setdefault(prov, Place(prov))
        c = p.parts.setdefault(commune, Place(commune))
        for place in (top, p, c):
            place.add(model, t)
    if dens is None:
        return top
    by_place: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)  # (province, commune lower) → model → n
    spelled: dict[tuple[str, str], str] = {}  # communes compare without case; the first spelling is shown
    for (prov, commune, model), n in dens.items():
        by_place[(prov, commune.lower())][model] = n
        spelled.setdefault((prov, commune.lower()), commune)
    for prov, p in top.parts.items():
        spelled.update({(prov, c.lower()): c for c in p.parts})
    for (prov, low), commune in spelled.items():  # a commune with a figure but no units yet: 0 recognised
        p = top.parts.setdefault(prov, Place(prov))
        if low and commune not in p.parts:
            p.parts[commune] = Place(commune)
    for prov, p in top.parts.items():
        for c in p.parts.values():
            c.denominators = dict(by_place.get((prov, c.name.lower()), {})) if c.name else {}
        p.denominators = {**_summed(p), **by_place.get((prov, ""), {})}
    top.denominators = _summed(top)
    return top


def _summed(place: Place) -> dict[str, int]:
    models = set(place.models) | {m for part in place.parts.values() for m in part.denominators}
    return {m: sum(part.denominators[m] for part in place.parts.values()) for m in models
            if place.parts and all(m in part.denominators for part in place.parts.values())}  # fmt: skip
