"""Onboarding: welcome, consent, province and commune, joining a group from a deep link."""

from __future__ import annotations

from dataclasses import replace

from bot.core import texts
from bot.core.callback import parse_int
from bot.core.context import Ctx
from bot.core.dispatcher import menu_reply
from bot.core.messages import Choice, Inbound, Kind, Reply
from bot.core.payloads import ChooseProvince, Consent, PickCommune, SkipCommune, Start
from bot.core.router import Router
from bot.db import repo
from content.intents import small_talk
from content.provinces import communes, find_province, is_commune_name, provinces
from content.textnorm import asks_something
from handlers.onboarding.communes import CommuneMatch, match_commune

router = Router("start")

ASK_PROVINCE = "ask_province"
ASK_COMMUNE = "ask_commune"
COMMUNE_WORDS = 6  # a commune named with what comes with it ("tôi ở phường Hoàn Kiếm") is no longer than this


def consent_reply() -> Reply:
    return Reply(
        texts.CONSENT_ASK,
        choices=[
            Choice(texts.CONSENT_YES, Consent("y").pack()),
            Choice(texts.CONSENT_NO, Consent("n").pack()),
        ],
        columns=2,
    )


def consent_open(ctx: Ctx) -> bool:
    """The consent question is the last one asked and not answered yet."""
    return not ctx.consented and any(Consent.read(c.data) is not None for c in ctx.offered)


