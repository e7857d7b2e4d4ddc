"""Officer scopes, groups and broadcasts from the command line (`hocbot officer|group|broadcast|stats|export`)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from typing import Any

import pytest
from sqlmodel import col, select

from bench.broadcast import add_group, seed_subscribers
from bot.cli import main
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.models import AuditLog, Group, User
from handlers.officers import outbox
from handlers.officers.scope import OfficerInfo, ScopeError, check_targets, group_in_scope


@pytest.fixture
def cli(db_url: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)

    def run(*argv: str) -> tuple[int, str]:
        code = main(list(argv))
        return code, capsys.readouterr().out

    return run


def on_db(db_url: str, fn: Any) -> Any:
    async def go() -> Any:
        db = Database(db_url)
        await upgrade(db)
        try:
            return await fn(db)
        finally:
            await db.dispose()

    return asyncio.run(go())


def test_scope_rules() -> None:
    province = OfficerInfo("telegram:1", "officer", scopes=[("province", "Ninh Bình")])
    commune = OfficerInfo("telegram:2", "officer", scopes=[("commune", "Gia Viễn|Ninh Bình")])
    named = OfficerInfo("telegram:3", "officer", scopes=[("group", "CLB Tin học")])
    nb = Group(name="Ninh Bình", kind="locality", province="Ninh Bình")
    gv = Group(name="Gia Viễn", kind="locality", province="Ninh Bình", commune="gia viễn")
    hn = Group(name="Hà Nội", kind="locality", province="Hà Nội")
    club = Group(name="CLB Tin học", kind="code")
    assert group_in_scope(province, nb) and group_in_scope(province, gv) and not group_in_scope(province, hn)
    assert group_in_scope(commune, gv) and not group_in_scope(commune, nb)
    assert group_in_scope(named, club) and not group_in_scope(named, gv)
    assert all(group_in_scope(OfficerInfo("cli", "admin"), g) for g in (nb, gv, hn, club))


def test_out_of_scope_targets_are_refused_and_audited(db_url: str) -> None:
    async def go(db: Database) -> list[AuditLog]:
        hn = await add_group(db, "Hà Nội", "locality", province="Hà Nội")
        officer = OfficerInfo("telegram:9", "officer", scopes=[("province", "Ninh Bình")])
        async with db.session() as s:
            for target in ([hn], "all"):
                with pytest.raises(ScopeError):
                    await check_targets(s, officer, target, "broadcast.send")
        async with db.session() as s:
            return list((await s.exec(select(AuditLog))).all())

    rows = on_db(db_url, go)
    assert [(r.actor, r.allowed) for r in rows] == [("telegram:9", False), ("telegram:9", False)]


def test_locality_code_and_interest_groups_select_the_right_people(db_url: str) -> None:
    async def go(db: Database) -> dict[str, int]:
        club = await add_group(db, "CLB", "interest")
        nb = await add_group(db, "Gia Viễn", "locality", province="Ninh Bình", commune="Gia Viễn")
        await seed_subscribers(db, 4, first_chat=1000, province="Ninh Bình")
        await seed_subscribers(db, 3, first_chat=2000, province="Huế", group_id=club)
        async with db.session() as s:
            from sqlalchemy import update

            from bot.db.models import User

            await s.exec(update(User).where(User.id.in_([1, 2])).values(commune="Gia Viễn"))  # type: ignore
            await s.exec(update(User).where(User.id == 2).values(subscribed=False))  # type: ignore
        async with db.session() as s:
            return {
                "commune": len(await outbox.select_recipients(s, [nb])),
                "club": len(await outbox.select_recipients(s, [club])),
                "both": len(await outbox.select_recipients(s, [nb, club])),
                "all": len(await outbox.select_recipients(s, "all")),
            }

    assert on_db(db_url, go) == {"commune": 1, "club": 3, "both": 4, "all": 6}


def test_cli_officers_groups_broadcast_status_stats_export(db_url: str, cli: Any) -> None:
    code, out = cli("group", "add", "CLB Tin học", "--kind", "code", "--code", "clbtin")
    assert code == 0 and "clbtin" in out  # no bot token: the code to type instead of a link
    code, out = cli("officer", "add", "telegram:42", "--name", "Chị Lan", "--province", "ninh binh")
    assert code == 0 and out.startswith("Đã thêm cán bộ #1 Chị Lan (telegram:42), phụ trách tỉnh/thành Ninh Bình.")
    code, out = cli("officer", "add", "telegram:42", "--province", "ninh binh", "--json")  # scripts keep JSON
    assert json.loads(out)["scopes"] == [["province", "Ninh Bình"]]
    code, out = cli("officer", "list", "--json")
    assert json.loads(out)[0]["account"] == "telegram:42"
    code, out = cli("group", "list", "--json")
    assert {g["name"] for g in json.loads(out)} == {"CLB Tin học", "Ninh Bình"}  # locality group made for scope

    on_db(db_url, lambda db: seed_subscribers(db, 5, first_chat=3000, province="Ninh Bình"))
    code, out = cli("broadcast", "send", "--to", "Ninh Bình", "--text", "Họp lớp tối nay", "--yes", "--json")
    sent = json.loads(out)
    assert code == 0 and sent["recipients"] == 5
    code, out = cli("broadcast", "status", str(sent["broadcast_id"]), "--json")
    status = json.loads(out)
    assert status["queued"] == 5 and status["sent"] == 0 and status["status"] == "queued"
    code, _ = cli("broadcast", "send", "--to", "Không có", "--text", "x", "--yes")
    assert code == 1
    code, out = cli("stats", "--json")
    assert json.loads(out)["subscribers"] == 5
    code, out = cli("export", "deliveries")
    rows = list(csv.reader(io.StringIO(out)))
    assert len(rows) == 6 and rows[0][:2] == ["Mã thông báo", "Mã người nhận"] and rows[1][4] == "Đang chờ"
    code, out = cli("export", "subscribers")
    rows = list(csv.reader(io.StringIO(out)))
    assert len(rows) == 6 and rows[0][0] == "Mã người nhận" and rows[1][5] == "Ninh Bình"  # its locality group
    code, out = cli("officer", "remove", "telegram:42")
    assert code == 0 and cli("officer", "list", "--json")[1] == "[]\n"


def test_cli_commune_typed_without_accents_is_the_official_one(db_url: str, cli: Any) -> None:
    """An admin's “gia vien” is the same Gia Viễn a citizen's “gia vien” is (one rule: match_commune)."""
    code, out = cli("officer", "add", "telegram:7", "--province", "ninh binh", "--commune", "xa gia vien", "--json")
    assert code == 0 and json.loads(out)["scopes"] == [["commune", "Gia Viễn|Ninh Bình"]]
    code, out = cli("group", "add", "Phường Hoa Lư", "--kind", "locality", "--province", "ninh binh",
                    "--commune", "hoa lu")  # fmt: skip
    assert code == 0
    names = {g["name"]: g for g in json.loads(cli("group", "list", "--json")[1])}
    assert set(names) == {"Gia Viễn, Ninh Bình", "Phường Hoa Lư"} and names["Phường Hoa Lư"]["commune"] == "Hoa Lư"


async def test_a_commune_typed_without_accents_is_the_officers_commune(db_url: str, cli: Any) -> None:
    """Lan typed “gia vien” before the commune's group existed (the official name at once), Bình typed
    “xa Gia Vien” after: both are in “Gia Viễn”, so a broadcast to the commune reaches them; a neighbouring
    commune is not merged in."""
    import aiohttp

    from tests.conftest import make_settings
    from tests.harness import WebUser, running_bot

    async def onboard(user: WebUser, commune: str) -> str:
        for text in ("/start", "dong y", "ninh binh", commune):
            await user.says(text)
        return user.all_text()

    async with running_bot(make_settings(db_url)) as bot, aiohttp.ClientSession() as http:
        lan, binh, an = WebUser(bot.url, http), WebUser(bot.url, http), WebUser(bot.url, http)
        await onboard(lan, "gia vien")
        assert "Đã lưu nơi ở: Gia Viễn, Ninh Bình" in lan.all_text()  # no group yet: the official name
        await onboard(an, "gia hung")
        code, out = await asyncio.to_thread(cli, "group", "add", "Xã Gia Viễn", "--kind", "locality",
                                            "--province", "ninh binh", "--commune", "Gia Viễn")  # fmt: skip
        assert code == 0, out
        assert "Đã lưu nơi ở: Gia Viễn, Ninh Bình" in await onboard(binh, "xa Gia Vien")
        async with bot.runtime.services.db.session() as s:
            gid = (await s.exec(select(Group.id).where(Group.name == "Xã Gia Viễn"))).one()
            cond = await outbox.groups_condition(s, [gid])  # who a broadcast to the group is for
            members = (await s.exec(select(User.display_name).where(cond))).all()
            communes = set((await s.exec(select(User.commune))).all())
        assert len(members) == 2  # Lan and Bình, not An
        assert communes == {"Gia Viễn", "Gia Hưng"}


def test_users_saved_before_the_commune_list_take_the_groups_spelling(db_url: str, cli: Any) -> None:
    """Users who onboarded before communes were matched to the official list kept what they typed (“Gia Vien”,
    “gia viễn”): the commune's group, once created, gives them its spelling, so a broadcast to the commune
    reaches them; another province's or another commune's users are left as they are."""

    async def seed(db: Database) -> None:
        async with db.session() as s:
            for i, (province, commune) in enumerate(
                [
                    ("Ninh Bình", "Gia Vien"),
                    ("Ninh Bình", "gia viễn"),
                    ("Ninh Bình", "Gia Hung"),
                    ("Hà Nam", "Gia Vien"),
                ]
            ):
                s.add(User(display_name=f"u{i}", province=province, commune=commune))
            await s.commit()

    on_db(db_url, seed)
    code, out = cli("group", "add", "Xã Gia Viễn", "--kind", "locality", "--province", "ninh binh",
                    "--commune", "gia vien")  # fmt: skip
    assert code == 0, out

    async def read(db: Database) -> list[tuple[str | None, str | None]]:
        async with db.session() as s:
            rows = (await s.exec(select(User.province, User.commune).order_by(col(User.display_name)))).all()
            return [(p, c) for p, c in rows]

    assert on_db(db_url, read) == [("Ninh Bình", "Gia Viễn"), ("Ninh Bình", "Gia Viễn"),
                                   ("Ninh Bình", "Gia Hung"), ("Hà Nam", "Gia Vien")]  # fmt: skip
