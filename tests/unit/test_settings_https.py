"""HTTPS settings: HSTS follows the HTTPS redirect unless the operator says otherwise."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support import REPO
from webmail.settings import HSTS_ONE_YEAR, hsts_default


def settings_value(name: str, **env: str) -> str:
    """`name` as webmail.settings computes it in a fresh process with `env` (nothing else about HTTPS set)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"WEBMAIL_SSL_REDIRECT", "WEBMAIL_HSTS_SECONDS"}}
    result = subprocess.run(
        [sys.executable, "-c", f"import webmail.settings as s; print(s.{name})"],
        env={**clean, **env}, cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_hsts_is_a_year_when_the_https_redirect_is_on():
    assert hsts_default(ssl_redirect=True) == HSTS_ONE_YEAR == 31536000
    assert hsts_default(ssl_redirect=False) == 0
    assert settings_value("SECURE_HSTS_SECONDS", WEBMAIL_SSL_REDIRECT="true") == "31536000"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "0"),  # plain-http demo: no HSTS
        ({"WEBMAIL_SSL_REDIRECT": "false"}, "0"),
        ({"WEBMAIL_SSL_REDIRECT": "true", "WEBMAIL_HSTS_SECONDS": "0"}, "0"),  # explicitly off
        ({"WEBMAIL_SSL_REDIRECT": "true", "WEBMAIL_HSTS_SECONDS": "600"}, "600"),
        ({"WEBMAIL_HSTS_SECONDS": "86400"}, "86400"),
    ],
)
def test_hsts_can_still_be_set_or_turned_off(env, expected):
    assert settings_value("SECURE_HSTS_SECONDS", **env) == expected