async def agreed_in_words(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """“Đồng ý” typed as a message of its own, not picked from the consent question's choices (“ok đồng ý”, or
    after consent): consent while that question waits; once given, a word that it is (never the FAQ's law on
    personal data); otherwise the consent question, so the next “đồng ý” answers it."""
    if ctx.consented:
        return [menu_reply(texts.ALREADY_AGREED)]
    if consent_open(ctx):
        return await consent(ctx, replace(msg, kind=Kind.CALLBACK, choice=Consent("y").pack()))
    return [consent_reply()]


def province_reply() -> Reply:
    choices = [Choice(p.name, ChooseProvince(str(i)).pack()) for i, p in enumerate(provinces())]
    choices.append(Choice(texts.SKIP, ChooseProvince("-").pack()))
    return Reply(texts.ASK_PROVINCE, choices=choices, columns=2)


def ask_province(ctx: Ctx) -> list[Reply]:
    ctx.set_state(ASK_PROVINCE)
    return [province_reply()]


@router.command("start", "batdau")
@router.action(Start.action)
async def start(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Welcome; ask for consent the first time; join the group of a deep-link code."""
    replies: list[Reply] = []
    code = msg.args.strip()[:64]
    if code == texts.GROUP_START:  # came from the pointer the bot posted in a group
        code = ""
    if code:
        if ctx.consented:
            replies.append(await _join(ctx, code))
        else:
            ctx.set_state(None, {"join_code": code})
    if ctx.consented:
        return [*replies, menu_reply(texts.READY)]
    name = f" {ctx.user.display_name}" if ctx.user.display_name else ""
    return [Reply(texts.WELCOME.format(name=name), remove_keyboard=True), consent_reply()]


async def _join(ctx: Ctx, code: str) -> Reply:
    group = await repo.group_by_code(ctx.session, code)
    if group is None or group.id is None:
        return Reply(texts.UNKNOWN_CODE.format(code=code))
    await repo.join_group(ctx.session, ctx.user_id, group.id)
    return Reply(texts.JOINED_GROUP.format(group=group.title or group.name))


@router.action(Consent.action)
async def consent(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Store the answer to the consent question (with its text version and time)."""
    agreed = (Consent.read(msg.choice) or Consent()).yes
    code = ctx.state_data.get("join_code")
    if not agreed:
        ctx.set_state(None)
        return [menu_reply(texts.CONSENT_DECLINED)]
    ctx.user.consent_at = ctx.now()
    ctx.user.consent_version = texts.CONSENT_VERSION
    ctx.user.deleted_at = None
    ctx.user.subscribed = True
    replies = [await _join(ctx, code)] if code else []
    return [*replies, *ask_province(ctx)]


@router.action(ChooseProvince.action)
async def province_chosen(ctx: Ctx, msg: Inbound) -> list[Reply]:
    arg = (ChooseProvince.read(msg.choice) or ChooseProvince("")).choice
    if arg == "-":
        return _ask_commune(ctx, [])
    idx = parse_int(arg)
    if idx is None or not 0 <= idx < len(provinces()):
        return ask_province(ctx)
    ctx.user.province = provinces()[idx].name
    return _ask_commune(ctx, [Reply(texts.LOCALITY_SAVED.format(place=ctx.user.province))])


@router.state(ASK_PROVINCE)
async def province_typed(ctx: Ctx, msg: Inbound) -> list[Reply]:
    match = find_province(msg.text)
    if match is None:
        return [Reply(texts.PROVINCE_UNKNOWN.format(text=msg.text.strip()[:60])), province_reply()]
    ctx.user.province = match.province.name
    note = (
        texts.PROVINCE_OLD.format(old=match.former, new=match.province.name)
        if match.former and match.former != match.province.name
        else texts.LOCALITY_SAVED.format(place=match.province.name)
    )
    return _ask_commune(ctx, [Reply(note)])


def _ask_commune(ctx: Ctx, before: list[Reply]) -> list[Reply]:
    ctx.set_state(ASK_COMMUNE)
    return [*before, Reply(texts.ASK_COMMUNE, choices=[Choice(texts.SKIP, SkipCommune().pack())])]


@router.action(SkipCommune.action)
async def commune_skipped(ctx: Ctx, msg: Inbound) -> list[Reply]:
    ctx.set_state(None)
    return [menu_reply(texts.READY)]


@router.state(ASK_COMMUNE)
async def commune_typed(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """The commune typed at /start or from /caidat: saved by its official name, or asked again."""
    match = await match_commune(ctx.session, ctx.user.province, msg.text)
    listed = bool(ctx.user.province)  # without a province any text is "found": nothing to check it against
    if match.found is not None and (listed or not _not_a_place(msg.text, listed)):
        return _commune_saved(ctx, match.found)
    if not match.alike and not match.close and _not_a_place(msg.text, listed):
        # "xin chào", "bị lộ mật khẩu facebook rồi phải làm gì": answered, then the commune asked again (not
        # "Mình chưa thấy xã/phường “xin chào”"). The answers chat imports this module: imported here.
        from handlers.answers.chat import answer_question

        answered = [replace(r, text=texts.without_menu(r.text) or r.text, keyboard=None)  # the main menu's numbers
                    for r in await answer_question(ctx, msg.text)]  # would read as the commune question's
        return _ask_commune(ctx, answered)
    return [_which_commune(ctx, match, msg.text.strip()[:60])]


def _not_a_place(text: str, listed: bool) -> bool:
    """A greeting or a question typed where the commune is asked, not a commune's name. Without a province
    (skipped) there is no list to check a name against and whatever is typed would be saved: a message with a
    question word ("vneid của cơ quan nào") that is no commune's name anywhere is a question there too."""
    talk = small_talk(text)
    if (talk is not None and talk != "place") or "?" in text or len(text.split()) > COMMUNE_WORDS:
        return True
    return not listed and asks_something(text) and not is_commune_name(text)


@router.action(PickCommune.action)
async def commune_picked(ctx: Ctx, msg: Inbound) -> list[Reply]:
    index = (PickCommune.read(msg.choice) or PickCommune()).index
    offered = ctx.state_data.get("communes", []) if ctx.user.state == ASK_COMMUNE else []
    if not 0 <= index < len(offered):
        return [menu_reply(texts.STALE_BUTTON)]
    return _commune_saved(ctx, str(offered[index]))


def _commune_saved(ctx: Ctx, commune: str) -> list[Reply]:
    ctx.user.commune = commune
    ctx.set_state(None)
    place = ", ".join(p for p in (ctx.user.commune, ctx.user.province) if p)
    return [Reply(texts.LOCALITY_SAVED.format(place=place)), menu_reply(texts.READY)]


def _which_commune(ctx: Ctx, match: CommuneMatch, typed: str) -> Reply:
    """Several communes alike, or none: which one (a button each), or type it again; skipping stays possible."""
    province = ctx.user.province or ""
    offered = match.alike or match.close
    ctx.set_state(ASK_COMMUNE, {"communes": [c.name for c in offered]} if offered else None)
    if match.alike:
        text = texts.COMMUNE_WHICH.format(province=province, n=len(offered), text=typed)
    elif offered:
        text = texts.COMMUNE_CLOSE.format(province=province, text=typed)
    else:
        example = communes(province)[0].name if communes(province) else "Gia Viễn"
        text = texts.COMMUNE_UNKNOWN.format(province=province, text=typed, example=example)
    choices = [Choice(c.label, PickCommune(i).pack()) for i, c in enumerate(offered)]
    return Reply(text, choices=[*choices, Choice(texts.SKIP, SkipCommune().pack())])
