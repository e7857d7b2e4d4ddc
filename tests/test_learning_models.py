"""The five learning models: the criteria as data (content check), /mohinh for citizens (register, invite,
self-assess, what is missing, submit), /duyetmohinh for officers (scope, confirm / return with a reason /
recognise, the citizen told, audited), the roll-up and its export."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from bot.app import build_runtime
from bot.core.context import Services
from bot.core.delivery import SentInfo
from bot.core.messages import Inbound, Kind, Reply
from bot.db.models import AuditLog, User
from bot.db.models_learning import LessonProgress, QuizAttempt
from bot.db.models_learning_models import LearningUnit
from bot.db.models_officers import Broadcast, Delivery, Officer, OfficerScope
from content.catalog import DATA_DIR, check_catalog, load_catalog
from content.provinces import provinces
from handlers.learning_models import service
from tests.conftest import make_settings
from tests.harness import WebUser, running_bot
from tests.test_content import edit, errors_about

NOW = dt.datetime(2026, 3, 10, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the shipped content that a test may break."""
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    return root


# --- the criteria as data ------------------------------------------------------------------------------


def test_shipped_models_are_the_five_with_criteria_and_marked_as_an_example() -> None:
    lm = load_catalog().learning_models
    assert lm is not None
    ms = lm.set_for(2026)
    assert ms is not None and ms.example and ms.sources  # not the official text, and says what it follows
    names = [m.name for m in ms.models]
    assert names == ["Gia đình học tập", "Dòng họ học tập", "Cộng đồng học tập", "Đơn vị học tập",
                     "Công dân học tập"]  # fmt: skip
    kinds = {c.evidence for m in ms.models for c in m.criteria}
    assert kinds == {"self", "officer", "bot"}
    assert [m.id for m in ms.models if m.personal] == ["cn"]
    assert lm.set_for(2019) is ms  # a year before every set: the earliest national set


def test_a_province_replaces_the_set_from_a_year_without_code(data: Path) -> None:
    def add(doc: Any) -> None:
        own = json.loads(json.dumps(doc["sets"][0]))
        own.update(year=2027, province="Ninh Bình", example=False)
        own["models"][0]["criteria"][0]["text"] = "Tiêu chí riêng của Ninh Bình."
        doc["sets"].append(own)

    edit(data, "learning_models.yaml", add)
    lm = load_catalog(data).learning_models
    assert lm is not None
    own = lm.model("gd", 2028, "Ninh Bình")
    assert own is not None and own.criteria[0].text == "Tiêu chí riêng của Ninh Bình."
    assert lm.model("gd", 2026, "Ninh Bình").criteria[0].text != own.criteria[0].text  # type: ignore[union-attr]
    assert lm.model("gd", 2028, "Hà Nội").criteria[0].text != own.criteria[0].text  # type: ignore[union-attr]


def test_content_check_names_each_broken_criterion(data: Path) -> None:
    def broken(doc: Any) -> None:
        s0 = doc["sets"][0]
        s0["sources"].append("khong-co")
        gd = s0["models"][0]["criteria"]
        gd[0]["evidence"] = "bot"  # bot without a measure
        gd[1]["measure"] = "modules_done"  # a measure on a self-declared criterion
        gd[3]["measure"] = "course_complete"  # a learner's measure on a family
        s0["models"][1]["criteria"][0]["id"] = "gd1"  # used twice
        doc["sets"].append(dict(s0, example=False, sources=[]))  # the same year twice, official without source

    edit(data, "learning_models.yaml", broken)
    assert errors_about(data, "learning_models.yaml", "unknown source id 'khong-co'")
    assert errors_about(data, "learning_models.yaml", "criterion 'gd1'", "needs a measure")
    assert errors_about(data, "learning_models.yaml", "criterion 'gd2'", "only evidence bot has a measure")
    assert errors_about(data, "learning_models.yaml", "criterion 'gd4'", "does not fit model 'gd'")
    assert errors_about(data, "learning_models.yaml", "id 'gd1' is used twice")
    assert errors_about(data, "learning_models.yaml", "set 2025", "listed twice")
    assert errors_about(data, "learning_models.yaml", "official set names its sources")
    assert check_catalog().errors == []

    edit(data, "learning_models.yaml", lambda doc: doc["sets"][0]["models"][0]["criteria"][2].update(
        evidence="hàng xóm"))  # fmt: skip
    where = "set #1: model 'gd' criterion 'gd3' evidence"
    assert errors_about(data, "learning_models.yaml", where, "should match pattern")


