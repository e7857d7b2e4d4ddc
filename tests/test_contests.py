"""Contests of the Week: an officer creates one for their unit inside the Week (CLI), citizens take it once with
a timer per question (web chat: numbered answers, the timer checked by the server), leaderboards per commune
and province show names only with consent, winners get a certificate, results export with Vietnamese headers."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from bot.app import build_runtime
from bot.core.context import Services
from bot.db import repo
from bot.db.models import AuditLog, User
from bot.db.models_contests import Contest, ContestAnswer, ContestAttempt
from content.catalog import default_catalog
from handlers.contests import board, service
from handlers.officers.scope import CLI_ADMIN, OfficerInfo
from tests.conftest import make_settings
from tests.harness import WebUser, running_bot
from tests.test_learning import web_onboard
from tests.test_learning_models import Person

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CATALOG = default_catalog()
QIDS = ["m1q1", "m1q2", "m1q3"]
NB, GV = "Ninh Bình", "Gia Viễn"


def local(d: int, h: int = 9, m: int = 0, s: int = 0, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, d, h, m, s, tzinfo=TZ).astimezone(dt.UTC)


async def make_contest(services: Services, *, province: str | None = NB, commune: str | None = None,
                       seconds: int = 20, winners: int = 3, officer: OfficerInfo = CLI_ADMIN) -> int:  # fmt: skip
    async with services.db.session() as s:
        c = await service.create(s, services.catalog, officer, title="Rung chuông vàng số", question_ids=QIDS,
                                 opens=local(2), closes=local(6, 20), seconds=seconds, tz=TZ, province=province,
                                 commune=commune, winners=winners)  # fmt: skip
        assert c.id is not None
        return c.id


def option_for(question_text: str, right: bool) -> int:
    """The 0-based option that is right (or wrong) for the question shown (“Câu 1/3 (20 giây). …”)."""
    q = next(q for q in (CATALOG.question(i) for i in QIDS) if q and q.question in question_text)
    return q.correct[0] if right else next(i for i in range(len(q.options)) if i not in q.correct)


# -- officers: the Week, the unit, the command line -------------------------------------------------------------
def test_an_officer_creates_a_contest_for_their_own_unit_inside_the_week_from_the_cli(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import asyncio

    from bot.cli import main

    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["officer", "add", "telegram:42", "--province", NB, "--commune", GV]) == 0
    capsys.readouterr()
    base = ["contest", "add", "--title", "Rung chuông vàng số", "--modules", "m1", "--officer", "telegram:42",
            "--seconds", "20"]  # fmt: skip
    week = ["--opens", "2026-10-02T08:00", "--closes", "2026-10-06T20:00"]

    assert main([*base, *week, "--province", "Hà Nội"]) == 2  # another unit: refused, audited
    assert "ngoài phạm vi" in capsys.readouterr().err
    assert main([*base, "--opens", "2026-09-30T08:00", "--closes", "2026-10-03T20:00"]) == 2
    assert "Tuần lễ học tập năm 2026 (01/10 – 07/10)" in capsys.readouterr().err
    assert main([*base, *week, "--seconds", "2"]) == 2
    assert "từ 5 đến 600 giây" in capsys.readouterr().err
    assert main(["contest", "add", "--title", "Thi", "--modules", "m99", *week[:0], *week]) == 2
    assert "mô-đun “m99”" in capsys.readouterr().err

    assert main([*base, *week, "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["province"] == NB and made["commune"] == GV and made["questions"] == len(CATALOG.questions("m1"))
    assert main(["contest", "list"]) == 0
    listed = capsys.readouterr().out
    assert f"#{made['contest_id']} Rung chuông vàng số — {GV}, {NB} — 08:00 02/10/2026 đến 20:00 06/10/2026" in listed

    async def refusals() -> list[AuditLog]:
        from bot.db.engine import Database

        db = Database(db_url)
        try:
            async with db.session() as s:
                q = select(AuditLog).where(AuditLog.action == "contest.add")
                return list((await s.exec(q.order_by(col(AuditLog.id)))).all())
        finally:
            await db.dispose()

    # the Week an officer set for a year (`hocbot week set`) is the one contests must fit in
    later = ["--opens", "2027-10-09T08:00", "--closes", "2027-10-10T20:00"]
    assert main([*base, *later]) == 2 and "(01/10 – 07/10)" in capsys.readouterr().err
    assert main(["week", "set", "--year", "2027", "--start", "2027-10-05", "--end", "2027-10-11"]) == 0
    capsys.readouterr()
    assert main([*base, *later]) == 0 and "20:00 10/10/2027" in capsys.readouterr().out

    out = tmp_path / "ket-qua.csv"
    assert main(["contest", "results", str(made["contest_id"]), "--csv", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"contest_id": made["contest_id"], "rows": [], "winners": []}
    assert out.read_text(encoding="utf-8-sig").startswith("Hạng,Người thi,Tỉnh/thành,Xã/phường,Số câu đúng")
    assert main(["contest", "results", "999"]) == 1 and "Không có cuộc thi #999" in capsys.readouterr().err

    logged = asyncio.run(refusals())
    assert [a.allowed for a in logged] == [False, True, True] and "Hà Nội" in logged[0].detail


async def test_a_commune_officer_cannot_create_a_contest_for_another_unit(services: Services) -> None:
    officer = OfficerInfo("telegram:42", "officer", "Cán bộ", 1, [("commune", f"{GV}|{NB}")])
    with pytest.raises(service.ContestError, match="ngoài phạm vi"):
        await make_contest(services, province=NB, commune="Nho Quan", officer=officer)
    with pytest.raises(service.ContestError, match="chưa được giao"):
        await make_contest(services, province=None, officer=OfficerInfo("telegram:43", "officer", "Không nơi"))
    cid = await make_contest(services, province=None, officer=officer)  # their own commune by default
    async with services.db.session() as s:
        c = await s.get(Contest, cid)
        assert c is not None and (c.province, c.commune, c.year) == (NB, GV, 2026)


# -- citizens: web chat, numbered answers, the timer, one attempt -------------------------------------------------
async def test_web_chat_numbered_answers_a_timer_a_late_answer_and_one_attempt(db_url: str) -> None:
    now = [local(3, 9)]
    async with running_bot(make_settings(db_url)) as bot, aiohttp.ClientSession() as http:
        services = bot.runtime.services
        services.clock = lambda: now[0]
        cid = await make_contest(services, seconds=20)
        lan = WebUser(bot.url, http)
        await web_onboard(lan)
        await lan.says("/thi")
        assert "Hiện chưa có cuộc thi nào đang mở" in lan.all_text()  # no province chosen yet: not for her
        assert "/caidat" in lan.all_text()
        async with services.db.session() as s:
            user = (await s.exec(select(User).order_by(col(User.id).desc()))).first()
            assert user is not None
            user.province = NB

        await lan.says("/thi")
        assert "Rung chuông vàng số" in lan.all_text() and "3 câu, mỗi câu 20 giây" in lan.all_text()
        await lan.press("Bắt đầu thi")
        assert lan.last_reply() == "Hiện tên bạn trên bảng xếp hạng?"
        await lan.press("Không, ẩn tên")
        first = lan.replies[-1]
        assert "Bảng xếp hạng sẽ ẩn tên bạn" in lan.all_text() and first["text"].startswith("Câu 1/3 (20 giây).")
        assert len(first["choices"]) >= 2  # numbered answers in the web chat

        now[0] += dt.timedelta(seconds=5)
        await lan.says(str(option_for(first["text"], right=True) + 1))  # a typed number answers
        assert lan.replies[0]["text"] == "✅ Đúng!" and lan.last_reply().startswith("Câu 2/3")

        now[0] += dt.timedelta(seconds=31)  # past the 20 seconds (and the 2 s of network slack)
        await lan.says("1")
        assert lan.replies[0]["text"] == "⏰ Hết giờ: câu 2 tính là chưa trả lời."
        assert lan.last_reply().startswith("Câu 3/3")

        now[0] += dt.timedelta(seconds=3)
        await lan.says(str(option_for(lan.last_reply(), right=False) + 1))
        assert lan.replies[0]["text"] == "❌ Chưa đúng."
        assert "🏁 Xong! Bạn đúng 1/3 câu, thời gian 28,0 giây." in lan.all_text()
        assert "Hạng hiện tại: 1/1 ở Ninh Bình." in lan.all_text()

        await lan.says("/thi")  # one attempt per person
        assert "Bạn đã thi “Rung chuông vàng số” rồi: đúng 1/3 câu, 28,0 giây." in lan.all_text()
        await lan.press("Bảng xếp hạng")
        assert "1. Người học #**" in lan.all_text() and "(bạn)" in lan.all_text()
        async with services.db.session() as s:
            attempt = (await s.exec(select(ContestAttempt).where(ContestAttempt.contest_id == cid))).one()
            answers = (await s.exec(select(ContestAnswer).order_by(col(ContestAnswer.index)))).all()
        assert (attempt.correct, attempt.total_ms) == (1, 28000)
        assert [(a.correct, a.late, a.option >= 0, a.ms) for a in answers] == [
            (True, False, True, 5000), (False, True, False, 20000), (False, False, True, 3000)]  # fmt: skip

        now[0] = local(7, 9)  # the contest has closed: she is in the top three, her certificate verifies
        await lan.says("/thi")
        await lan.press("Kết quả: Rung chuông vàng số")
        assert "🎉 Chúc mừng! Bạn đứng hạng 1" in lan.all_text()
        await lan.says("1")  # “Nhận chứng nhận”, the only numbered choice
        doc = lan.replies[-1]["document"]
        code = doc["filename"][len("chung-nhan-"):-len(".pdf")]
        assert code.startswith("TH-") and base64.b64decode(doc["data"]).startswith(b"%PDF")
        async with http.get(f"{bot.url}/verify/{code.lower()}") as resp:
            page = await resp.text()
        assert resp.status == 200 and "đạt hạng 1 cuộc thi “Rung chuông vàng số” (Ninh Bình)" in page


# -- leaderboards, consent, winners, export -------------------------------------------------------------------
async def _play(p: Person, services: Services, now: list[dt.datetime], right: int, secs: int, show: bool) -> None:
    await p.says("/thi")
    await p.press_label("Bắt đầu thi")
    await p.press_label("Có, hiện tên" if show else "Không, ẩn tên")
    for i in range(len(QIDS)):
        now[0] += dt.timedelta(seconds=secs)
        question = p.replies[-1]
        k = option_for(question.text, right=i < right)
        await p.press(next(c.data for c in question.choices if c.data.endswith(f"|{k}")))


async def _place(services: Services, key: str, province: str, commune: str, name: str) -> None:
    async with services.db.session() as s:
        ident = await repo.find_identity(s, "telegram", key)
        assert ident is not None
        user = await s.get(User, ident.user_id)
        assert user is not None
        user.province, user.commune, user.display_name = province, commune, name


async def test_leaderboards_per_commune_and_province_show_names_only_with_consent(
    services: Services, tmp_path: Path
) -> None:
    now = [local(4, 10)]
    services.clock = lambda: now[0]
    rt = build_runtime(services, with_platforms=False)
    cid = await make_contest(services, seconds=30, winners=2)
    people = {key: Person(rt, "telegram", key) for key in ("an", "binh", "cuong")}
    places = {"an": (GV, "Nguyễn Văn An"), "binh": (GV, "Trần Thị Bình"), "cuong": ("Nho Quan", "Lê Văn Cường")}
    for key, p in people.items():
        await p.onboard(NB)
        await _place(services, key, NB, *places[key])
    await _play(people["an"], services, now, right=3, secs=4, show=True)
    await _play(people["binh"], services, now, right=3, secs=3, show=False)  # as many right, faster: first
    await _play(people["cuong"], services, now, right=1, secs=2, show=True)

    binh = people["binh"]
    await binh.press_label("Bảng xếp hạng")
    text = binh.text()
    gv_board, nb_board = text.split("\n\n")[:2]
    assert gv_board.startswith(f"🏅 Rung chuông vàng số — {GV}, {NB}") and "Lê Văn Cường" not in gv_board
    assert "1. Người học #**" in gv_board and "(bạn)" in gv_board
    assert "2. Nguyễn Văn An — 3/3 câu, 12,0 giây" in gv_board
    assert "3. Lê Văn Cường — 1/3 câu" in nb_board
    assert "Trần Thị Bình" not in text  # she said no: her name is never shown
    assert "Nhận chứng nhận" not in " ".join(c for c, _ in binh.buttons())  # not before the contest closes

    now[0] = local(6, 21)  # closed: the top two get a certificate
    await binh.says("/thi")
    assert "Hiện chưa có cuộc thi nào đang mở" in binh.text()
    await binh.press_label("Kết quả: Rung chuông vàng số")
    assert "🎉 Chúc mừng! Bạn đứng hạng 1" in binh.text()
    await binh.press_label("Nhận chứng nhận")
    doc = binh.replies[-1].document
    assert doc is not None and doc.content.startswith(b"%PDF") and doc.filename.startswith("chung-nhan-TH-")
    cuong = people["cuong"]
    await cuong.says("/thi")
    assert "Hiện chưa có cuộc thi nào đang mở" in cuong.text()
    await cuong.press(f"ctr|{cid}")
    assert "Chứng nhận dành cho 2 người đứng đầu" in cuong.text()

    async with services.db.session() as s:
        contest = await s.get(Contest, cid)
        assert contest is not None
        rows = await board.export_rows(s, contest, TZ)
        found = await board.by_cert_code(s, doc.filename[len("chung-nhan-"):-4].lower())
    assert found is not None and found[2].display_name == "Trần Thị Bình"
    from bot.web.dashboard import exports
    from handlers.contests import texts as t

    body = exports.csv_chunk(rows, header=True, columns=t.EXPORT_HEADER).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0] == ["Hạng", "Người thi", "Tỉnh/thành", "Xã/phường", "Số câu đúng", "Số câu", "Thời gian (giây)",
                        "Xong lúc", "Mã chứng nhận"]  # fmt: skip
    assert [r[1] for r in table[1:]][1:] == ["Nguyễn Văn An", "Lê Văn Cường"] and table[1][1].startswith("Người học #")
    assert table[1][8].startswith("TH-") and table[2][8] == ""
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(rows, "Cuoc thi", t.EXPORT_HEADER, t.EXPORT_WIDTHS))).active
    assert sheet is not None and sheet["A1"].value == "Hạng" and sheet["B3"].value == "Nguyễn Văn An"


# -- ways in: the Week announcement and a campaign ------------------------------------------------------------
async def test_the_week_announcement_and_a_campaign_lead_to_the_contest(services: Services) -> None:
    from bot.db.models_officers import Broadcast
    from handlers.week import campaign_store as store
    from handlers.week.campaigns import tick

    now = [local(1, 8)]
    services.clock = lambda: now[0]
    rt = build_runtime(services, with_platforms=False)
    await make_contest(services)  # opens on 2 October, 09:00
    thu = Person(rt, "telegram", "thu")
    await thu.onboard(NB)
    await thu.says("/tuanle")
    assert "Vào thi" not in " ".join(label for label, _ in thu.buttons())  # not open yet

    async with services.db.session() as s:
        c = await store.add_campaign(s, services.settings, now[0], name="Thi Tuần lễ", to="all", kind="once",
                                     text="🏆 Cuộc thi Rung chuông vàng số đã mở!", at=local(2, 9, 5),
                                     button="contest")  # fmt: skip
        assert c.id is not None
    now[0] = local(2, 9, 5)
    [fired] = await tick(services, now[0])
    assert fired.status == "sent" and fired.queued == 1
    async with services.db.session() as s:
        b = (await s.exec(select(Broadcast).where(Broadcast.campaign_id == c.id))).one()
    assert (b.button_label, b.button_data) == ("🏆 Vào thi", "ctl")
    await thu.press(b.button_data)  # the reminder's button
    assert "Rung chuông vàng số" in thu.text() and "3 câu, mỗi câu 20 giây" in thu.text()

    await thu.says("/tuanle")
    await thu.press_label("Vào thi")  # the Week announcement's button while the contest is open
    assert "Rung chuông vàng số" in thu.text() and "Bắt đầu thi" in " ".join(label for label, _ in thu.buttons())


# -- the dashboard ----------------------------------------------------------------------------------------------
async def test_dashboard_creates_a_contest_in_scope_shows_the_board_and_exports(db_url: str) -> None:
    from bot.db.models_contests import ContestAttempt as Attempt
    from tests.test_dashboard_http import Dash, add_officer, client, link_for, settings_for

    async with running_bot(settings_for(db_url)) as bot, client() as http:
        services = bot.runtime.services
        services.clock = lambda: local(1, 8)
        await add_officer(services.db, 7770001, GV)
        theirs = await make_contest(services, commune="Hoa Lư")  # another commune's contest
        dash = Dash(bot.url, http)
        await dash.login(await link_for(bot, 7770001))
        html = await dash.get("/dashboard/contests")
        assert 'id="nav-contests"' in html and 'id="contests-empty"' in html  # not the other commune's
        form = [("title", "Rung chuông vàng số"), ("module", "m1"), ("opens", "2026-10-02T08:00"),
                ("closes", "2026-10-06T20:00"), ("seconds", "20"), ("winners", "2")]  # fmt: skip
        await dash.post("/dashboard/contests", [*form, ("province", "Hà Nội")], status=400)
        assert "ngoài phạm vi" in dash.html
        await dash.get("/dashboard/contests")
        await dash.post("/dashboard/contests", [*form[:2], ("opens", "2026-09-28T08:00"), *form[3:]], status=400)
        assert "nằm trong Tuần lễ học tập năm 2026" in dash.html
        await dash.get("/dashboard/contests")
        resp = await dash.post("/dashboard/contests", form)
        mine = int(resp.headers["Location"].rsplit("/", 1)[1])
        await dash.get(f"/dashboard/contests/{theirs}", status=403)

        async with services.db.session() as s:
            c = await s.get(Contest, mine)
            assert c is not None and (c.province, c.commune, c.seconds, c.winners) == (NB, GV, 20, 2)
            for i, (name, show) in enumerate((("Nguyễn Văn An", True), ("Trần Thị Bình", False))):
                u = User(display_name=name, show_name=show, consent_at=local(1), province=NB, commune=GV)
                s.add(u)
                await s.flush()
                assert u.id is not None
                s.add(Attempt(contest_id=mine, user_id=u.id, question_ids=json.dumps(QIDS), index=3, correct=3 - i,
                              total_ms=9000, province=NB, commune=GV, finished_at=local(3)))  # fmt: skip
            refused = (await s.exec(select(AuditLog).where(col(AuditLog.allowed).is_(False)))).all()
        assert {a.action for a in refused} >= {"contest.add", "dashboard.contest.view"}
        html = await dash.get(f"/dashboard/contests/{mine}")
        assert 'data-rank="1"' in html and "Nguyễn Văn An" in html and "Trần Thị Bình" not in html
        assert "Người học #**" in html and "(ẩn tên)" in html
        async with http.get(f"{bot.url}/dashboard/contests/{mine}/export.csv") as r:
            body = (await r.read()).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(body)))
        assert rows[0][:3] == ["Hạng", "Người thi", "Tỉnh/thành"] and rows[1][1] == "Nguyễn Văn An"
        assert rows[2][1].startswith("Người học #**")
        async with http.get(f"{bot.url}/dashboard/contests/{mine}/export.xlsx") as r:
            sheet = load_workbook(io.BytesIO(await r.read())).active
        assert sheet is not None and sheet["B1"].value == "Người thi" and sheet["E2"].value == "3"


async def test_skipping_counts_the_whole_time_and_deleting_my_data_removes_my_attempt(services: Services) -> None:
    now = [local(3, 15)]
    services.clock = lambda: now[0]
    rt = build_runtime(services, with_platforms=False)
    await make_contest(services, seconds=10)
    mai = Person(rt, "telegram", "mai")
    await mai.onboard(NB)
    await mai.says("/thi")
    await mai.press_label("Bắt đầu thi")
    await mai.press_label("Không, ẩn tên")
    now[0] += dt.timedelta(seconds=1)
    skip = next(r.quiz for r in mai.replies if r.quiz is not None).buttons[0]  # “Câu tiếp” under the poll
    await mai.press(skip.data)
    assert mai.replies[0].text == "⏭ Bỏ qua câu 1." and mai.replies[-1].text.startswith("Câu 2/3")
    await mai.press(skip.data)  # the same old button again: nothing is scored twice
    assert mai.text() == "Câu này đã qua."
    async with services.db.session() as s:
        attempt = (await s.exec(select(ContestAttempt))).one()
        assert (attempt.index, attempt.total_ms, attempt.correct) == (1, 10000, 0)

    await mai.says("/xoadulieu")
    await mai.press("forget|y")
    async with services.db.session() as s:
        assert (await s.exec(select(ContestAttempt))).all() == []
        assert (await s.exec(select(ContestAnswer))).all() == []


async def test_the_rank_told_at_the_end_is_the_leaderboards_rank_ties_included(services: Services) -> None:
    cid = await make_contest(services)
    scores = [(3, 9000, 1), (3, 9000, 0), (3, 8000, 2), (2, 1000, 0), (3, 9000, 0), (0, 60000, 3)]
    async with services.db.session() as s:
        for i, (correct, ms, minute) in enumerate(scores):
            u = User(display_name=f"Người {i}", consent_at=local(1), province=NB, commune=GV if i % 2 else "Nho Quan")
            s.add(u)
            await s.flush()
            assert u.id is not None
            s.add(ContestAttempt(contest_id=cid, user_id=u.id, question_ids=json.dumps(QIDS), index=3,
                                 correct=correct, total_ms=ms, province=NB, commune=u.commune,
                                 finished_at=local(3, 9, minute)))  # fmt: skip
        for province, commune in ((NB, None), (NB, GV), (NB, "nho quan")):
            rows = await board.ranking(s, cid, province, commune)
            assert len(rows) == (6 if commune is None else 3)
            for r in rows:
                assert await board.rank_of(s, r.attempt, province, commune) == (r.rank, len(rows))
        top = await board.ranking(s, cid, NB)
    assert [(r.attempt.correct, r.attempt.total_ms) for r in top][:4] == [(3, 8000), (3, 9000), (3, 9000), (3, 9000)]
    assert top[1].attempt.id is not None and top[2].attempt.id is not None and top[1].attempt.id < top[2].attempt.id


async def test_an_attempt_left_unfinished_is_scored_as_it_stands_when_the_contest_closes(services: Services) -> None:
    from handlers.contests import timer

    now = [local(6, 19, 50)]
    services.clock = lambda: now[0]
    rt = build_runtime(services, with_platforms=False)
    cid = await make_contest(services, seconds=20)  # closes at 20:00
    son = Person(rt, "telegram", "son")
    await son.onboard(NB)
    await son.says("/thi")
    await son.press_label("Bắt đầu thi")
    await son.press_label("Không, ẩn tên")
    now[0] += dt.timedelta(seconds=5)
    q = son.replies[-1]
    k = option_for(q.text, right=True)
    await son.press(next(c.data for c in q.choices if c.data.endswith(f"|{k}")))
    assert son.replies[0].text == "✅ Đúng!"  # then he leaves: questions 2 and 3 are never answered

    assert await timer.close_left(services) == 0  # still open
    now[0] = local(6, 20, 0, 10)  # closed, and question 2's time has run out
    assert await timer.close_left(services) == 1
    assert await timer.close_left(services) == 0
    async with services.db.session() as s:
        attempt = (await s.exec(select(ContestAttempt))).one()
        rows = await board.ranking(s, cid, NB)
    assert attempt.finished_at is not None and (attempt.correct, attempt.total_ms) == (1, 5000 + 2 * 20000)
    assert [r.attempt.id for r in rows] == [attempt.id]
    await son.says("/thi")
    await son.press_label("Kết quả: Rung chuông vàng số")
    assert "🎉 Chúc mừng! Bạn đứng hạng 1" in son.text()
