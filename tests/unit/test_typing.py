"""The whole tree type-checks (mypy with django-stubs, settings in mypy.ini): strict on the
IMAP layer, the MIME package, the sanitizer and the services, mypy's defaults elsewhere."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

REPO = Path(__file__).resolve().parents[2]


def test_mypy_passes_on_the_whole_tree():
    # The django-stubs plugin imports webmail.settings, which insists on its secrets.
    env = dict(os.environ, DJANGO_SECRET_KEY="mypy-only", WEBMAIL_CREDENTIALS_KEY=Fernet.generate_key().decode())
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "no issues found in" in result.stdout
    checked = int(result.stdout.rsplit("found in ", 1)[1].split()[0])
    assert checked >= 70, f"mypy checked only {checked} files: is mypy.ini's `files` still the whole tree?"
