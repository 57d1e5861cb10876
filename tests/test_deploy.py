"""The deployment files: docker-compose.yml is valid and refuses to run without its secrets."""
from __future__ import annotations

import os
import shutil
import subprocess


from tests.support import REPO

# scripts/bootstrap.sh --test installs Debian's docker-compose (it needs no engine for `config`).
COMPOSE = shutil.which("docker-compose") or "docker-compose"


def compose_config(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "WEBMAIL_CREDENTIALS_KEY", "POSTGRES_PASSWORD"}}
    return subprocess.run([COMPOSE, "-f", str(REPO / "docker-compose.yml"), "config"], env={**clean, **env}, capture_output=True, text=True, timeout=60, cwd="/tmp")


def test_compose_config_is_valid_with_its_secrets_set():
    result = compose_config(DJANGO_SECRET_KEY="k", WEBMAIL_CREDENTIALS_KEY="f", POSTGRES_PASSWORD="p")
    assert result.returncode == 0, result.stderr
    for service in ("web:", "worker:", "beat:", "redis:", "postgres:", "dovecot:"):
        assert service in result.stdout
    assert result.stdout.count("healthcheck:") == 6


def test_compose_refuses_to_start_without_secrets():
    result = compose_config()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr or "WEBMAIL_CREDENTIALS_KEY" in result.stderr or "POSTGRES_PASSWORD" in result.stderr
