"""`hocbot doctor`: checks an installation the way an IT officer would, and says what to fix, in Vietnamese.

Configuration, the database (reachable, schema up to date), Telegram (`getMe`, the webhook Telegram has),
Zalo (Bot `getMe`, the OA token), the LLM (one tiny completion), the public URL (its /healthz through the
reverse proxy, the webhook paths) and the clock (against the `Date` of the servers it talked to).
Every check is bounded by a timeout; one failing check never hides the others. Exit code 1 on any error.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import aiohttp

from bot.settings import Settings

Status = Literal["ok", "warn", "error", "skip"]
TIMEOUT = 10.0
CLOCK_WARN = 10.0
CLOCK_ERROR = 60.0
ICONS = {"ok": "✅", "warn": "⚠️ ", "error": "❌", "skip": "➖"}


@dataclass
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""


@dataclass
class Doctor:
    settings: Settings
    timeout: float = TIMEOUT
    checks: list[Check] = field(default_factory=list)
    server_dates: list[tuple[str, dt.datetime, dt.datetime]] = field(default_factory=list)  # (who, theirs, ours)

    def add(self, name: str, status: Status, detail: str, fix: str = "") -> None:
        self.checks.append(Check(name, status, detail, fix))

    def saw_date(self, who: str, header: str | None) -> None:
        """Remember a server's `Date` header (the clock check compares against them)."""
        if not header:
            return
        try:
            theirs = email.utils.parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return
        if theirs.tzinfo is None:
            theirs = theirs.replace(tzinfo=dt.UTC)
        self.server_dates.append((who, theirs, dt.datetime.now(dt.UTC)))

    async def http_get(self, who: str, url: str, **kw: object) -> tuple[int, str]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as http:
            async with http.get(url, allow_redirects=False, **kw) as resp:  # type: ignore[arg-type]
                self.saw_date(who, resp.headers.get("Date"))
                return resp.status, (await resp.text())[:300]

    async def run(self) -> list[Check]:
        logging.getLogger("alembic").setLevel(logging.WARNING)  # the report is the output, not migration chatter
        self.check_configuration()
        await self.step("Cơ sở dữ liệu", self.check_database)
        await self.step("Telegram", self.check_telegram)
        await self.step("Zalo Bot", self.check_zalo_bot)
        await self.step("Zalo OA", self.check_zalo_oa)
        await self.step("Trợ lý AI (LLM)", self.check_llm)
        await self.step("Địa chỉ công khai", self.check_public_url)
        self.check_clock()
        return self.checks

    async def step(self, name: str, fn: Callable[[], Awaitable[None]]) -> None:
        try:
            await asyncio.wait_for(fn(), self.timeout + 5)
        except TimeoutError:
            self.add(name, "error", f"không trả lời sau {self.timeout + 5:.0f} giây",
                     "Kiểm tra mạng của máy chủ và tường lửa.")
        except Exception as exc:
            self.add(name, "error", f"lỗi không mong đợi: {type(exc).__name__}: {str(exc)[:200]}")

    # ------------------------------------------------------------------ configuration

    def check_configuration(self) -> None:
        s = self.settings
        problems: list[tuple[Status, str, str]] = []
        channels = [n for n, on in (("Telegram", s.telegram_bot_token), ("Zalo Bot", s.zalo_bot_token),
                                    ("Zalo OA", s.zalo_oa_app_id and s.zalo_oa_secret_key)) if on]
        if not channels:
            problems.append(("warn", "chưa bật kênh nào ngoài web chat",
                             "Đặt TELEGRAM_BOT_TOKEN và/hoặc ZALO_BOT_TOKEN trong tệp .env."))
        for name, url, secret in (("TELEGRAM_WEBHOOK_URL", s.telegram_webhook_url, s.telegram_webhook_secret),
                                  ("ZALO_WEBHOOK_URL", s.zalo_webhook_url, s.zalo_webhook_secret)):
            if not url:
                continue
            if urlsplit(url).scheme != "https":
                problems.append(("error", f"{name} phải bắt đầu bằng https://",
                                 "Dùng tên miền có HTTPS (nginx hoặc Caddy phía trước hocbot)."))
            if secret is None or not secret.get_secret_value():
                secret_name = name.replace("_URL", "_SECRET")
                problems.append(("error", f"có {name} nhưng thiếu {secret_name}",
                                 f"Đặt {secret_name} là một chuỗi ngẫu nhiên (ví dụ: openssl rand -hex 24)."))
        if s.secret_key is None:
            problems.append(("warn", "chưa đặt HOCBOT_SECRET_KEY: cán bộ phải đăng nhập lại mỗi lần khởi động lại",
                             "Đặt HOCBOT_SECRET_KEY là một chuỗi ngẫu nhiên dài (openssl rand -hex 32)."))
        if not s.admin_keys:
            problems.append(("warn", "chưa có quản trị viên (HOCBOT_ADMINS)",
                             "Đặt HOCBOT_ADMINS=telegram:<mã số của bạn> để gửi thông báo và thêm cán bộ."))
        if not problems:
            self.add("Cấu hình", "ok", f"kênh: {', '.join(['web chat', *channels])}")
        for status, detail, fix in problems:
            self.add("Cấu hình", status, detail, fix)

    # ------------------------------------------------------------------ database

    async def check_database(self) -> None:
        from alembic.script import ScriptDirectory
        from sqlalchemy import text

        from bot.db.engine import Database
        from bot.db.migrate import alembic_config

        url = self.settings.database_url
        if url.startswith("sqlite"):
            from sqlalchemy.engine import make_url

            path = Path(make_url(url).database or "")
            exists, folder = path.exists(), path.parent.is_dir()  # noqa: ASYNC240 (a stat, once)
            if str(path) not in ("", ":memory:") and not exists:
                status: Status = "warn" if folder else "error"
                fix = ("hocbot run sẽ tạo tệp này; nếu bạn đã có dữ liệu, kiểm tra lại đường dẫn DATABASE_URL."
                       if status == "warn" else f"Tạo thư mục {path.parent} hoặc sửa DATABASE_URL.")
                self.add("Cơ sở dữ liệu", status, f"chưa có tệp SQLite {path}", fix)
                return
        db = Database(url)
        try:
            async with db.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
                try:
                    current = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
                except Exception:
                    current = []
        except Exception as exc:
            self.add("Cơ sở dữ liệu", "error", f"không kết nối được: {type(exc).__name__}: {str(exc)[:160]}",
                     "Kiểm tra DATABASE_URL, máy chủ PostgreSQL đang chạy, tên người dùng và mật khẩu.")
            return
        finally:
            await db.dispose()
        heads = set(ScriptDirectory.from_config(alembic_config(self.settings.database_url)).get_heads())
        kind = "PostgreSQL" if db.is_postgres else "SQLite"
        if set(current) == heads:
            self.add("Cơ sở dữ liệu", "ok", f"{kind}, cấu trúc mới nhất")
        elif not current:
            self.add("Cơ sở dữ liệu", "warn", f"{kind} kết nối được nhưng còn trống",
                     "Chạy: hocbot db upgrade (hoặc hocbot run sẽ tự tạo).")
        else:
            self.add("Cơ sở dữ liệu", "warn", f"{kind}, cấu trúc cũ ({', '.join(current)})",
                     "Chạy: hocbot db upgrade")

    # ------------------------------------------------------------------ Telegram

    async def check_telegram(self) -> None:
        s = self.settings
        if s.telegram_bot_token is None:
            self.add("Telegram", "skip", "không dùng (chưa đặt TELEGRAM_BOT_TOKEN)")
            return
        from telegram import Bot
        from telegram.error import InvalidToken, NetworkError, TelegramError

        from bot.channels.telegram_http import AiohttpRequest

        # The channel's own HTTP client: the same proxy and certificate authorities as `hocbot run`.
        request = AiohttpRequest(connect_timeout=self.timeout, read_timeout=self.timeout)
        bot = Bot(s.telegram_bot_token.get_secret_value(), base_url=s.telegram_api_base_url, request=request)
        try:
            async with bot:
                me = await bot.get_me()
                info = await bot.get_webhook_info()
        except InvalidToken:
            self.add("Telegram", "error", "token bị từ chối",
                     "Lấy lại token từ @BotFather (/token) và đặt vào TELEGRAM_BOT_TOKEN.")
            return
        except NetworkError as exc:
            self.add("Telegram", "error", f"không kết nối được máy chủ Telegram: {exc.message[:120]}",
                     "Kiểm tra mạng ra ngoài của máy chủ (cổng 443) và TELEGRAM_API_BASE_URL.")
            return
        except TelegramError as exc:
            self.add("Telegram", "error", f"Telegram báo lỗi: {exc.message[:160]}",
                     "Kiểm tra TELEGRAM_BOT_TOKEN.")
            return
        await self._date_of("Telegram", s.telegram_api_base_url)
        self.add("Telegram", "ok", f"bot @{me.username} ({me.first_name})")
        want = s.telegram_webhook_url
        if want and info.url and info.url != want:
            self.add("Telegram", "warn", f"Telegram đang gửi tới webhook khác: {info.url}",
                     "hocbot run sẽ đặt lại webhook; nếu có bot khác dùng cùng token, hãy tắt nó.")
        elif not want and info.url:
            self.add("Telegram", "warn", f"đang có webhook {info.url} nhưng hocbot dùng long polling",
                     "hocbot run sẽ không nhận tin nhắn cho tới khi webhook bị xoá: đặt TELEGRAM_WEBHOOK_URL "
                     "hoặc xoá webhook (deleteWebhook).")
        if info.last_error_message:
            self.add("Telegram", "warn", f"lỗi webhook gần nhất Telegram thấy: {info.last_error_message[:160]}",
                     "Kiểm tra nginx/Caddy chuyển tiếp đường dẫn webhook và chứng chỉ HTTPS còn hạn.")

    async def _date_of(self, who: str, base_url: str) -> None:
        """A HEAD to the server's origin only to read its clock (failures are fine: the check is skipped)."""
        parts = urlsplit(base_url)
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as http:
                async with http.head(f"{parts.scheme}://{parts.netloc}/", allow_redirects=False) as resp:
                    self.saw_date(who, resp.headers.get("Date"))
        except Exception:
            return

    # ------------------------------------------------------------------ Zalo

    async def check_zalo_bot(self) -> None:
        s = self.settings
        if s.zalo_bot_token is None:
            self.add("Zalo Bot", "skip", "không dùng (chưa đặt ZALO_BOT_TOKEN)")
            return
        from bot.channels.zalo_bot_client import ZaloBotClient
        from bot.channels.zalo_common import ZaloAuthError, ZaloError

        async with ZaloBotClient(s.zalo_bot_token.get_secret_value(), s.zalo_api_base_url,
                                 request_timeout=self.timeout) as client:
            try:
                me = await client.get_me()
            except ZaloAuthError:
                self.add("Zalo Bot", "error", "token bị từ chối",
                         "Lấy lại token trong Zalo Bot Creator và đặt vào ZALO_BOT_TOKEN.")
                return
            except ZaloError as exc:
                self.add("Zalo Bot", "error", f"không gọi được Zalo Bot API: {client.redact(str(exc))[:160]}",
                         "Kiểm tra mạng ra ngoài và ZALO_API_BASE_URL.")
                return
        await self._date_of("Zalo", s.zalo_api_base_url)
        self.add("Zalo Bot", "ok", f"bot {me.get('account_name', '?')}")

    async def check_zalo_oa(self) -> None:
        s = self.settings
        if not (s.zalo_oa_app_id and s.zalo_oa_secret_key):
            self.add("Zalo OA", "skip", "không dùng (chưa đặt ZALO_OA_APP_ID, ZALO_OA_SECRET_KEY)")
            return
        from bot.channels.zalo_common import ZaloError
        from bot.channels.zalo_oa_client import ZaloOAClient
        from bot.channels.zalo_oa_tokens import DbTokenStore
        from bot.db.engine import Database

        db = Database(s.database_url)
        seed = s.zalo_oa_refresh_token.get_secret_value() if s.zalo_oa_refresh_token else None
        store = DbTokenStore(db, s.zalo_oa_app_id, seed)  # a refreshed token is saved where the bot reads it
        client = ZaloOAClient(s.zalo_oa_app_id, s.zalo_oa_secret_key.get_secret_value(), store,
                              s.zalo_oa_api_base_url, s.zalo_oa_oauth_base_url, request_timeout=self.timeout)
        try:
            await client.access_token()
        except ZaloError as exc:
            self.add("Zalo OA", "error", f"không lấy được access token: {str(exc)[:160]}",
                     "Tạo refresh token mới trong Zalo for Developers (OA → API → Access Token) và đặt vào "
                     "ZALO_OA_REFRESH_TOKEN, rồi khởi động lại hocbot.")
            return
        finally:
            await client.close()
            await db.dispose()
        self.add("Zalo OA", "ok", "access token dùng được")

    # ------------------------------------------------------------------ LLM

    async def check_llm(self) -> None:
        s = self.settings
        if s.openai_api_key is None:
            self.add("Trợ lý AI (LLM)", "skip", "không dùng: bot trả lời bằng nội dung có sẵn (đặt OPENAI_API_KEY "
                     "để bật)")
            return
        from openai import APIConnectionError, APIStatusError, AsyncOpenAI, AuthenticationError, NotFoundError

        base = s.openai_base_url or "https://api.openai.com/v1"
        async with AsyncOpenAI(api_key=s.openai_api_key.get_secret_value(), base_url=base,
                               timeout=self.timeout, max_retries=0) as client:
            try:
                raw = await client.chat.completions.with_raw_response.create(
                    model=s.llm_model, messages=[{"role": "user", "content": "Xin chào"}], max_tokens=5,
                )
            except AuthenticationError:
                self.add("Trợ lý AI (LLM)", "error", "khoá API bị từ chối", "Kiểm tra OPENAI_API_KEY.")
                return
            except NotFoundError:
                self.add("Trợ lý AI (LLM)", "error", f"máy chủ không có mô hình {s.llm_model}",
                         "Kiểm tra HOCBOT_LLM_MODEL và OPENAI_BASE_URL.")
                return
            except APIStatusError as exc:
                self.add("Trợ lý AI (LLM)", "error", f"máy chủ trả lỗi HTTP {exc.status_code}",
                         "Kiểm tra OPENAI_BASE_URL, HOCBOT_LLM_MODEL và hạn mức của tài khoản.")
                return
            except APIConnectionError:
                self.add("Trợ lý AI (LLM)", "error", f"không kết nối được {base}",
                         "Kiểm tra OPENAI_BASE_URL và mạng ra ngoài. Bot vẫn trả lời bằng nội dung có sẵn.")
                return
        self.saw_date("LLM", raw.headers.get("date"))
        self.add("Trợ lý AI (LLM)", "ok", f"mô hình {s.llm_model} trả lời được")

    # ------------------------------------------------------------------ public URL

    async def check_public_url(self) -> None:
        s = self.settings
        name = "Địa chỉ công khai"
        if not s.public_url:
            status: Status = "error" if (s.telegram_webhook_url or s.zalo_webhook_url) else "warn"
            self.add(name, status, "chưa đặt HOCBOT_PUBLIC_URL: liên kết trong tin nhắn sẽ trỏ tới "
                     f"{s.web_base_url}", "Đặt HOCBOT_PUBLIC_URL=https://<tên miền của bạn>.")
        else:
            url = s.public_url.rstrip("/") + "/healthz"
            try:
                status_code, body = await self.http_get("địa chỉ công khai", url)
            except Exception as exc:
                self.add(name, "error", f"không mở được {url}: {type(exc).__name__}",
                         "Kiểm tra tên miền trỏ về máy chủ (DNS), nginx/Caddy đang chạy và mở cổng 443.")
            else:
                if status_code == 200 and '"ok"' in body:
                    self.add(name, "ok", f"{url} trả lời qua proxy")
                else:
                    self.add(name, "error", f"{url} trả về HTTP {status_code}",
                             "Proxy chưa chuyển tiếp tới hocbot: xem deploy/nginx.conf hoặc deploy/Caddyfile, "
                             "và hocbot run có đang chạy không.")
            if urlsplit(s.public_url).scheme != "https":
                self.add(name, "warn", "HOCBOT_PUBLIC_URL không dùng https",
                         "Bật HTTPS (Caddy tự làm; nginx dùng certbot) để cán bộ đăng nhập an toàn.")
        for var, hook in (("TELEGRAM_WEBHOOK_URL", s.telegram_webhook_url), ("ZALO_WEBHOOK_URL", s.zalo_webhook_url)):
            if hook:
                await self._check_webhook_path(var, hook)

    async def _check_webhook_path(self, var: str, url: str) -> None:
        """A GET on a webhook (POST-only) path answers 405 when the proxy forwards it to hocbot."""
        try:
            status, _ = await self.http_get(var, url)
        except Exception as exc:
            self.add("Webhook", "error", f"không mở được {var}: {type(exc).__name__}",
                     "Kiểm tra DNS, HTTPS và proxy.")
            return
        if status == 405:
            self.add("Webhook", "ok", f"{var}: proxy chuyển tới hocbot")
        else:
            self.add("Webhook", "error", f"{var} trả về HTTP {status} (mong đợi 405 cho GET)",
                     "Thêm đường dẫn webhook vào cấu hình nginx/Caddy (xem deploy/).")

    # ------------------------------------------------------------------ clock

    def check_clock(self) -> None:
        s = self.settings
        local = dt.datetime.now(s.tz)
        where = f"giờ máy: {local:%H:%M:%S %d/%m/%Y} ({s.timezone})"
        if not self.server_dates:
            self.add("Đồng hồ", "skip", f"{where}; không có máy chủ nào để so giờ")
            return
        who, theirs, ours = max(self.server_dates, key=lambda d: abs((d[2] - d[1]).total_seconds()))
        skew = (ours - theirs).total_seconds()
        text = f"{where}; lệch {abs(skew):.0f} giây so với {who}"
        fix = "Bật đồng bộ giờ: sudo timedatectl set-ntp true (hoặc cài chrony)."
        if abs(skew) > CLOCK_ERROR:
            self.add("Đồng hồ", "error", text, fix + " Giờ sai làm lịch nhắc gửi sai giờ và token hết hạn sớm.")
        elif abs(skew) > CLOCK_WARN:
            self.add("Đồng hồ", "warn", text, fix)
        else:
            self.add("Đồng hồ", "ok", text)


def render(checks: list[Check]) -> tuple[str, int]:
    """The report, and the exit code (1 when any check is an error)."""
    lines = ["hocbot doctor — kiểm tra cài đặt", ""]
    for c in checks:
        lines.append(f"{ICONS[c.status]} {c.name}: {c.detail}")
        if c.fix and c.status in ("warn", "error"):
            lines.append(f"   → Cách sửa: {c.fix}")
    errors = sum(c.status == "error" for c in checks)
    warns = sum(c.status == "warn" for c in checks)
    lines.append("")
    if errors:
        lines.append(f"Kết quả: {errors} lỗi, {warns} cảnh báo. Sửa các mục ❌ rồi chạy lại hocbot doctor.")
    elif warns:
        lines.append(f"Kết quả: chạy được, {warns} cảnh báo nên xem.")
    else:
        lines.append("Kết quả: mọi thứ ổn.")
    return "\n".join(lines), 1 if errors else 0
