"""One typed settings object, read once from the environment and `.env` at start-up."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

UNVERIFIED_CHANNELS = frozenset({"web"})  # the web chat's session id is chosen by the browser: never an officer


class SettingsError(Exception):
    """A bad configuration value; the message names the variable."""


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    """Every knob of hocbot. Names match the environment variables in the README."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field("sqlite+aiosqlite:///./hocbot.db", validation_alias=_env("DATABASE_URL"))

    telegram_bot_token: SecretStr | None = Field(None, validation_alias=_env("TELEGRAM_BOT_TOKEN"))
    telegram_api_base_url: str = Field(
        "https://api.telegram.org/bot", validation_alias=_env("TELEGRAM_API_BASE_URL")
    )
    telegram_webhook_url: str | None = Field(None, validation_alias=_env("TELEGRAM_WEBHOOK_URL"))
    telegram_webhook_secret: SecretStr | None = Field(None, validation_alias=_env("TELEGRAM_WEBHOOK_SECRET"))

    zalo_bot_token: SecretStr | None = Field(None, validation_alias=_env("ZALO_BOT_TOKEN"))
    zalo_api_base_url: str = Field(
        "https://bot-api.zaloplatforms.com", validation_alias=_env("ZALO_API_BASE_URL")
    )
    zalo_webhook_url: str | None = Field(None, validation_alias=_env("ZALO_WEBHOOK_URL"))
    zalo_webhook_secret: SecretStr | None = Field(None, validation_alias=_env("ZALO_WEBHOOK_SECRET"))
    zalo_oa_app_id: str | None = Field(None, validation_alias=_env("ZALO_OA_APP_ID"))
    zalo_oa_secret_key: SecretStr | None = Field(None, validation_alias=_env("ZALO_OA_SECRET_KEY"))
    zalo_oa_webhook_secret: SecretStr | None = Field(None, validation_alias=_env("ZALO_OA_WEBHOOK_SECRET"))
    zalo_oa_refresh_token: SecretStr | None = Field(None, validation_alias=_env("ZALO_OA_REFRESH_TOKEN"))
    zalo_oa_api_base_url: str = Field(
        "https://openapi.zalo.me", validation_alias=_env("ZALO_OA_API_BASE_URL")
    )
    zalo_oa_oauth_base_url: str = Field(
        "https://oauth.zaloapp.com", validation_alias=_env("ZALO_OA_OAUTH_BASE_URL")
    )

    openai_api_key: SecretStr | None = Field(None, validation_alias=_env("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, validation_alias=_env("OPENAI_BASE_URL"))
    llm_model: str = Field("gpt-4o-mini", validation_alias=_env("HOCBOT_LLM_MODEL"))
    llm_timeout: float = Field(8.0, gt=0, validation_alias=_env("HOCBOT_LLM_TIMEOUT"))

    web_host: str = Field("127.0.0.1", validation_alias=_env("HOCBOT_WEB_HOST"))
    web_port: int = Field(8080, ge=0, le=65535, validation_alias=_env("HOCBOT_WEB_PORT"))
    public_url: str | None = Field(None, validation_alias=_env("HOCBOT_PUBLIC_URL"))
    secret_key: SecretStr | None = Field(None, validation_alias=_env("HOCBOT_SECRET_KEY"))
    trusted_proxies: str = Field("127.0.0.1,::1", validation_alias=_env("HOCBOT_TRUSTED_PROXIES"))

    timezone: str = Field("Asia/Ho_Chi_Minh", validation_alias=_env("HOCBOT_TIMEZONE"))
    broadcast_rate: float = Field(25.0, gt=0, validation_alias=_env("HOCBOT_BROADCAST_RATE"))
    zalo_broadcast_rate: float = Field(5.0, gt=0, validation_alias=_env("ZALO_BROADCAST_RATE"))
    per_chat_interval: float = Field(1.0, ge=0, validation_alias=_env("HOCBOT_PER_CHAT_INTERVAL"))
    admins: str = Field("", validation_alias=_env("HOCBOT_ADMINS"))

    quiet_hours: str = Field("21:00-07:00", validation_alias=_env("HOCBOT_QUIET_HOURS"))
    campaign_grace_hours: float = Field(6.0, ge=0, validation_alias=_env("HOCBOT_CAMPAIGN_GRACE_HOURS"))
    campaign_daily_cap: int = Field(1, ge=0, validation_alias=_env("HOCBOT_CAMPAIGN_DAILY_CAP"))
    run_migrations: bool = Field(True, validation_alias=_env("HOCBOT_RUN_MIGRATIONS"))

    metrics_token: SecretStr | None = Field(None, validation_alias=_env("HOCBOT_METRICS_TOKEN"))
    log_format: Literal["text", "json"] = Field("text", validation_alias=_env("HOCBOT_LOG_FORMAT"))

    @field_validator("log_format", mode="before")
    @classmethod
    def _log_format(cls, value: object) -> object:
        return value.strip().lower() or "text" if isinstance(value, str) else value

    @field_validator("metrics_token", mode="before")
    @classmethod
    def _metrics_token(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str) -> str:
        if value.strip():
            _parse_quiet(value)
        return value

    @field_validator("admins")
    @classmethod
    def _admins(cls, value: str) -> str:
        for item in filter(None, (v.strip() for v in value.split(","))):
            if ":" not in item:
                raise ValueError(f"{item!r} must look like channel:user_id, e.g. telegram:12345")
            if item.split(":", 1)[0].strip() in UNVERIFIED_CHANNELS:
                raise ValueError(f"{item!r}: tài khoản web không thể là quản trị (mã phiên do trình duyệt chọn)")
        return value

    @model_validator(mode="after")
    def _webhooks_have_secrets(self) -> Settings:
        """A webhook without its secret lets anyone who finds the URL speak as any user: refuse to start."""
        needs = [
            (self.telegram_bot_token and self.telegram_webhook_url, self.telegram_webhook_secret,
             "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_WEBHOOK_URL"),
            (self.zalo_bot_token and self.zalo_webhook_url, self.zalo_webhook_secret,
             "ZALO_WEBHOOK_SECRET", "ZALO_WEBHOOK_URL"),
            (self.zalo_oa_app_id and self.zalo_oa_secret_key, self.zalo_oa_webhook_secret,
             "ZALO_OA_WEBHOOK_SECRET", "ZALO_OA_APP_ID"),
        ]  # fmt: skip
        for enabled, secret, name, because in needs:
            if enabled and not (secret and secret.get_secret_value().strip()):
                raise ValueError(f"{name} chưa đặt — bắt buộc khi có {because} (thiếu nó ai cũng gửi giả được)")
        return self

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def admin_keys(self) -> set[tuple[str, str]]:
        pairs = (v.strip().split(":", 1) for v in self.admins.split(",") if v.strip())
        return {(c.strip(), u.strip()) for c, u in pairs}

    @property
    def trusted_proxy_set(self) -> frozenset[str]:
        return frozenset(p.strip() for p in self.trusted_proxies.split(",") if p.strip())

    @property
    def quiet_window(self) -> tuple[dt.time, dt.time] | None:
        return _parse_quiet(self.quiet_hours) if self.quiet_hours.strip() else None

    @property
    def llm_enabled(self) -> bool:
        return self.openai_api_key is not None

    @property
    def web_base_url(self) -> str:
        return (self.public_url or f"http://{self.web_host}:{self.web_port}").rstrip("/")


def _parse_quiet(value: str) -> tuple[dt.time, dt.time]:
    try:
        start, end = (dt.time.fromisoformat(p.strip()) for p in value.split("-"))
    except ValueError as exc:
        raise ValueError(f"{value!r} must look like 21:00-07:00") from exc
    return start, end


def load_settings(**overrides: object) -> Settings:
    """Read settings; a bad value raises SettingsError with one line naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        if not err["loc"]:  # a rule across variables: its message starts with the variable's name
            raise SettingsError(f"Cấu hình sai: {err['msg'].removeprefix('Value error, ')}") from None
        name = _env_name(str(err["loc"][0]))
        raise SettingsError(f"Cấu hình sai: {name} — {err['msg']}") from None


def _env_name(field: str) -> str:
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return field.upper()
