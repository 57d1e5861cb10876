"""The optional second factor at sign-in: TOTP (pyotp) with one-time recovery codes.

After the IMAP password is accepted, a user with 2FA turned on is not signed in yet:
the session holds a short-lived "pending" marker and the sign-in asks for a code.
Secrets are Fernet-encrypted like mail passwords; a code's time step is remembered
so the same code cannot be used twice.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass

import pyotp
import segno
from django.contrib.auth.models import User
from django.db import transaction

from .crypto import decrypt_secret, encrypt_secret
from .models import TwoFactor

ISSUER = "Webmail"
PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 300
RECOVERY_CODES = 8


@dataclass(frozen=True)
class Enrollment:
    secret: str
    uri: str
    qr_svg_data_uri: str


def two_factor_enabled(*, user: User) -> bool:
    return TwoFactor.objects.filter(user=user).exists()


def enrollment_start(*, user: User, secret: str | None = None) -> Enrollment:
    """A new secret (or the one being confirmed) with its otpauth URI and QR code."""
    secret = secret or pyotp.random_base32()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    data_uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return Enrollment(secret=secret, uri=uri, qr_svg_data_uri=data_uri)


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().replace("-", "").lower().encode()).hexdigest()


def enrollment_confirm(*, user: User, secret: str, code: str) -> list[str] | None:
    """Turn 2FA on if `code` matches the new secret; returns the recovery codes (shown once)."""
    totp = pyotp.TOTP(secret)
    if not code.strip().isdigit() or not totp.verify(code.strip(), valid_window=1):
        return None
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    TwoFactor.objects.update_or_create(
        user=user,
        defaults={"encrypted_secret": encrypt_secret(secret), "last_step": totp.timecode(time.time()), "recovery_hashes": [_hash(c) for c in codes]},
    )
    return codes


def code_check(*, user: User, code: str) -> bool:
    """A current TOTP code not used before, or an unused recovery code (then spent)."""
    code = (code or "").strip()
    with transaction.atomic():
        record = TwoFactor.objects.select_for_update().filter(user=user).first()
        if record is None:
            return False
        if code.isdigit() and len(code) == 6:
            secret = decrypt_secret(record.encrypted_secret)
            if secret is None:
                return False
            totp = pyotp.TOTP(secret)
            now = time.time()
            for offset in (-1, 0, 1):  # one step of clock drift either way
                step = totp.timecode(now) + offset
                if step > record.last_step and secrets.compare_digest(totp.generate_otp(step), code):
                    record.last_step = step
                    record.save(update_fields=["last_step"])
                    return True
            return False
        digest = _hash(code)
        if digest in record.recovery_hashes:
            record.recovery_hashes = [h for h in record.recovery_hashes if h != digest]
            record.save(update_fields=["recovery_hashes"])
            return True
    return False


def two_factor_disable(*, user: User) -> None:
    TwoFactor.objects.filter(user=user).delete()


def pending_set(session: dict, *, user: User, next_url: str, backend: str = "") -> None:
    """The password step passed; `backend` is the auth backend that checked it (IMAP, or
    Django's own for local admin accounts), used when the code step signs in."""
    session[PENDING_KEY] = {"user": user.pk, "at": time.time(), "next": next_url, "backend": backend}


def pending_backend(session: dict) -> str:
    return (session.get(PENDING_KEY) or {}).get("backend") or "accounts.backends.ImapBackend"


def pending_user_id(session: dict) -> int | None:
    pending = session.get(PENDING_KEY)
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    return int(pending["user"])
