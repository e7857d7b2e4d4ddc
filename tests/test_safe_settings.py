"""Ways in that must be closed by configuration: webhooks without secrets, web chat accounts as admins."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.settings import SettingsError, load_settings


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_WEBHOOK_URL": "https://bot.example.vn/tg/x"},
         "TELEGRAM_WEBHOOK_SECRET"),
        ({"ZALO_BOT_TOKEN": "123:abc", "ZALO_WEBHOOK_URL": "https://bot.example.vn/zalo/x"}, "ZALO_WEBHOOK_SECRET"),
        ({"ZALO_OA_APP_ID": "255", "ZALO_OA_SECRET_KEY": "app-secret"}, "ZALO_OA_WEBHOOK_SECRET"),
    ],
)  # fmt: skip
def test_webhook_mode_refuses_to_start_without_its_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str], missing: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///:memory:")
    with pytest.raises(SettingsError, match=missing):
        load_settings(_env_file=None)
    assert main(["run"]) == 2  # refused before anything starts
    err = capsys.readouterr().err.strip()
    assert missing in err and "chưa đặt" in err
    assert "\n" not in err and "Traceback" not in err
    monkeypatch.setenv(missing, "   ")  # blank is no secret either
    with pytest.raises(SettingsError, match=missing):
        load_settings(_env_file=None)
    monkeypatch.setenv(missing, "s3cr3t_TOKEN-1")
    load_settings(_env_file=None)


def test_web_chat_accounts_can_never_be_admins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOCBOT_ADMINS", "telegram:1, web:webOfficer_01")
    with pytest.raises(SettingsError, match="HOCBOT_ADMINS") as err:
        load_settings(_env_file=None)
    assert "web:webOfficer_01" in str(err.value)
