"""Secrets at rest: Fernet, with the key(s) from WEBMAIL_CREDENTIALS_KEY.

Mail passwords and two-step secrets in the database, and mail content kept in the
shared cache (sanitized bodies in Redis). Several comma-separated keys allow
rotation: the first encrypts, all decrypt.
"""
from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class CredentialsKeyError(Exception):
    pass


def build_fernet(raw_keys: str) -> MultiFernet:
    keys = [k.strip() for k in (raw_keys or "").split(",") if k.strip()]
    if not keys:
        raise CredentialsKeyError("WEBMAIL_CREDENTIALS_KEY is not set")
    try:
        return MultiFernet([Fernet(k.encode("ascii")) for k in keys])
    except (ValueError, UnicodeEncodeError) as exc:
        raise CredentialsKeyError("WEBMAIL_CREDENTIALS_KEY is not a valid Fernet key") from exc


@lru_cache(maxsize=4)
def _fernet_for(raw_keys: str) -> MultiFernet:
    return build_fernet(raw_keys)


def encrypt_secret(secret: str) -> str:
    return _fernet_for(settings.WEBMAIL_CREDENTIALS_KEY).encrypt(secret.encode("utf-8")).decode("ascii")


def decrypt_secret(token: str) -> str | None:
    """The secret, or None when no configured key can decrypt it (key was rotated away)."""
    try:
        return _fernet_for(settings.WEBMAIL_CREDENTIALS_KEY).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        return None


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet_for(settings.WEBMAIL_CREDENTIALS_KEY).encrypt(data)


def decrypt_bytes(token: bytes) -> bytes | None:
    """The data, or None when no configured key can decrypt it (or it is not a token)."""
    try:
        return _fernet_for(settings.WEBMAIL_CREDENTIALS_KEY).decrypt(token)
    except (InvalidToken, ValueError, TypeError):
        return None
