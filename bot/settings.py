"""One typed settings object, read once from the environment and `.env` at start-up."""

from __future__ import annotations

import datetime as dt
import os
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
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
    # `hocbot run`'s event loop: uvloop (where installed, i.e. not on Windows) spends less CPU per message.
    event_loop: Literal["uvloop", "asyncio"] = Field("uvloop", validation_alias=_env("HOCBOT_EVENT_LOOP"))
    cache_dir: str = Field(default_factory=lambda: _default_cache_dir(), validation_alias=_env("HOCBOT_CACHE_DIR"))

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object, info: ValidationInfo) -> object:
        """`OPENAI_API_KEY=` (a .env template left blank) means "not set": the default applies. Only
        HOCBOT_QUIET_HOURS gives an empty value a meaning of its own (no quiet hours)."""
        if isinstance(value, str) and not value.strip() and info.field_name not in _EMPTY_MEANS_SOMETHING:
            return cls.model_fields[str(info.field_name)].get_default(call_default_factory=True)
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        check_database_url(value)
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        return None if value is None else check_public_url(value)

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
    def cache_path(self) -> Path | None:
        """Where files hocbot can always rebuild are kept (the search index, the asked questions' index); None = keep
        nothing on disk."""
        return None if self.cache_dir.strip().lower() in ("off", "none", "-") else Path(self.cache_dir).expanduser()

    @property
    def llm_enabled(self) -> bool:
        return self.openai_api_key is not None

    @property
    def web_base_url(self) -> str:
        return (self.public_url or f"http://{self.web_host}:{self.web_port}").rstrip("/")


_EMPTY_MEANS_SOMETHING = frozenset({"quiet_hours"})


def _default_cache_dir() -> str:
    """$XDG_CACHE_HOME/hocbot, else ~/.cache/hocbot (the usual place on Linux)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
    return str(Path(base) / "hocbot")
DATABASE_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::", "")


def check_database_url(value: str) -> None:
    """The two async drivers hocbot ships with; anything else fails later with a long traceback."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    example = "ví dụ sqlite+aiosqlite:///./hocbot.db hoặc postgresql+asyncpg://user:pass@host/hocbot"
    try:
        url = make_url(value)
    except (ArgumentError, ValueError):
        raise ValueError(f"không đọc được địa chỉ cơ sở dữ liệu ({example})") from None
    if url.drivername not in DATABASE_DRIVERS:
        raise ValueError(f"hocbot chỉ dùng được sqlite+aiosqlite hoặc postgresql+asyncpg, không dùng "
                         f"{url.drivername!r} ({example})")  # fmt: skip
    if url.drivername.startswith("postgresql") and not url.database:
        raise ValueError(f"thiếu tên cơ sở dữ liệu sau dấu / ({example})")


def check_public_url(value: str) -> str:
    """http(s)://host[:port] and nothing more: it is the start of every link hocbot hands out."""
    example = "ví dụ https://hocbot.khuyenhoc.vn"
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"phải bắt đầu bằng http:// hoặc https:// và có tên miền ({example})")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"chỉ gồm http(s)://tên-miền[:cổng], không có đường dẫn hay dấu ?, # ({example})")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ValueError(f"cổng không hợp lệ ({example})") from None
    return value.strip().rstrip("/")


def links_warning(settings: Settings) -> str | None:
    """One line when certificates and login links would point at this machine while people use hocbot from
    elsewhere (Telegram, Zalo): HOCBOT_PUBLIC_URL unset or a loopback address."""
    remote = settings.telegram_bot_token or settings.zalo_bot_token or settings.zalo_oa_app_id
    host = urlsplit(settings.web_base_url).hostname or ""
    if not remote or not (host in LOOPBACK_HOSTS or host.startswith("127.")):
        return None
    return (f"Chú ý: đường link trong giấy chứng nhận và link đăng nhập đang trỏ tới {settings.web_base_url}, "
            "chỉ mở được trên máy này; đặt HOCBOT_PUBLIC_URL là địa chỉ người dùng mở được.")  # fmt: skip


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
        raise SettingsError(f"Cấu hình sai: {name} — {_vietnamese(err)}") from None


def _vietnamese(err: Any) -> str:
    """Pydantic's English message for the common mistakes, said in Vietnamese."""
    ctx = err.get("ctx") or {}
    kind = err.get("type", "")
    if kind == "value_error":
        return str(ctx.get("error") or err["msg"]).removeprefix("Value error, ")
    simple = {
        "int_parsing": "phải là một số nguyên",
        "int_from_float": "phải là một số nguyên",
        "float_parsing": "phải là một số",
        "bool_parsing": "phải là true hoặc false",
        "literal_error": f"phải là một trong: {str(ctx.get('expected', '')).replace(' or ', ', ')}",
    }
    if kind in simple:
        return simple[kind]
    bounds = {"greater_than": "lớn hơn", "greater_than_equal": "từ", "less_than": "nhỏ hơn",
              "less_than_equal": "không quá"}  # fmt: skip
    if kind in bounds:
        limit = next(iter(ctx.values()), "")
        return f"phải {bounds[kind]} {limit}"
    return str(err["msg"])


def _env_name(field: str) -> str:
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return field.upper()
