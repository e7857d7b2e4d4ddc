"""The command line as an officer meets it: its mistakes and its help in Vietnamese, and `campaign week-plan`
without --year plans the Week citizens see in /tuanle."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from bench.broadcast import seed_subscribers
from bot.cli import main
from bot.cli.parser import vietnamese
from bot.db.engine import Database
from bot.db.models import User
from tests.test_officer_first_day import cli  # noqa: F401  (fixture)
from tests.test_officers import on_db


def run_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    assert exc.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (("broadcast", "status"), "hocbot broadcast status: thiếu id"),
        (("broadcast", "status", "abc"), "'abc' không phải là số nguyên"),
        # a positional is named in Vietnamese, never by its internal name ("what", "b_cmd"), with its choices
        (("export", "foo"),
         "hocbot export: loại: không có lựa chọn 'foo' (chọn một trong: 'subscribers', 'deliveries')"),
        (("export",), "hocbot export: thiếu loại (chọn một trong: 'subscribers', 'deliveries')"),
        (("broadcast",), "hocbot broadcast: thiếu lệnh (chọn một trong: 'send', 'status', 'cancel')"),
        (("bogus",), "hocbot: lệnh: không có lựa chọn 'bogus' (chọn một trong: 'run', 'chat'"),
        (("stats", "--bogus"), "hocbot: không hiểu: --bogus"),
        (("week", "set", "--start", "2027-10-01"), "thiếu --year"),
    ],
)
def test_cli_mistakes_are_told_in_vietnamese(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...],
                                             said: str) -> None:
    err = run_error(capsys, *argv)
    assert said in err
    assert "error" not in err and "usage:" not in err and "required" not in err
    assert "cách dùng: hocbot" in err


def test_cli_help_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "cách dùng: hocbot" in out and "xem hướng dẫn này" in out and "ghi nhật ký chi tiết hơn" in out
    for english in ("usage:", "show this help message", "more logging", "positional arguments", "options:"):
        assert english not in out


def test_every_argparse_message_we_know_is_translated() -> None:
    assert vietnamese("argument --to: expected one argument") == "--to: cần một giá trị"
    assert vietnamese("ambiguous option: --t could match --to, --text") == (
        "tùy chọn --t chưa rõ, có thể là: --to, --text")


def test_week_plan_without_year_plans_the_week_tuanle_shows(cli: Any) -> None:  # noqa: F811
    code, out, err = cli("campaign", "week-plan")
    assert code == 0, err
    year = dt.date.today().year  # /tuanle: this year's Week until it ends, then next year's
    expected = year if dt.date.today() <= dt.date(year, 10, 7) else year + 1
    assert f"Đã tạo 9 lời nhắc cho Tuần lễ {expected}." in out
    code, out, err = cli("campaign", "week-plan")
    assert code == 2 and "Tuần lễ" in err  # the same year again is refused, as in the dashboard


def test_broadcast_send_says_what_it_did_in_a_sentence(db_url: str, cli: Any) -> None:  # noqa: F811
    """Like `officer add`: a sentence for the officer, JSON only with --json."""
    on_db(db_url, lambda db: seed_subscribers(db, 1, first_chat=4000))
    code, out, err = cli("broadcast", "send", "--to", "all", "--text", "Họp lớp AI", "--yes")
    assert code == 0, err
    assert out.strip() == ("Đã xếp hàng thông báo #1 cho 1 người nhận; `hocbot run` sẽ gửi. "
                           "Xem kết quả: hocbot broadcast status 1")
    code, out, err = cli("broadcast", "send", "--to", "all", "--text", "Họp lớp AI", "--yes", "--json")
    assert code == 0 and json.loads(out) == {"broadcast_id": 2, "recipients": 1}


def test_group_list_and_stats_name_the_week_group_as_the_dashboard_does(cli: Any) -> None:  # noqa: F811
    """The Week reminder group is “Nhắc Tuần lễ học tập suốt đời” in the dashboard and the export: the CLI shows
    that too, next to the name `--to` takes."""
    assert cli("campaign", "week-plan")[0] == 0  # makes the group
    code, out, _ = cli("group", "list")
    assert code == 0 and "tuanle (Nhắc Tuần lễ học tập suốt đời)\tquan tâm" in out
    code, out, _ = cli("stats")
    assert "  tuanle (Nhắc Tuần lễ học tập suốt đời) (quan tâm): 0" in out
    code, out, _ = cli("group", "list", "--json")
    assert json.loads(out)[0]["title"] == "Nhắc Tuần lễ học tập suốt đời"


def test_commands_that_change_something_say_it_in_a_sentence(cli: Any) -> None:  # noqa: F811
    """`campaign add`, `week set` and `week event add` answer the officer in Vietnamese, not with a JSON object."""
    code, out, err = cli("week", "set", "--year", "2027", "--start", "2027-10-01", "--end", "2027-10-07",
                         "--theme", "Học suốt đời")  # fmt: skip
    assert code == 0, err
    assert out.strip() == "Đã đặt Tuần lễ 2027: 01/10/2027 → 07/10/2027, chủ đề “Học suốt đời”."
    code, out, err = cli("week", "event", "add", "--title", "Ngày hội đọc sách", "--date", "2027-10-02",
                         "--province", "Ninh Bình")  # fmt: skip
    assert code == 0 and out.strip() == "Đã thêm hoạt động #1 “Ngày hội đọc sách” ngày 02/10/2027.", err
    code, out, err = cli("campaign", "add", "--name", "Nhắc học", "--to", "all", "--text", "Học bài mới nhé",
                         "--at", "2030-01-07T08:00")  # fmt: skip
    assert code == 0 and out.strip() == "Đã thêm lịch nhắc #1 “Nhắc học”; lần gửi tới: 2030-01-07 08:00.", err


def test_week_set_with_only_a_theme_keeps_the_dates(cli: Any) -> None:  # noqa: F811
    """The theme is announced late: an officer sets it alone, the Week keeps its days."""
    code, out, err = cli("week", "set", "--year", "2027", "--theme", "Học tập suốt đời trong kỷ nguyên số")
    assert code == 0, err
    assert out.strip() == ("Đã đặt Tuần lễ 2027: 01/10/2027 → 07/10/2027, "
                           "chủ đề “Học tập suốt đời trong kỷ nguyên số”.")
    assert cli("week", "set", "--year", "2027", "--start", "2027-10-02", "--end", "2027-10-08")[0] == 0
    code, out, _ = cli("week", "set", "--year", "2027", "--theme", "Chủ đề mới")
    assert "02/10/2027 → 08/10/2027" in out
    code, out, _ = cli("week", "set", "--year", "2027", "--start", "2027-10-01", "--end", "2027-10-07")
    assert out.strip() == "Đã đặt Tuần lễ 2027: 01/10/2027 → 07/10/2027, chủ đề “Chủ đề mới”."  # theme kept


def test_stats_counts_people_who_agreed_not_every_visitor(db_url: str, cli: Any) -> None:  # noqa: F811
    """A web visitor who opened the chat (or typed after /xoadulieu) without agreeing is not a user."""
    on_db(db_url, lambda db: seed_subscribers(db, 2, first_chat=5000))

    async def visitor(db: Database) -> None:
        async with db.session() as s:
            s.add(User(display_name=""))

    on_db(db_url, visitor)
    code, out, _ = cli("stats")
    assert code == 0 and "Người dùng (đã đồng ý): 2 · đang nhận tin: 2" in out