# --- citizens and officers in chat ---------------------------------------------------------------------


class Person:
    """Someone talking to the real dispatcher on one channel."""

    def __init__(self, rt: Any, channel: str, key: str) -> None:
        self.rt, self.channel, self.key, self.n = rt, channel, key, 0
        self.replies: list[Reply] = []

    async def _send(self, msg: Inbound) -> str:
        async def send(reply: Reply) -> SentInfo:
            return SentInfo()

        self.n += 1
        self.replies = await self.rt.dispatcher.handle(msg, send)
        return self.text()

    async def says(self, text: str) -> str:
        command, args = None, ""
        if text.startswith("/"):
            command, _, args = text[1:].partition(" ")
        return await self._send(Inbound(self.channel, self.key, text=text, command=command, args=args,
                                        raw_id=f"{self.key}-{self.n}", display_name=self.key))  # fmt: skip

    async def press(self, payload: str) -> str:
        return await self._send(Inbound(self.channel, self.key, kind=Kind.CALLBACK, choice=payload,
                                        raw_id=f"{self.key}-{self.n}"))  # fmt: skip

    async def press_label(self, part: str) -> str:
        for c in self.buttons():
            if part.lower() in c[0].lower():
                return await self.press(c[1])
        raise AssertionError(f"no button {part!r} in {self.buttons()}")

    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    def buttons(self) -> list[tuple[str, str]]:
        return [(c.label, c.data) for r in self.replies for c in r.choices]

    async def onboard(self, province: str) -> None:
        await self.says("/start")
        await self.press("consent|y")
        idx = next(i for i, p in enumerate(provinces()) if p.name == province)
        await self.press(f"prov|{idx}")
        await self.press("commune|-")


async def _finish_module(services: Services, channel: str, key: str, module_id: str = "m1") -> None:
    """What the bot records when someone read every lesson of a module and passed its quiz."""
    async with services.db.session() as s:
        from bot.db import repo

        ident = await repo.find_identity(s, channel, key)
        assert ident is not None
        s.add(LessonProgress(user_id=ident.user_id, module_id=module_id, seen=5, completed_at=NOW))
        s.add(QuizAttempt(user_id=ident.user_id, module_id=module_id, question_ids="[]", score=100, total=8,
                          correct=8, finished_at=NOW))  # fmt: skip


async def _officer(services: Services, key: str, scope: tuple[str, str]) -> None:
    async with services.db.session() as s:
        o = Officer(channel="telegram", external_id=key, name="Cán bộ " + key)
        s.add(o)
        await s.flush()
        assert o.id is not None
        s.add(OfficerScope(officer_id=o.id, kind=scope[0], value=scope[1]))


async def _notices(services: Services, channel: str, key: str) -> list[str]:
    async with services.db.session() as s:
        from bot.db import repo

        ident = await repo.find_identity(s, channel, key)
        assert ident is not None
        stmt = select(Broadcast.text).join(Delivery, col(Delivery.broadcast_id) == col(Broadcast.id)).where(
            Delivery.user_id == ident.user_id).order_by(col(Broadcast.id))  # fmt: skip
        return list((await s.exec(stmt)).all())


