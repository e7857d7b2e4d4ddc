"""Rates of the learning-model roll-up: officers enter the households / units of their places per model and year
(CLI and dashboard, audited, in scope only); the report, its JSON, the dashboard, its overview charts and the
CSV/XLSX show recognised / households where that figure was entered, and “—” where it was not (one function:
rates.rate)."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.cli import main
from bot.db.models import AuditLog
from bot.web.dashboard.cache import cache_of
from handlers.learning_models import rates
from tests.harness import running_bot
from tests.test_learning_models import NOW, _seed_units


def test_the_rate_is_recognised_over_the_entered_households_and_nothing_without_them() -> None:
    assert rates.rate(1, 8) == 12.5 and rates.rate_text(1, 8) == "12,5%"
    assert rates.rate_text(1, 4) == "25%" and rates.rate_text(0, 7) == "0%" and rates.rate_text(3, 3) == "100%"
    assert rates.rate(1, None) is None and rates.rate_text(1, None) == "—" and rates.rate_text(0, 0) == "—"


def _gd(place: dict[str, object]) -> object:
    return place["models"]["gd"]  # type: ignore[index]


def test_report_shows_rates_where_households_were_entered(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_seed_units(db_url))
    monkeypatch.setenv("DATABASE_URL", db_url)
    den = ["report", "denominator", "--year", "2026", "--province", "ninh binh"]
    assert main([*den, "--commune", "Gia Viễn", "--model", "gd", "--count", "8"]) == 0
    assert "Đã ghi: Gia Viễn, Ninh Bình, Gia đình học tập năm 2026: 8 hộ/đơn vị." in capsys.readouterr().out
    assert main([*den, "--commune", "Kim Sơn", "--model", "gd", "--count", "5"]) == 0  # no unit there yet
    capsys.readouterr()
    assert main([*den, "--model", "xx", "--count", "5"]) == 2 and "Không có mô hình “xx”" in capsys.readouterr().err

    assert main(["report", "learning-models", "--year", "2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    nb = next(p for p in data["parts"] if p["name"] == "Ninh Bình")
    communes = {c["name"]: c for c in nb["parts"]}
    assert _gd(communes["Gia Viễn"]) == {"registered": 3, "assessed": 2, "recognised": 1, "denominator": 8,
                                         "rate": 12.5}  # fmt: skip
    assert _gd(communes["Kim Sơn"]) == {"registered": 0, "assessed": 0, "recognised": 0, "denominator": 5,
                                        "rate": 0.0}  # fmt: skip
    assert _gd(communes["Nho Quan"])["denominator"] is None  # type: ignore[index]
    assert _gd(nb)["rate"] is None and data["models"]["gd"]["rate"] is None  # Nho Quan's households missing
    assert communes["Gia Viễn"]["models"]["dv"]["rate"] is None

    assert main([*den, "--commune", "nho quan", "--model", "gd", "--count", "27"]) == 0
    assert "Đã ghi: Nho Quan, Ninh Bình" in capsys.readouterr().out  # spelled as typed elsewhere: matched
    assert main(["report", "learning-models", "--year", "2026", "--province", "Ninh Bình", "--json"]) == 0
    nb = json.loads(capsys.readouterr().out)
    assert _gd(nb) == {"registered": 4, "assessed": 2, "recognised": 1, "denominator": 40, "rate": 2.5}
    assert main([*den, "--model", "gd", "--count", "200"]) == 0  # the province's own figure wins over the sum
    out = tmp_path / "tonghop.csv"
    assert main(["report", "learning-models", "--year", "2026", "--province", "Ninh Bình", "--summary-csv",
                 str(out)]) == 0  # fmt: skip
    text = capsys.readouterr().out
    assert "Gia đình học tập: đăng ký 4 · xã xác nhận 2 · công nhận 1 · tỉ lệ 0,5% của 200 hộ/đơn vị" in text
    assert "Gia Viễn: Gia đình học tập 3/2/1 (12,5%) · Đơn vị học tập 1/0/0 (—)" in text
    assert "Kim Sơn: Gia đình học tập 0/0/0 (0%)" in text  # households entered, no unit yet
    lines = out.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == ("Cấp,Tỉnh/thành,Xã/phường,Mô hình,Số hộ/đơn vị trên địa bàn,Đăng ký,Xã xác nhận,Công nhận,"
                        "Tỉ lệ công nhận")  # fmt: skip
    assert 'Tỉnh,Ninh Bình,,Gia đình học tập,200,4,2,1,"0,5%"' in lines
    assert 'Xã,Ninh Bình,Gia Viễn,Gia đình học tập,8,3,2,1,"12,5%"' in lines
    assert "Xã,Ninh Bình,Gia Viễn,Đơn vị học tập,—,1,0,0,—" in lines
    assert main([*den, "--commune", "Kim Sơn", "--model", "gd", "--count", "0"]) == 0
    assert "Đã xoá số hộ/đơn vị của Kim Sơn, Ninh Bình" in capsys.readouterr().out


async def test_dashboard_officers_enter_households_in_scope_and_see_rates(db_url: str) -> None:
    from tests.test_dashboard_http import Dash, add_officer, client, link_for, settings_for

    await _seed_units(db_url)
    async with running_bot(settings_for(db_url)) as bot, client() as http:
        services = bot.runtime.services
        services.clock = lambda: NOW
        await add_officer(services.db, 7770001, "Gia Viễn")
        dash = Dash(bot.url, http)
        await dash.login(await link_for(bot, 7770001))
        html = await dash.get("/dashboard/learning-models?year=2026")
        assert 'id="denominator-form"' in html and '<option value="c:Ninh Bình|Gia Viễn">' in html
        assert 'data-model="gd">—</span>' in html  # nothing entered yet
        form = {"year": "2026", "place": "c:Ninh Bình|Gia Viễn", "model": "gd", "count": "8"}
        await dash.post("/dashboard/learning-models/denominators", form)
        html = await dash.get("/dashboard/learning-models?year=2026")
        assert 'data-model="gd">12,5% <span class="muted">của 8</span>' in html

        cache_of(services).clear()  # the overview's numbers are cached for a minute
        overview = await dash.get("/dashboard/")
        charts = overview.split('id="lm-charts"', 1)[1]
        registered, recognised = charts.split('id="chart-lm-recognised"', 1)
        assert '<span class="bar-label">Gia đình học tập</span>' in registered and '<b class="val">3</b>' in registered
        assert '<span class="bar-label">Gia đình học tập (12,5% của 8)</span>' in recognised  # the same rate
        assert '<span class="bar-label">Đơn vị học tập</span>' in recognised  # no households entered: no rate

        for place in ("c:Ninh Bình|Hoa Lư", "p:Ninh Bình"):  # another commune, the whole province: not theirs
            await dash.post("/dashboard/learning-models/denominators", {**form, "place": place}, status=403)
            await dash.get("/dashboard/learning-models?year=2026")
        await dash.post("/dashboard/learning-models/denominators", {**form, "count": "-3"}, status=400)
        assert "Hãy chọn nơi, mô hình và nhập số hộ/đơn vị" in dash.html

        async with http.get(bot.url + "/dashboard/learning-models/summary.csv?year=2026") as resp:
            assert resp.status == 200 and "mohinh-tonghop-2026" in resp.headers["Content-Disposition"]
            lines = (await resp.read()).decode("utf-8-sig").splitlines()
        assert 'Xã,Ninh Bình,Gia Viễn,Gia đình học tập,8,3,2,1,"12,5%"' in lines and "Hà Nội" not in "".join(lines)
        async with http.get(bot.url + "/dashboard/learning-models/summary.xlsx?year=2026") as resp:
            sheet = load_workbook(io.BytesIO(await resp.read())).active
        rows = [[c.value for c in r] for r in sheet.iter_rows()]
        assert rows[0][-1] == "Tỉ lệ công nhận"
        assert ["Xã", "Ninh Bình", "Gia Viễn", "Gia đình học tập", "8", "3", "2", "1", "12,5%"] in rows
        async with services.db.session() as s:
            log = [(a.action, a.allowed) for a in (await s.exec(select(AuditLog))).all() if "denominator" in a.action]
        assert log == [("mohinh.denominator", True), ("dashboard.mohinh.denominator", False),
                       ("dashboard.mohinh.denominator", False)]  # fmt: skip
