"""/mohinh (citizens) and /duyetmohinh (officers): platform-free chat handlers returning Replies.

Citizens: register a family / clan / village group / agency for a learning model, share its invite code
(`/mohinh CODE` joins), answer the self-declared criteria with yes/no buttons, see what is missing, send it
to the commune. “Công dân học tập” is everyone's own, partly filled from what they did in the bot.
Officers: the units in their scope waiting for a decision, confirm / return with a reason / recognise; the
citizen is told through the outbox, and every decision is audited."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot.core import texts
from bot.core.context import Ctx, UserFacingError
from bot.core.dispatcher import menu_reply
from bot.core.messages import Choice, Document, Inbound, Reply
from bot.core.payloads import (
    AnswerCriterion,
    AssessUnit,
    DecideUnit,
    JoinUnit,
    MyUnits,
    NewUnit,
    OfficerUnit,
    ReviewUnits,
    SubmitUnit,
    UnitButton,
    UnitCertificate,
    ViewUnit,
    read_any,
)
from bot.core.router import Router
from bot.db.models_learning_models import CONFIRMED, REGISTERED, RETURNED, SUBMITTED, LearningUnit
from content.schema import Criterion, LearningModel, LearningModels
from handlers.learning_models import service
from handlers.learning_models import texts as t
from handlers.officers.chat import officer_or_refuse
from handlers.onboarding.communes import known_spelling, normalise_commune

router = Router("learning_models")

ASK_COMMUNE = "lm_commune"
ASK_NAME = "lm_name"
ASK_CODE = "lm_code"
ASK_REASON = "lm_reason"
EDITABLE = (REGISTERED, RETURNED)


def _models(ctx: Ctx) -> LearningModels:
    lm = service.models_of(ctx.services.catalog)
    if lm is None:
        raise UserFacingError(t.OFF)
    return lm


def _year(ctx: Ctx) -> int:
    return ctx.now().astimezone(ctx.settings.tz).year


def _place(unit: LearningUnit) -> str:
    return ", ".join(p for p in (unit.commune, unit.province) if p) or "—"


@router.command("mohinh", "learningmodel", consent=True)
@router.action(MyUnits.action, consent=True)
async def home(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The person's units this year and a button per model to register; `/mohinh CODE` joins a unit."""
    lm = _models(ctx)
    if msg.command and msg.args.strip():
        return await _join(ctx, msg.args)
    ctx.set_state(None)
    year = _year(ctx)
    ms = lm.set_for(year, ctx.user.province)
    assert ms is not None
    names = {m.id: m.name for m in ms.models}
    units = await service.my_units(ctx.session, ctx.user_id, year)
    lines = [t.HEAD.format(year=year), ""]
    lines += [t.MINE, *(t.MINE_LINE.format(name=u.name, model=names.get(u.model, u.model),
                                           status=t.STATUS.get(u.status, u.status)) for u in units)] \
        if units else [t.NONE_YET]  # fmt: skip
    if ms.example:
        lines.append(t.EXAMPLE_NOTE)
    choices = [Choice(t.BTN_VIEW.format(name=u.name[:40]), ViewUnit(u.id or 0).pack()) for u in units]
    for m in ms.models:
        if m.personal and not any(u.model == m.id for u in units):
            choices.append(Choice(t.BTN_CITIZEN, NewUnit(m.id).pack()))
        elif not m.personal:
            choices.append(Choice(t.BTN_NEW.format(model=m.name), NewUnit(m.id).pack()))
    choices.append(Choice(t.BTN_JOIN, JoinUnit().pack()))
    return [Reply("\n".join(lines), choices=choices)]


def _model(ctx: Ctx, model_id: str) -> LearningModel | None:
    return _models(ctx).model(model_id, _year(ctx), ctx.user.province)