async def test_a_family_registers_invites_self_assesses_and_the_commune_decides(services: Services) -> None:
    services.clock = lambda: NOW
    rt = build_runtime(services, with_platforms=False)
    an = Person(rt, "telegram", "an")
    await an.onboard("Ninh Bình")
    text = await an.says("/mohinh")
    assert "Mô hình học tập năm 2026" in text and "chưa đăng ký mô hình nào" in text
    labels = [b[0] for b in an.buttons()]
    assert "➕ Gia đình học tập" in labels and "👤 Công dân học tập" in labels and "🔑 Nhập mã mời" in labels
    await an.press_label("Gia đình học tập")
    assert "xã/phường nào" in an.text()  # skipped at onboarding: asked once, kept in the profile
    await an.says("xa gia vien")
    assert "gõ tên gia đình" in an.text()
    await an.says("x")
    assert "từ 2 đến 120 chữ" in an.text()  # bad input: a clear reply, nothing lost
    text = await an.says("Gia đình ông Nguyễn Văn An")
    assert "Đã đăng ký “Gia đình ông Nguyễn Văn An” (Gia đình học tập, Gia Viễn, Ninh Bình)" in text
    async with services.db.session() as s:
        unit = (await s.exec(select(LearningUnit))).one()
        assert unit.province == "Ninh Bình" and unit.commune == "Gia Viễn" and unit.year == 2026
        code = unit.invite_code
    assert code and f"/mohinh {code}" in text

    # a member joins with the code (another channel), and their learning counts as evidence
    binh = Person(rt, "zalo", "binh")
    await binh.onboard("Ninh Bình")
    assert "Không tìm thấy mã mời" in await binh.says("/mohinh ZZZZZZ")
    text = await binh.says(f"/mohinh {code.lower()}")
    assert "Bạn đã tham gia “Gia đình ông Nguyễn Văn An”" in text and "2 thành viên" in text
    assert "❌ Ít nhất 1 người trong gia đình hoàn thành một mô-đun" in text
    await _finish_module(services, "zalo", "binh")
    await an.press(f"lmv|{unit.id}")
    assert "✅ Ít nhất 1 người trong gia đình hoàn thành một mô-đun “Bình dân học AI” trên bot. (bot ghi nhận: 1/1)" \
        in an.text()  # fmt: skip

    # sending before answering is refused; then yes / yes / no criterion by criterion
    await an.press(f"lms|{unit.id}")
    assert "trả lời hết các tiêu chí tự khai" in an.text() and "3 tiêu chí" in an.text()
    await an.press(f"lma|{unit.id}")
    assert "Tiêu chí 1/3" in an.text() and [b[0] for b in an.buttons()] == ["✅ Đã đạt", "❌ Chưa đạt"]
    await an.press_label("Đã đạt")
    await an.press_label("Đã đạt")
    assert "Tiêu chí 3/3" in an.text()
    text = await an.press_label("Chưa đạt")
    assert "Còn thiếu 2 tiêu chí:" in text
    assert "• Gia đình có góc học tập" in text and "• Gia đình đạt danh hiệu “Gia đình văn hóa”" in text
    assert "được đánh dấu khi xã xác nhận" in text
    assert "❌ Gia đình có góc học tập" in text and "(tự khai)" in text
    assert "Chỉ người đăng ký" in await binh.press(f"lms|{unit.id}")
    assert "Đã gửi xã xác nhận" in await an.press(f"lms|{unit.id}")
    assert "không sửa được nữa" in await an.press(f"lma|{unit.id}")
    assert "Giấy chứng nhận có khi xã công nhận" in await an.press(f"lmc|{unit.id}")

    # an officer of another commune neither sees nor opens it; the refusal is audited
    await _officer(services, "o_other", ("commune", "Nho Quan|Ninh Bình"))
    await _officer(services, "o_gv", ("commune", "Gia Viễn|Ninh Bình"))
    other = Person(rt, "telegram", "o_other")
    assert "Chưa có hồ sơ nào" in await other.says("/duyetmohinh")
    assert "ngoài phạm vi" in await other.press(f"lmu|{unit.id}")
    assert "ngoài phạm vi" in await other.press(f"lmd|{unit.id}|confirm")
    assert "chỉ dành cho cán bộ" in await an.says("/duyetmohinh")

    officer = Person(rt, "telegram", "o_gv")
    text = await officer.says("/duyetmohinh")
    assert f"#{unit.id} Gia đình ông Nguyễn Văn An — Gia đình học tập, Gia Viễn, Ninh Bình: đạt 3/5" in text
    text = await officer.press(f"lmu|{unit.id}")
    assert "❌ Gia đình có góc học tập" in text
    assert [b[0] for b in officer.buttons()] == ["✅ Xác nhận", "↩️ Trả lại"]
    await officer.press(f"lmd|{unit.id}|return")
    assert "lý do trả lại" in officer.text()
    await officer.says("ok")
    assert "từ 3 đến 500 chữ" in officer.text()
    text = await officer.says("Cần ảnh góc học tập của gia đình")
    assert "Đã trả lại hồ sơ" in text
    assert await _notices(services, "telegram", "an") == [
        "↩️ Xã trả lại hồ sơ “Gia đình ông Nguyễn Văn An” (Gia đình học tập): Cần ảnh góc học tập của gia đình"
        "\nBạn bổ sung rồi gửi lại nhé."]  # fmt: skip
    text = await an.press(f"lmv|{unit.id}")
    assert "↩️ Xã trả lại: Cần ảnh góc học tập của gia đình" in text

    # fixed and sent again; confirmed, then recognised at year end
    await an.press(f"lma|{unit.id}")  # every criterion answered: from the first again
    await an.press_label("Đã đạt")
    await an.press_label("Đã đạt")
    await an.press_label("Đã đạt")
    await an.press(f"lms|{unit.id}")
    assert "Đã xác nhận hồ sơ" in await officer.press(f"lmd|{unit.id}|confirm")
    assert "không làm được việc này" in await officer.press(f"lmd|{unit.id}|confirm")
    assert "Đã xác nhận, chờ công nhận cuối năm (1)" in await officer.says("/duyetmohinh")
    assert "Đã công nhận “Gia đình ông Nguyễn Văn An”" in await officer.press(f"lmd|{unit.id}|recognise")
    notices = await _notices(services, "telegram", "an")
    assert notices[-1] == "🏅 Chúc mừng! “Gia đình ông Nguyễn Văn An” được công nhận danh hiệu “Gia đình học tập" \
        "” năm 2026."  # fmt: skip
    text = await an.press(f"lmv|{unit.id}")
    assert "🏅 đã được công nhận" in text and "🎉 Đã đạt đủ các tiêu chí." in text
    await an.press_label("Giấy chứng nhận")
    doc = an.replies[0].document
    assert doc is not None and doc.content.startswith(b"%PDF") and doc.filename.startswith("chung-nhan-MH-")
    assert "Mã xác minh: MH-" in an.text() and "/verify/MH-" in an.text()
    await binh.press(f"lmc|{unit.id}")  # every member may print it
    assert binh.replies[0].document is not None

    async with services.db.session() as s:
        actions = [(a.actor, a.action, a.allowed) for a in (await s.exec(select(AuditLog))).all()
                   if a.action.startswith("mohinh")]  # fmt: skip
        roll = await service.rollup(s, 2026)
    assert ("telegram:o_other", "mohinh.view", False) in actions
    assert ("telegram:o_other", "mohinh.confirm", False) in actions
    assert [a[1] for a in actions if a[0] == "telegram:o_gv"] == ["mohinh.return", "mohinh.confirm",
                                                                 "mohinh.recognise"]  # fmt: skip
    assert {k: v.to_json() for k, v in roll.items()} == {
        ("Ninh Bình", "Gia Viễn", "gd"): {"registered": 1, "assessed": 1, "recognised": 1}}


