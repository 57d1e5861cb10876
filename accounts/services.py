"""Sign-in, stored credentials and server profiles."""
from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from mailview.imap import (
    Credentials,
    ImapAuthenticationError,
    ImapConnectionError,
    NoStoredCredentials,
    ServerEndpoint,
    get_pool,
    verify_login,
)

from .crypto import decrypt_secret, encrypt_secret
from .models import AuditEvent, MailCredential, ServerProfile, TrustedSender, UserSettings

log = logging.getLogger(__name__)


class InvalidAddress(ValueError):
    pass


class MailServerUnavailable(Exception):
    """The mail server could not be reached or misbehaved during sign-in."""


def normalize_email(raw: str) -> str:
    value = (raw or "").strip()
    if any(c in value for c in "\r\n\x00") or len(value) > 320 or value.count("@") != 1:
        raise InvalidAddress(value)
    local, domain = value.split("@")
    if not local or not domain or " " in value:
        raise InvalidAddress(value)
    return f"{local}@{domain.lower()}"


def server_profile_for(email: str) -> ServerProfile | None:
    domain = email.rsplit("@", 1)[-1].lower()
    return ServerProfile.objects.filter(domain=domain).first()


def imap_endpoint_for(email: str) -> ServerEndpoint:
    """The IMAP server for an address: its domain's profile, else the default from the environment."""
    profile = server_profile_for(email)
    timeout = float(settings.WEBMAIL_IMAP_TIMEOUT)
    if profile is not None:
        return ServerEndpoint(
            host=profile.imap_host,
            port=profile.imap_port,
            security=profile.imap_security,
            verify_tls=profile.verify_tls,
            ca_file=profile.ca_file,
            timeout=timeout,
        )
    return ServerEndpoint(
        host=settings.WEBMAIL_IMAP_HOST,
        port=settings.WEBMAIL_IMAP_PORT,
        security=settings.WEBMAIL_IMAP_SECURITY,
        verify_tls=settings.WEBMAIL_TLS_VERIFY,
        ca_file=settings.WEBMAIL_IMAP_CA_FILE,
        timeout=timeout,
    )


def user_sign_in(*, email: str, password: str) -> AbstractBaseUser | None:
    """Check the address and password with an IMAP LOGIN; on success return the
    (possibly new) Django user with the password stored encrypted.

    Returns None for wrong credentials; raises MailServerUnavailable when the server
    cannot tell us.
    """
    try:
        email = normalize_email(email)
    except InvalidAddress:
        return None
    if not password or any(c in password for c in "\r\n\x00"):
        return None
    try:
        verify_login(imap_endpoint_for(email), Credentials(email, password))
    except ImapAuthenticationError:
        return None
    except ImapConnectionError as exc:
        log.warning("sign-in: mail server unavailable for %s: %s", email.rsplit("@", 1)[-1], exc)
        raise MailServerUnavailable(str(exc)) from exc
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=email, defaults={"email": email})
        if created:
            user.set_unusable_password()  # the IMAP server is the only judge of this password
            user.save(update_fields=["password"])
        if not user.is_active:
            return None
        MailCredential.objects.update_or_create(
            user=user, defaults={"login": email, "encrypted_password": encrypt_secret(password)}
        )
    return user


def user_sign_out(*, user: AbstractBaseUser) -> None:
    """Forget the mail password and close the user's IMAP connections in every process."""
    MailCredential.objects.filter(user=user).delete()
    get_pool().evict_user(user)


def imap_credentials_for(user_key: str) -> tuple[ServerEndpoint, Credentials]:
    """What the pool needs to open a connection for a user (by primary key)."""
    credential = MailCredential.objects.filter(user_id=user_key).first()
    if credential is None:
        raise NoStoredCredentials("no stored mail credentials")
    password = decrypt_secret(credential.encrypted_password)
    if password is None:
        raise NoStoredCredentials("stored mail credentials cannot be decrypted")
    return imap_endpoint_for(credential.login), Credentials(credential.login, password)


def audit(kind: str, *, email: str = "", ip: str | None = None, user_agent: str = "") -> None:
    AuditEvent.objects.create(kind=kind, email=email[:320], ip=ip or None, user_agent=user_agent[:300])


def user_settings(*, user: AbstractBaseUser) -> "UserSettings":
    try:
        return user.mail_settings  # type: ignore[attr-defined]  # loaded with the user (ImapBackend.get_user)
    except UserSettings.DoesNotExist:
        settings_row, _ = UserSettings.objects.get_or_create(user=user)
        return settings_row


def sender_is_trusted(*, user: AbstractBaseUser, email: str) -> bool:
    return bool(email) and TrustedSender.objects.filter(user=user, email=email.strip().lower()).exists()


def sender_trust(*, user: AbstractBaseUser, email: str) -> None:
    if email:
        TrustedSender.objects.get_or_create(user=user, email=email.strip().lower())
