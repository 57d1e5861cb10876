"""Sign-in, stored credentials and server profiles."""
from __future__ import annotations

import ipaddress
import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from redis.exceptions import RedisError

from mailview.imap import (
    Credentials,
    ImapAuthenticationError,
    ImapConnectionError,
    ImapServerBusy,
    NoStoredCredentials,
    ServerEndpoint,
    get_pool,
    verify_login,
)
from mailview.services.live import events

from .crypto import decrypt_secret, encrypt_secret
from .login_names import login_name
from .models import AuditEvent, MailCredential, ServerProfile, TrustedSender, UserSettings

log = logging.getLogger(__name__)


class InvalidAddress(ValueError):
    """Not an address anyone can sign in with; `reason` tells the form why."""

    MALFORMED = "malformed"
    NOT_ASCII = "not_ascii"  # letters outside ASCII before the @: IMAP LOGIN cannot carry them

    def __init__(self, value: str, reason: str = MALFORMED) -> None:
        super().__init__(value)
        self.reason = reason


class MailServerUnavailable(Exception):
    """The mail server could not be reached or misbehaved during sign-in."""


class MailServerBusy(MailServerUnavailable):
    """The server refused the LOGIN for now (too many connections, [UNAVAILABLE]):
    the password may be right, so this is not a failed sign-in."""


_DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")


def canonical_address(raw: str) -> str:
    """The one spelling of an address that keys its account, its 2FA and its rate limits.

    Surrounding whitespace goes, the whole address is case-folded (every mail server we
    talk to treats `BOB@` and `bob@` as one mailbox; two accounts for one mailbox would let
    one spelling skip the other's second factor), a trailing dot of the domain goes, and an
    internationalized domain becomes its ASCII (punycode) form. A local part outside
    printable ASCII cannot be sent with IMAP LOGIN: InvalidAddress(reason=NOT_ASCII).
    """
    value = (raw or "").strip()
    if any(c in value for c in "\r\n\x00") or len(value) > 320 or value.count("@") != 1:
        raise InvalidAddress(value)
    local, domain = value.split("@")
    if domain.endswith("."):
        domain = domain[:-1]
    if not local or not domain:
        raise InvalidAddress(value)
    if not local.isascii():
        raise InvalidAddress(value, InvalidAddress.NOT_ASCII)
    if any(not c.isprintable() or c.isspace() for c in local):
        raise InvalidAddress(value)
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise InvalidAddress(value) from None
    address = f"{local}@{domain}".casefold()
    if not _DOMAIN.fullmatch(address.rsplit("@", 1)[1]):
        raise InvalidAddress(value)
    return address


normalize_email = canonical_address  # the older name


def server_profile_for(email: str) -> ServerProfile | None:
    domain = email.rsplit("@", 1)[-1].lower().rstrip(".")
    names = {domain}
    if "xn--" in domain:  # sign-in sends IDN domains as punycode; a profile may be named in Unicode
        try:
            names.add(domain.encode("ascii").decode("idna"))
        except UnicodeError:
            pass
    return ServerProfile.objects.filter(domain__in=names).order_by("domain").first()


def imap_endpoint_for(email: str) -> ServerEndpoint:
    """The IMAP server for an address: its domain's profile, else the default from the environment."""
    profile = server_profile_for(email)
    timeout = float(settings.WEBMAIL_IMAP_TIMEOUT)
    max_answer = int(settings.WEBMAIL_IMAP_MAX_ANSWER_BYTES)
    if profile is not None:
        return ServerEndpoint(
            host=profile.imap_host,
            port=profile.imap_port,
            security=profile.imap_security,
            verify_tls=profile.verify_tls,
            ca_file=profile.ca_file,
            timeout=timeout,
            max_answer_bytes=max_answer,
        )
    return ServerEndpoint(
        host=settings.WEBMAIL_IMAP_HOST,
        port=settings.WEBMAIL_IMAP_PORT,
        security=settings.WEBMAIL_IMAP_SECURITY,
        verify_tls=settings.WEBMAIL_TLS_VERIFY,
        ca_file=settings.WEBMAIL_IMAP_CA_FILE,
        timeout=timeout,
        max_answer_bytes=max_answer,
    )