async def test_every_learner_is_offered_cong_dan_hoc_tap_filled_from_the_bot(services: Services) -> None:
    services.clock = lambda: NOW
    rt = build_runtime(services, with_platforms=False)
    chi = Person(rt, "telegram", "chi")
    await chi.onboard("Hà Nội")
    await _finish_module(services, "telegram", "chi")
    await chi.says("/mohinh")
    text = await chi.press_label("Công dân học tập")
    assert "Công dân học tập năm 2026" in text and "Mã mời" not in text
    assert "✅ Hoàn thành ít nhất 1 mô-đun “Bình dân học AI” trên bot. (bot ghi nhận: 1/1)" in text
    assert "❌ Hoàn thành cả khóa “Bình dân học AI” trên bot. (bot ghi nhận: 1/11)" in text
    await chi.says("/mohinh")
    assert "• chi — Công dân học tập: đang tự đánh giá" in chi.text()
    assert "👤 Công dân học tập" not in [b[0] for b in chi.buttons()]  # one per learner and year
    await chi.says("/xoadulieu")
    await chi.press("forget|y")
    async with services.db.session() as s:
        assert (await s.exec(select(LearningUnit))).all() == []


async def test_web_chat_numbers_the_buttons_and_registers_an_agency(db_url: str) -> None:
    async with running_bot(make_settings(db_url)) as bot, aiohttp.ClientSession() as http:
        lan = WebUser(bot.url, http)
        await lan.says("/start")
        await lan.says("1")
        await lan.says("ninh binh")
        await lan.says("Gia Viễn")
        await lan.says("/mohinh")
        assert "➕ Đơn vị học tập" in lan.buttons()
        await lan.press("Đơn vị học tập")
        await lan.says("Trường Tiểu học Gia Viễn")
        assert "Mã mời:" in lan.all_text()
        await lan.press("Tự đánh giá")
        assert "Tiêu chí 1/2" in lan.all_text()
        await lan.says("1")  # typed number = first button, as on platforms without buttons
        assert "Tiêu chí 2/2" in lan.all_text()
        await lan.says("1")
        await lan.press("Gửi xã")
        assert "Đã gửi xã xác nhận" in lan.all_text()
        assert "tin bot gửi sẽ hiện ở mục “🔔 Tin mới” khi bạn mở lại trang" in lan.all_text()  # web: no ringing
    async with bot.runtime.services.db.session() as s:
        users = (await s.exec(select(User))).all()
        unit = (await s.exec(select(LearningUnit))).one()
        assert unit.model == "dv" and unit.commune == "Gia Viễn" and len(users) == 1