@router.action(NewUnit.action, consent=True)
async def new_unit(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Register for a model: the commune comes from the profile (asked once if missing), then the name."""
    model = _model(ctx, button.model_id if (button := NewUnit.read(msg.choice)) else "")
    if model is None:
        return [menu_reply(t.OFF)]
    if not ctx.user.province:
        return [menu_reply(t.NEED_PROVINCE)]
    if model.personal:
        unit = await service.personal_unit(ctx.session, ctx.user, model, _year(ctx))
        return [Reply(t.CITIZEN_PERSONAL), *await _view(ctx, unit)]
    if not ctx.user.commune:
        ctx.set_state(ASK_COMMUNE, {"model": model.id})
        return [Reply(t.ASK_COMMUNE)]
    ctx.set_state(ASK_NAME, {"model": model.id})
    return [Reply(t.ASK_NAME.format(model=model.name, unit=model.unit))]


@router.state(ASK_COMMUNE)
async def commune_typed(ctx: Ctx, msg: Inbound) -> list[Reply]:
    commune = normalise_commune(msg.text)
    model = _model(ctx, ctx.state_data.get("model", ""))
    if len(commune) < 2 or model is None:
        return [Reply(t.ASK_COMMUNE)]
    ctx.user.commune = await known_spelling(ctx.session, ctx.user.province, commune)
    ctx.set_state(ASK_NAME, {"model": model.id})
    return [Reply(t.ASK_NAME.format(model=model.name, unit=model.unit))]


@router.state(ASK_NAME)
async def name_typed(ctx: Ctx, msg: Inbound) -> list[Reply]:
    name = " ".join(msg.text.split())
    model = _model(ctx, ctx.state_data.get("model", ""))
    if model is None:
        ctx.set_state(None)
        return [menu_reply(t.OFF)]
    if not 2 <= len(name) <= service.NAME_MAX:
        return [Reply(t.BAD_NAME)]
    ctx.set_state(None)
    unit = await service.register(ctx.session, owner_id=ctx.user_id, model=model, year=_year(ctx), name=name,
                                  province=ctx.user.province, commune=ctx.user.commune)  # fmt: skip
    done = Reply(t.REGISTERED.format(name=unit.name, model=model.name, place=_place(unit), code=unit.invite_code),
                 choices=[Choice(t.BTN_ASSESS, AssessUnit(unit.id or 0).pack())])  # fmt: skip
    return [done]


@router.action(JoinUnit.action, consent=True)
async def ask_code(ctx: Ctx, msg: Inbound) -> list[Reply]:
    ctx.set_state(ASK_CODE)
    return [Reply(t.ASK_CODE)]


@router.state(ASK_CODE)
async def code_typed(ctx: Ctx, msg: Inbound) -> list[Reply]:
    return await _join(ctx, msg.text)


async def _join(ctx: Ctx, code: str) -> list[Reply]:
    unit, new = await service.join(ctx.session, ctx.user_id, code)
    if unit is None:
        ctx.set_state(ASK_CODE)
        return [Reply(t.BAD_CODE.format(code=service.normal_code(code)[:12]))]
    ctx.set_state(None)
    model = service.model_of(ctx.services.catalog, unit)
    name = model.name if model else unit.model
    head = t.JOINED.format(name=unit.name, model=name, unit=model.unit if model else "") if new \
        else t.ALREADY_MEMBER.format(name=unit.name)  # fmt: skip
    return [Reply(head), *await _view(ctx, unit)]


async def _unit_of_member(ctx: Ctx, msg: Inbound) -> LearningUnit:
    button = read_any(msg.choice)
    unit_id = button.unit_id if isinstance(button, UnitButton) and button.unit_id > 0 else None
    unit = await ctx.session.get(LearningUnit, unit_id) if unit_id is not None else None
    if unit is None or not await service.is_member(ctx.session, unit, ctx.user_id):
        raise UserFacingError(t.NOT_YOURS)
    return unit


@router.action(ViewUnit.action, consent=True)
async def view(ctx: Ctx, msg: Inbound) -> list[Reply]:
    return await _view(ctx, await _unit_of_member(ctx, msg))


def _assessment_lines(a: service.Assessment) -> list[str]:
    lines = []
    for e in a.items:
        detail = f": {e.detail}" if e.detail else ""
        lines.append(t.CRIT_LINE.format(mark=t.MARK[e.met], text=e.criterion.text,
                                        how=t.EVIDENCE[e.criterion.evidence], detail=detail))  # fmt: skip
    return lines


async def _view(ctx: Ctx, unit: LearningUnit) -> list[Reply]:
    """The unit's criteria with their evidence, what is missing, and what can be done next."""
    model = service.model_of(ctx.services.catalog, unit)
    if model is None:
        return [menu_reply(t.OFF)]
    a = await service.assess(ctx.session, ctx.services.catalog, unit, model)
    lines = [t.VIEW_HEAD.format(name=unit.name, model=model.name, year=unit.year, place=_place(unit),
                                members=a.members, status=t.STATUS.get(unit.status, unit.status))]  # fmt: skip
    if unit.invite_code:
        lines.append(t.VIEW_CODE.format(code=unit.invite_code))
    if unit.status == RETURNED and unit.return_reason:
        lines.append(t.VIEW_RETURNED.format(reason=unit.return_reason))
    day = await service.assessment_day(ctx.session, unit)
    if day is not None and unit.status in EDITABLE:
        lines.append(t.VIEW_DAY.format(day=day.strftime("%d/%m/%Y")))
    lines += ["", *_assessment_lines(a), ""]
    missing = a.missing
    if missing:
        lines.append(t.MISSING_HEAD.format(n=len(missing)))
        lines += [f"• {e.criterion.text}" for e in missing]
        if any(e.criterion.evidence == "officer" for e in missing):
            lines.append(t.OFFICER_PENDING)
    else:
        lines.append(t.ALL_MET)
    choices = []
    if unit.cert_code:
        choices.append(Choice(t.BTN_CERT, UnitCertificate(unit.id or 0).pack()))
    if unit.status in EDITABLE:
        choices.append(Choice(t.BTN_ASSESS, AssessUnit(unit.id or 0).pack()))
        if unit.owner_user_id == ctx.user_id:
            choices.append(Choice(t.BTN_SUBMIT, SubmitUnit(unit.id or 0).pack()))
    return [Reply("\n".join(lines), choices=choices, columns=2)]


async def _editable(ctx: Ctx, msg: Inbound) -> tuple[LearningUnit, LearningModel | None, list[Criterion]]:
    """The member's unit while it can still be changed, its model and its self-declared criteria."""
    unit = await _unit_of_member(ctx, msg)
    if unit.status not in EDITABLE:
        raise UserFacingError(t.CANNOT_CHANGE)
    model = service.model_of(ctx.services.catalog, unit)
    return unit, model, [c for c in model.criteria if c.evidence == "self"] if model else []


@router.action(UnitCertificate.action, consent=True)
async def certificate(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The recognised unit's certificate as a PDF, with its verification code and link."""
    from handlers.learning import certificate as certs

    unit = await _unit_of_member(ctx, msg)
    if not unit.cert_code:
        return [Reply(t.NO_CERT)]
    url = certs.verify_url(ctx.settings.web_base_url, unit.cert_code)
    pdf = await asyncio.to_thread(service.certificate_pdf, ctx.services.catalog, unit, url, ctx.settings.tz)
    caption = t.CERT_CAPTION.format(name=unit.name, code=unit.cert_code, url=url)
    return [Reply(caption, document=Document(f"chung-nhan-{unit.cert_code}.pdf", pdf, caption))]


@router.action(AssessUnit.action, consent=True)
async def assess(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The first unanswered self-declared criterion (or all again from the first when every one is answered)."""
    unit, model, own = await _editable(ctx, msg)
    if not own or model is None:
        return [Reply(t.NO_SELF), *await _view(ctx, unit)]
    assert unit.id is not None
    given = await service.answers(ctx.session, unit.id)
    nxt = next((c for c in own if c.id not in given), own[0])
    return [_question(unit, model, own, nxt.id)]


def _question(unit: LearningUnit, model: LearningModel, own: list[Criterion], criterion_id: str) -> Reply:
    i = next(i for i, c in enumerate(own) if c.id == criterion_id)
    c = own[i]
    text = t.QUESTION.format(i=i + 1, n=len(own), model=model.name, text=c.text, name=unit.name)
    uid = unit.id or 0
    return Reply(text, choices=[Choice(t.BTN_YES, AnswerCriterion(uid, c.id, 1).pack()),
                                Choice(t.BTN_NO, AnswerCriterion(uid, c.id, 0).pack())], columns=2)  # fmt: skip


@router.action(AnswerCriterion.action, consent=True)
async def answered(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Save a yes/no and ask the next criterion; after the last one, the summary."""
    unit, model, own = await _editable(ctx, msg)
    p = AnswerCriterion.read(msg.choice) or AnswerCriterion(0)
    ids = [c.id for c in own]
    if model is None or p.criterion not in ids:
        return await _view(ctx, unit)
    await service.answer(ctx.session, unit, p.criterion, p.yes == 1, ctx.user_id, ctx.now())
    i = ids.index(p.criterion)
    if i + 1 < len(own):
        return [_question(unit, model, own, ids[i + 1])]
    await ctx.session.flush()
    return await _view(ctx, unit)


@router.action(SubmitUnit.action, consent=True)
async def submit(ctx: Ctx, msg: Inbound) -> list[Reply]:
    unit = await _unit_of_member(ctx, msg)
    if unit.owner_user_id != ctx.user_id:
        return [Reply(t.OWNER_ONLY)]
    if unit.status not in EDITABLE:
        return [Reply(t.CANNOT_CHANGE)]
    model = service.model_of(ctx.services.catalog, unit)
    if model is None:
        return [menu_reply(t.OFF)]
    a = await service.assess(ctx.session, ctx.services.catalog, unit, model)
    if a.unanswered:
        again = Choice(t.BTN_ASSESS, AssessUnit(unit.id or 0).pack())
        return [Reply(t.ANSWER_FIRST.format(n=len(a.unanswered)), choices=[again])]
    await service.submit(ctx.session, unit, ctx.user_id, ctx.now())
    return [menu_reply(texts.promise(t.SUBMITTED.format(name=unit.name), t.SUBMITTED_LATER, ctx.channel))]


# -- officers ---------------------------------------------------------------------------------------------


@router.command("duyetmohinh", "reviewmodels")
@router.action(ReviewUnits.action)
async def review(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The units in the officer's scope waiting for a decision (submitted) or for recognition (confirmed)."""
    officer = await officer_or_refuse(ctx, "mohinh.review")
    year = _year(ctx)
    waiting = await service.units_in_scope(ctx.session, officer, year, (SUBMITTED,), limit=20)
    confirmed = await service.units_in_scope(ctx.session, officer, year, (CONFIRMED,), limit=20)
    lines = [t.OFF_HEAD.format(year=year)]
    choices = []
    for head, units in ((t.OFF_WAITING, waiting), (t.OFF_CONFIRMED, confirmed)):
        if not units:
            continue
        lines += ["", head.format(n=len(units))]
        for u in units:
            model = service.model_of(ctx.services.catalog, u)
            if model is None:
                continue
            a = await service.assess(ctx.session, ctx.services.catalog, u, model)
            met = sum(1 for e in a.items if e.met)
            lines.append(t.OFF_LINE.format(id=u.id, name=u.name, model=model.name, place=_place(u), met=met,
                                           total=len(a.items)))  # fmt: skip
            choices.append(Choice(t.BTN_OPEN.format(id=u.id, name=u.name[:30]), OfficerUnit(u.id or 0).pack()))
    if not waiting and not confirmed:
        lines.append(t.OFF_NONE)
    return [Reply("\n".join(lines), choices=choices)]


@router.command("ngaydanhgia", "assessmentday")
async def assessment_day(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """A commune officer sets the day the commune assesses this year's units: `/ngaydanhgia 15/11/2026`."""
    officer = await officer_or_refuse(ctx, "mohinh.date")
    communes = [v.partition("|") for k, v in officer.scopes if k == "commune"]
    if not communes:
        return [menu_reply(t.DAY_NO_COMMUNE)]
    text = msg.args.strip()
    if not text:
        return [menu_reply(t.DAY_USAGE)]
    try:
        day = dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return [menu_reply(t.DAY_BAD.format(text=text[:20]))]
    today = ctx.now().astimezone(ctx.settings.tz).date()
    if day < today:
        return [menu_reply(t.DAY_PAST.format(day=day.strftime("%d/%m/%Y")))]
    for commune, _, province in communes:
        await service.set_assessment_day(ctx.session, officer, province, commune, day.year, day)
    names = ", ".join(f"{c}, {p}" for c, _, p in communes)
    return [menu_reply(t.DAY_SET.format(day=day.strftime("%d/%m/%Y"), communes=names, n=service.REMIND_DAYS))]


@router.action(OfficerUnit.action)
async def officer_view(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """One unit with its evidence, and the decisions its state allows."""
    officer = await officer_or_refuse(ctx, "mohinh.view")
    button = OfficerUnit.read(msg.choice)
    unit = await service.unit_for_officer(ctx.session, officer, button.unit_id if button else None,
                                          "mohinh.view")  # fmt: skip
    model = service.model_of(ctx.services.catalog, unit)
    if model is None:
        return [menu_reply(t.OFF)]
    a = await service.assess(ctx.session, ctx.services.catalog, unit, model)
    lines = [t.VIEW_HEAD.format(name=unit.name, model=model.name, year=unit.year, place=_place(unit),
                                members=a.members, status=t.STATUS.get(unit.status, unit.status)),
             "", *_assessment_lines(a)]  # fmt: skip
    choices = []
    if unit.status in service.DECIDABLE["confirm"]:
        choices.append(Choice(t.BTN_CONFIRM, DecideUnit(unit.id or 0, "confirm").pack()))
    if unit.status in service.DECIDABLE["return"]:
        choices.append(Choice(t.BTN_RETURN, DecideUnit(unit.id or 0, "return").pack()))
    if unit.status in service.DECIDABLE["recognise"]:
        choices.append(Choice(t.BTN_RECOGNISE, DecideUnit(unit.id or 0, "recognise").pack()))
    return [Reply("\n".join(lines), choices=choices, columns=2)]


@router.action(DecideUnit.action)
async def decide(ctx: Ctx, msg: Inbound) -> list[Reply]:
    officer = await officer_or_refuse(ctx, "mohinh.decide")
    p = DecideUnit.read(msg.choice) or DecideUnit(0)
    action = p.decision
    if action not in service.DECIDABLE:
        return [menu_reply(t.OFF_NONE)]
    unit = await service.unit_for_officer(ctx.session, officer, p.unit_id if p.unit_id > 0 else None,
                                          f"mohinh.{action}")
    if unit.status not in service.DECIDABLE[action]:
        return [Reply(t.NOT_NOW.format(id=unit.id, status=t.STATUS.get(unit.status, unit.status)))]
    if action == "return":
        ctx.set_state(ASK_REASON, {"unit": unit.id})
        return [Reply(t.ASK_REASON.format(id=unit.id))]
    return [await _decided(ctx, unit, action, "")]


@router.state(ASK_REASON)
async def reason_typed(ctx: Ctx, msg: Inbound) -> list[Reply]:
    officer = await officer_or_refuse(ctx, "mohinh.return")
    reason = " ".join(msg.text.split())
    if not 3 <= len(reason) <= service.REASON_MAX:
        return [Reply(t.BAD_REASON)]
    unit = await service.unit_for_officer(ctx.session, officer, ctx.state_data.get("unit"), "mohinh.return")
    ctx.set_state(None)
    if unit.status not in service.DECIDABLE["return"]:
        return [menu_reply(t.NOT_NOW.format(id=unit.id, status=t.STATUS.get(unit.status, unit.status)))]
    return [await _decided(ctx, unit, "return", reason)]


async def _decided(ctx: Ctx, unit: LearningUnit, action: str, reason: str) -> Reply:
    """Record the decision (audited; the registrant is told through the outbox)."""
    officer = await officer_or_refuse(ctx, f"mohinh.{action}")
    await service.decide(ctx.session, officer, unit, action, ctx.now(), reason, catalog=ctx.services.catalog)
    ctx.after_commit(ctx.services.wake_outbox)  # the registrant's message is queued once this unit of work commits
    model = service.model_of(ctx.services.catalog, unit)
    done = {"confirm": t.DONE_CONFIRM, "return": t.DONE_RETURN, "recognise": t.DONE_RECOGNISE}[action]
    return menu_reply(done.format(name=unit.name, model=model.name if model else unit.model, year=unit.year,
                                  id=unit.id))  # fmt: skip