def imap_login_name_for(email: str) -> str:
    """The IMAP login name for a sign-in address: its profile's format, else WEBMAIL_IMAP_LOGIN."""
    profile = server_profile_for(email)
    return profile.imap_login_name(email) if profile is not None else login_name(settings.WEBMAIL_IMAP_LOGIN, email)


def smtp_login_name_for(email: str) -> str:
    """The SMTP AUTH name for a sign-in address: its profile's format, else WEBMAIL_SMTP_LOGIN."""
    profile = server_profile_for(email)
    return profile.smtp_login_name(email) if profile is not None else login_name(settings.WEBMAIL_SMTP_LOGIN, email)


def user_sign_in(*, email: str, password: str, client_ip: str | None = None) -> User | None:
    """Check the address and password with an IMAP LOGIN; on success return the
    (possibly new) Django user with the password stored encrypted.

    Returns None for wrong credentials; raises MailServerBusy when the server refuses
    the LOGIN for now (too many connections) and MailServerUnavailable when it cannot
    tell us. `client_ip` is passed on to the server (see `mailview.imap.connection.login`).
    """
    try:
        email = canonical_address(email)  # one account per mailbox, however it is typed
    except InvalidAddress:
        return None
    if not password or any(c in password for c in "\r\n\x00"):
        return None
    try:
        verify_login(imap_endpoint_for(email), Credentials(imap_login_name_for(email), password), client_ip=client_ip)
    except ImapAuthenticationError:
        return None
    except ImapServerBusy as exc:
        log.warning("sign-in: mail server busy for %s: %s", email.rsplit("@", 1)[-1], exc)
        raise MailServerBusy(str(exc)) from exc
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
        previous = MailCredential.objects.filter(user=user).first()
        if previous is not None and decrypt_secret(previous.encrypted_password) not in (None, password):
            # Signed in (still, elsewhere) with one password and now with another: changed on the server.
            audit(AuditEvent.Kind.PASSWORD_CHANGED, email=email, ip=client_ip)
        MailCredential.objects.update_or_create(
            user=user, defaults={"login": email, "encrypted_password": encrypt_secret(password)}
        )
    return user


def user_sign_out(*, user: User) -> None:
    """Forget the mail password and close the user's IMAP connections in every process; every
    open tab of the person hears `signed_out` and its event stream ends (no tab keeps
    listening, or keeps the watcher's connection, after the sign-out)."""
    MailCredential.objects.filter(user=user).delete()
    get_pool().evict_user(user)
    try:
        events.publish(user.pk, "signed_out", {})
        events.clear_present(user.pk)
    except RedisError as exc:  # the tabs' next request finds the session gone anyway
        log.warning("could not tell user %s's tabs about the sign-out: %s", user.pk, exc)


def imap_credentials_for(user_key: str) -> tuple[ServerEndpoint, Credentials]:
    """What the pool needs to open a connection for a user (by primary key)."""
    credential = MailCredential.objects.filter(user_id=user_key).first()
    if credential is None:
        raise NoStoredCredentials("no stored mail credentials")
    password = decrypt_secret(credential.encrypted_password)
    if password is None:
        raise NoStoredCredentials("stored mail credentials cannot be decrypted")
    # `login` is the sign-in address (the identity); the server may want another name.
    return imap_endpoint_for(credential.login), Credentials(imap_login_name_for(credential.login), password)


def audit(kind: str, *, email: str = "", ip: str | None = None, user_agent: str = "", actor: str = "") -> None:
    if ip is not None and not _is_ip(ip):
        ip = None  # "unknown": the column holds IP addresses only
    AuditEvent.objects.create(kind=kind, email=email[:320], ip=ip or None, user_agent=user_agent[:300], actor=actor[:320])
    from webmail.metrics import count

    count("signin", str(kind))  # /metrics: sign-ins, failures and rate-limit refusals by kind


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def user_settings(*, user: User) -> UserSettings:
    try:
        return user.mail_settings  # loaded with the user (ImapBackend.get_user)
    except UserSettings.DoesNotExist:
        settings_row, _ = UserSettings.objects.get_or_create(user=user)
        return settings_row


def sender_is_trusted(*, user: User, email: str) -> bool:
    return bool(email) and TrustedSender.objects.filter(user=user, email=email.strip().lower()).exists()


def sender_trust(*, user: User, email: str) -> None:
    if email:
        TrustedSender.objects.get_or_create(user=user, email=email.strip().lower())