# --- the roll-up ---------------------------------------------------------------------------------------


async def _seed_units(db_url: str) -> None:
    """Ninh Bình: Gia Viễn 3 families (1 recognised, 1 confirmed, 1 registered) and an agency; Nho Quan one
    family; Hà Nội one clan (recognised); plus a unit of another year."""
    from bot.app import build_services
    from bot.db.models_learning_models import CONFIRMED, RECOGNISED, REGISTERED

    services = await build_services(make_settings(db_url))
    try:
        async with services.db.session() as s:
            owner = User(display_name="=HYPERLINK(\"x\")")  # a name a spreadsheet would run: stays text
            s.add(owner)
            await s.flush()
            assert owner.id is not None
            nb, gv = "Ninh Bình", "Gia Viễn"
            rows = [("gd", 2026, nb, gv, RECOGNISED), ("gd", 2026, nb, gv, CONFIRMED), ("gd", 2026, nb, gv, REGISTERED),
                    ("dv", 2026, nb, gv, REGISTERED), ("gd", 2026, nb, "Nho Quan", REGISTERED),
                    ("dh", 2026, "Hà Nội", "Ba Đình", RECOGNISED), ("gd", 2025, nb, gv, RECOGNISED)]  # fmt: skip
            for i, (model, year, prov, commune, status) in enumerate(rows):
                name = owner.display_name if i == 0 else f"Đơn vị {i}"
                s.add(LearningUnit(model=model, year=year, name=name, province=prov, commune=commune,
                                   owner_user_id=owner.id, status=status, invite_code=f"C{i}",
                                   recognised_at=NOW if status == RECOGNISED else None))  # fmt: skip
    finally:
        await services.db.dispose()


