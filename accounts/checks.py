"""Start-up checks: fail loudly on a missing or malformed credentials key."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from .crypto import CredentialsKeyError, build_fernet


@register()
def credentials_key_check(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    try:
        build_fernet(settings.WEBMAIL_CREDENTIALS_KEY)
    except CredentialsKeyError as exc:
        hint = "Generate one: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        return [Error(str(exc), hint=hint, id="accounts.E001")]
    return []