def test_report_learning_models_per_commune_province_and_all_with_a_csv(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    from bot.cli import main

    asyncio.run(_seed_units(db_url))
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["report", "learning-models", "--year", "2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == 2026 and data["model_names"]["gd"] == "Gia đình học tập"
    no_rate = {"denominator": None, "rate": None}  # no households entered: no rate (tests/test_learning_rates.py)
    assert data["models"] == {"dh": {"registered": 1, "assessed": 1, "recognised": 1, **no_rate},
                              "dv": {"registered": 1, "assessed": 0, "recognised": 0, **no_rate},
                              "gd": {"registered": 4, "assessed": 2, "recognised": 1, **no_rate}}  # fmt: skip
    nb = next(p for p in data["parts"] if p["name"] == "Ninh Bình")
    gv = next(c for c in nb["parts"] if c["name"] == "Gia Viễn")
    assert gv["models"]["gd"] == {"registered": 3, "assessed": 2, "recognised": 1, **no_rate}
    assert nb["models"]["gd"] == {"registered": 4, "assessed": 2, "recognised": 1, **no_rate}

    out = tmp_path / "mohinh.csv"
    assert main(["report", "learning-models", "--year", "2026", "--province", "ninh binh", "--csv", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Mô hình học tập năm 2026 — Ninh Bình" in text
    assert "Gia đình học tập: đăng ký 4 · xã xác nhận 2 · công nhận 1 · tỉ lệ —" in text and "Hà Nội" not in text
    assert "Đã ghi 5 đơn vị" in text
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Mã,Năm,Mô hình,Tên,Tỉnh/thành,Xã/phường,Số thành viên,Trạng thái,Lý do trả lại,Ngày công nhận"
    assert any(",2026,Gia đình học tập,\"'=HYPERLINK(\"\"x\"\")\",Ninh Bình,Gia Viễn,0,Đã công nhận,,10/03/2026" in line
               for line in lines)  # fmt: skip
    assert main(["report", "learning-models", "--province", "Atlantis"]) == 2


# --- the dashboard -------------------------------------------------------------------------------------


async def test_dashboard_lists_units_in_scope_decides_and_exports(db_url: str) -> None:
    from bot.db.models import Identity
    from bot.db.models_learning_models import SUBMITTED, LearningUnitAnswer, LearningUnitMember
    from tests.test_dashboard_http import Dash, add_officer, client, link_for, settings_for

    async with running_bot(settings_for(db_url)) as bot, client() as http:
        services = bot.runtime.services
        services.clock = lambda: NOW
        db = services.db
        await add_officer(db, 7770001, "Gia Viễn")
        ids: dict[str, int] = {}
        async with db.session() as s:
            for key, commune in (("gv", "Gia Viễn"), ("hl", "Hoa Lư")):
                owner = User(display_name=f"Chủ hộ {key}", consent_at=NOW)
                s.add(owner)
                await s.flush()
                assert owner.id is not None
                ext = f"9{len(ids)}"
                s.add(Identity(user_id=owner.id, channel="telegram", external_id=ext, chat_id=ext))
                unit = LearningUnit(model="gd", year=2026, name=f"Gia đình {key}", province="Ninh Bình",
                                    commune=commune, owner_user_id=owner.id, invite_code=f"K{key}", status=SUBMITTED)
                s.add(unit)
                await s.flush()
                assert unit.id is not None
                ids[key] = unit.id
                s.add(LearningUnitMember(unit_id=unit.id, user_id=owner.id))
                s.add(LearningUnitAnswer(unit_id=unit.id, criterion="gd3", met=False))

        dash = Dash(bot.url, http)
        await dash.login(await link_for(bot, 7770001))
        html = await dash.get("/dashboard/learning-models?year=2026")
        assert 'id="nav-learning-models"' in html and 'data-page="learning-models"' in html
        assert f'data-unit-id="{ids["gv"]}"' in html and f'data-unit-id="{ids["hl"]}"' not in html  # scope
        assert "❌ Gia đình có góc học tập" in html and "đạt 0/5" in html
        assert 'data-commune="Gia Viễn"' in html and "1 / 0 / 0" in html and "Hoa Lư" not in html

        # another commune's unit: 403, audited; a return needs a reason
        await dash.post(f"/dashboard/learning-models/{ids['hl']}/confirm", {}, status=403)
        await dash.get("/dashboard/learning-models")
        await dash.post(f"/dashboard/learning-models/{ids['gv']}/return", {"reason": "x"}, status=400)
        assert "Lý do cần từ 3 đến 500 chữ" in dash.html and 'data-status="submitted"' in dash.html
        await dash.get("/dashboard/learning-models")
        await dash.post(f"/dashboard/learning-models/{ids['gv']}/return", {"reason": "Thiếu ảnh góc học tập"})
        html = await dash.get("/dashboard/learning-models?year=2026")
        assert "Lý do trả lại: Thiếu ảnh góc học tập" in html and 'data-status="returned"' in html
        async with db.session() as s:
            unit = await s.get(LearningUnit, ids["gv"])
            assert unit is not None
            unit.status = SUBMITTED  # the family fixed it and sent it again
            s.add(unit)
        await dash.get("/dashboard/learning-models?year=2026")
        await dash.post(f"/dashboard/learning-models/{ids['gv']}/confirm", {})
        await dash.get("/dashboard/learning-models?year=2026")
        await dash.post(f"/dashboard/learning-models/{ids['gv']}/recognise", {})
        html = await dash.get("/dashboard/learning-models?year=2026")
        assert "1 / 1 / 1" in html and "đã được công nhận" in html

        async with db.session() as s:
            recognised = await s.get(LearningUnit, ids["gv"])
            assert recognised is not None and recognised.cert_code
            code = recognised.cert_code
        async with http.get(f"{bot.url}/verify/{code.lower().replace('-', '')}") as resp:
            page = await resp.text()
        assert resp.status == 200 and "Gia đình gv" in page and "“Gia đình học tập” năm 2026" in page
        async with http.get(bot.url + "/verify/MH-AAAA-BBBB") as resp:
            assert resp.status == 404

        async with http.get(bot.url + "/dashboard/learning-models/export.csv?year=2026") as resp:
            assert resp.status == 200 and "mohinh-2026" in resp.headers["Content-Disposition"]
            lines = (await resp.read()).decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Mã,Năm,Mô hình,Tên") and len(lines) == 2  # only their commune
        assert "Gia đình gv" in lines[1] and "Đã công nhận" in lines[1] and "10/03/2026" in lines[1]

        async with http.get(bot.url + "/dashboard/learning-models/export.xlsx?year=2026") as resp:
            assert resp.status == 200 and resp.headers["Content-Disposition"].endswith('.xlsx"')
            sheet = load_workbook(io.BytesIO(await resp.read())).active
        assert [c.value for c in sheet[1]][:4] == ["Mã", "Năm", "Mô hình", "Tên"] and sheet.max_row == 2
        assert sheet["D2"].value == "Gia đình gv"

        async with db.session() as s:
            audit = [(a.action, a.allowed) for a in (await s.exec(select(AuditLog))).all() if "mohinh" in a.action]
            told = (await s.exec(select(Broadcast.text).where(Broadcast.created_by == "mohinh"))).all()
        assert ("dashboard.mohinh.confirm", False) in audit
        assert [a for a in audit if a[1]] == [("mohinh.return", True), ("mohinh.confirm", True),
                                              ("mohinh.recognise", True), ("dashboard.mohinh.export", True),
                                              ("dashboard.mohinh.export", True)]
        assert len(told) == 3 and "Thiếu ảnh góc học tập" in told[0] and "Chúc mừng" in told[2]


async def test_the_commune_sets_its_assessment_day_and_units_not_sent_are_reminded_once(services: Services) -> None:
    now = NOW
    services.clock = lambda: now
    rt = build_runtime(services, with_platforms=False)
    an, binh = Person(rt, "telegram", "an"), Person(rt, "telegram", "binh")
    units = []
    for person, name in ((an, "Gia đình An"), (binh, "Gia đình Bình")):
        await person.onboard("Ninh Bình")
        await person.says("/mohinh")
        await person.press("lmn|gd")
        await person.says("Đông Sơn")  # a capital Đ: compared the same way on SQLite and PostgreSQL
        await person.says(name)
    async with services.db.session() as s:
        units = list((await s.exec(select(LearningUnit).order_by(col(LearningUnit.id)))).all())
    assert [u.commune for u in units] == ["Đông Sơn", "Đông Sơn"]
    for criterion in ("gd1", "gd2", "gd3"):
        await binh.press(f"lmy|{units[1].id}|{criterion}|1")
    await binh.press(f"lms|{units[1].id}")  # Bình's family already sent it: no reminder

    await _officer(services, "o_ds", ("commune", "đông sơn|Ninh Bình"))
    officer = Person(rt, "telegram", "o_ds")
    assert "Gõ /ngaydanhgia NGÀY/THÁNG/NĂM" in await officer.says("/ngaydanhgia")
    assert "không hợp lệ" in await officer.says("/ngaydanhgia 31/02/2026")
    assert "đã qua" in await officer.says("/ngaydanhgia 01/03/2026")
    assert "Đã đặt ngày đánh giá 20/03/2026 cho: đông sơn, Ninh Bình" in await officer.says("/ngaydanhgia 20/03/2026")
    assert "chỉ dành cho cán bộ" in await an.says("/ngaydanhgia 20/03/2026")
    assert "📅 Xã đánh giá ngày 20/03/2026" in await an.press(f"lmv|{units[0].id}")

    assert await service.remind_due(services, NOW) == 0  # 10/03: ten days before
    now = NOW + dt.timedelta(days=4)  # 14/03: six days before
    assert await service.remind_due(services, now) == 1
    assert await service.remind_due(services, now + dt.timedelta(hours=1)) == 0  # once
    notices = await _notices(services, "telegram", "an")
    assert notices == ["📅 Xã sẽ đánh giá mô hình học tập ngày 20/03/2026. Hồ sơ “Gia đình An” (Gia đình học tập) "
                       "chưa gửi xã: bạn tự đánh giá rồi bấm “Gửi xã xác nhận” trước ngày đó nhé."]  # fmt: skip
    assert await _notices(services, "telegram", "binh") == []
    await officer.says("/ngaydanhgia 19/03/2026")  # a new date: reminded again for it
    assert await service.remind_due(services, now) == 1
