"""Sending: SMTP submission, then a copy in Sent, the draft deleted, the original flagged.

Runs in a Celery worker (`mailview.tasks.compose_send`), given a compose
id. The message sent is the final draft the web request stored on the IMAP
server (so nothing is lost whatever happens next); the SMTP copy is those bytes
without Bcc.

Idempotence — a task delivered twice never sends twice. The state is written
before and after each step (see `mailview.models.Compose`):

    queued ──claim (compare-and-set)──▶ sending ──(MAIL, RCPT ok)──▶ submitting
      ▲ transient error: retry later       │ permanent error            │ 250 after DATA
      └────────────────────────────────────┤                            ▼
                                   failed ◀┘                        submitted ──▶ sent
                                                         (Sent copy, draft gone, flags)

A run that finds `submitting` knows a worker died while the server was taking
the message: it may have been sent, so it is marked failed ("interrupted"), never
re-sent blindly. `submitted` skips SMTP and only finishes the IMAP steps, which
are idempotent themselves (the Sent copy is looked up by Message-ID first).
"""
from __future__ import annotations

import base64
import logging
import re
import smtplib
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.identities import sender_allowed
from accounts.models import ServerProfile
from accounts.services import imap_credentials_for, server_profile_for
from mailview.imap import get_pool
from mailview.imap.connection import Credentials, ImapConnection, ServerEndpoint
from mailview.imap.errors import ImapError, MailboxNotFound, NoStoredCredentials
from mailview.mime import Address
from mailview.models import Compose
from mailview.services.addressbook import addresses_collect
from mailview.services.compose.drafts import draft_versions_delete, message_id_token, special_folder_ensure
from mailview.services.compose.message import header_senders, headers_without, parse_address_list
from mailview.services.compose.uploads import uploads_purge

log = logging.getLogger(__name__)

SIZE_CACHE_SECONDS = 3600
SIZE_CACHE_FAILED_SECONDS = 60
State = Compose.State


@dataclass(frozen=True)
class SmtpEndpoint(ServerEndpoint):
    """Where and how to reach an SMTP server: host, port, security and TLS trust as for
    IMAP, plus whether the server files sent mail itself."""

    timeout: float = 30.0
    server_saves_sent: bool = False


def smtp_endpoint_for(email: str) -> SmtpEndpoint:
    """The SMTP server for an address: its domain's profile, else the default from the environment."""
    profile: ServerProfile | None = server_profile_for(email)
    timeout = float(settings.WEBMAIL_SMTP_TIMEOUT)
    if profile is not None:
        return SmtpEndpoint(
            host=profile.smtp_host, port=profile.smtp_port, security=profile.smtp_security, verify_tls=profile.verify_tls,
            ca_file=profile.ca_file, timeout=timeout, server_saves_sent=profile.server_saves_sent,
        )
    return SmtpEndpoint(
        host=settings.WEBMAIL_SMTP_HOST, port=settings.WEBMAIL_SMTP_PORT, security=settings.WEBMAIL_SMTP_SECURITY,
        verify_tls=settings.WEBMAIL_TLS_VERIFY, ca_file=settings.WEBMAIL_SMTP_CA_FILE, timeout=timeout,
    )


class SendError(Exception):
    """Why a message could not be sent. `transient` errors are retried later."""

    def __init__(self, code: str, detail: str = "", *, transient: bool = False) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail[:500]
        self.transient = transient


def _reply_text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return re.sub(r"\s+", " ", text).strip()[:300]


def _connect(endpoint: SmtpEndpoint) -> smtplib.SMTP:
    """Connected, EHLO'd and (per profile) encrypted. Raises SendError."""
    try:
        if endpoint.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(endpoint.host, endpoint.port, timeout=endpoint.timeout, context=endpoint.ssl_context())
        else:
            smtp = smtplib.SMTP(endpoint.host, endpoint.port, timeout=endpoint.timeout)
        smtp.ehlo()
        if endpoint.security == "starttls":
            if not smtp.has_extn("starttls"):
                smtp.close()
                raise SendError("tls", "the server does not offer STARTTLS")
            smtp.starttls(context=endpoint.ssl_context())
            smtp.ehlo()
        return smtp
    except SendError:
        raise
    except ssl.SSLCertVerificationError as exc:
        raise SendError("tls", f"certificate not trusted: {exc.verify_message}") from exc
    except (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, smtplib.SMTPHeloError, OSError) as exc:
        raise SendError("unreachable", f"{endpoint.host}:{endpoint.port}: {type(exc).__name__}", transient=True) from exc


def smtp_size_limit(endpoint: SmtpEndpoint) -> int:
    """The largest message the server takes: its EHLO SIZE (cached), else the setting."""
    key = f"compose:smtp-size:{endpoint.host}:{endpoint.port}:{endpoint.security}"
    cached = cache.get(key)
    if isinstance(cached, int):
        return cached
    fallback = int(settings.WEBMAIL_MAX_MESSAGE_SIZE)
    try:
        smtp = _connect(endpoint)
    except SendError:
        cache.set(key, fallback, SIZE_CACHE_FAILED_SECONDS)
        return fallback
    try:
        advertised = smtp.esmtp_features.get("size", "").strip()
        limit = int(advertised) if advertised.isdigit() and int(advertised) > 0 else fallback
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
    cache.set(key, limit, SIZE_CACHE_SECONDS)
    return limit


def _dot_stuffed(data: bytes) -> bytes:
    data = re.sub(rb"\r\n|\n|\r(?!\n)", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _classify(code: int, reply: bytes | str, *, stage: str) -> SendError:
    text = _reply_text(reply)
    if 400 <= code < 500:
        return SendError("temporary", f"{code} {text}", transient=True)
    if code == 552 or "5.3.4" in text or "too big" in text.lower() or ("size" in text.lower() and stage in ("mail", "data")):
        return SendError("too_big", f"{code} {text}")
    return SendError("refused", f"{code} {text}")


def _smtp_login(smtp: smtplib.SMTP, credentials: Credentials) -> None:
    """smtplib encodes AUTH as ASCII (a UnicodeEncodeError for `pässwörd`); SASL PLAIN
    carries UTF-8 (RFC 4616), so non-ASCII credentials go that way."""
    if credentials.username.isascii() and credentials.password.isascii():
        smtp.login(credentials.username, credentials.password)
        return
    token = base64.b64encode(f"\0{credentials.username}\0{credentials.password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def smtp_submit(
    *, endpoint: SmtpEndpoint, credentials: Credentials, envelope_from: str, recipients: list[str], data: bytes, on_commit_point: Callable[[], object]
) -> str:
    """Submit one message; returns the server's final reply. Raises SendError.

    `on_commit_point()` is called once every recipient is accepted and the message
    body is on the wire, just before the final "." that makes the server take it:
    from there on a failure is ambiguous.
    """
    smtp = _connect(endpoint)
    try:
        try:
            if smtp.has_extn("auth"):
                _smtp_login(smtp, credentials)
        except smtplib.SMTPAuthenticationError as exc:
            if 400 <= exc.smtp_code < 500:
                raise SendError("temporary", f"{exc.smtp_code} {_reply_text(exc.smtp_error)}", transient=True) from exc
            raise SendError("auth", f"{exc.smtp_code} {_reply_text(exc.smtp_error)}") from exc
        except smtplib.SMTPException as exc:
            raise SendError("auth", type(exc).__name__) from exc
        advertised = smtp.esmtp_features.get("size", "").strip()
        if advertised.isdigit() and 0 < int(advertised) < len(data):
            raise SendError("too_big", f"{len(data)} > {advertised}")
        options = []
        if smtp.has_extn("size"):
            options.append(f"SIZE={len(data)}")
        if not data.isascii() and smtp.has_extn("8bitmime"):
            options.append("BODY=8BITMIME")
        code, reply = smtp.mail(envelope_from, options)
        if code != 250:
            raise _classify(code, reply, stage="mail")
        refused: dict[str, tuple[int, str]] = {}
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, _reply_text(reply))
        if refused:
            try:
                smtp.rset()
            except (smtplib.SMTPException, OSError):
                pass
            if all(400 <= c < 500 for c, _ in refused.values()):
                raise SendError("temporary", "; ".join(f"{r}: {c} {t}" for r, (c, t) in refused.items()), transient=True)
            bad = [r for r, (c, _) in refused.items() if c >= 500]
            raise SendError("recipient", ", ".join(bad) + " — " + "; ".join(f"{c} {t}" for c, t in refused.values()))
        code, reply = smtp.docmd("DATA")
        if code != 354:
            raise _classify(code, reply, stage="data")
        payload = _dot_stuffed(data)
        smtp.send(payload)
        on_commit_point()
        smtp.send(b".\r\n")
        code, reply = smtp.getreply()
        if code != 250:
            raise _classify(code, reply, stage="data")
        return _reply_text(reply)
    except SendError:
        raise
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise SendError("unreachable", f"{endpoint.host}:{endpoint.port}: {type(exc).__name__}", transient=True) from exc
    except smtplib.SMTPResponseException as exc:
        raise _classify(exc.smtp_code, exc.smtp_error, stage="other") from exc
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


# -- the delivery task's service ---------------------------------------------------------


class Outcome(Enum):
    DONE = "done"  # sent (or nothing left to do)
    RETRY = "retry"  # try again later (server down, IMAP hiccup, another run holds it)
    FAILED = "failed"  # given up; the draft is kept


def send_lease() -> timedelta:
    """How long a claim holds before another run may take the compose over."""
    return timedelta(seconds=max(300, 6 * int(settings.WEBMAIL_SMTP_TIMEOUT)))


def _set_state(compose_id: uuid.UUID | str, *, expect: tuple[str, ...], **changes: object) -> bool:
    return bool(Compose.objects.filter(pk=compose_id, state__in=expect).update(updated_at=timezone.now(), **changes))


def _login_of(user_id: int) -> tuple[str, Credentials]:
    _endpoint, credentials = imap_credentials_for(str(user_id))
    return credentials.username, credentials


def compose_deliver(*, compose_id: str) -> Outcome:
    """Submit a queued compose and finish it. Safe to run any number of times."""
    compose = Compose.objects.filter(pk=compose_id).first()
    if compose is None:
        return Outcome.DONE
    if compose.state == State.SUBMITTED:
        return compose_finish(compose_id=compose_id)
    if compose.state == State.SUBMITTING:
        _set_state(compose_id, expect=(State.SUBMITTING,), state=State.FAILED, error_code="interrupted", error_detail="the connection ended while the server was taking the message")
        return Outcome.FAILED
    now = timezone.now()
    claimed = Compose.objects.filter(pk=compose_id).filter(
        Q(state=State.QUEUED) | Q(state=State.SENDING, claimed_at__lt=now - send_lease())
    ).update(state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
    if not claimed:
        compose.refresh_from_db()
        # Another run holds a fresh claim (a duplicate delivery): look again later.
        return Outcome.RETRY if compose.state == State.SENDING else Outcome.DONE
    compose.refresh_from_db()
    try:
        login, credentials = _login_of(compose.user_id)
        raw = _final_draft_bytes(compose)
        # The stored draft is what goes out, and its From may have changed since it was
        # queued (another IMAP client, a policy change): the sender is checked here again.
        senders = header_senders(raw)
        refused = [a for a in senders if not sender_allowed(user=compose.user, email=a)]
        if not senders or refused:
            raise SendError("sender", ", ".join(refused) or "(no From)")
        wire = headers_without(raw, {"bcc"})
        endpoint = smtp_endpoint_for(login)
        reply = smtp_submit(
            # The envelope sender is always the sign-in address, whatever the From.
            endpoint=endpoint, credentials=credentials, envelope_from=login,
            recipients=list(compose.envelope_to), data=wire,
            on_commit_point=lambda: _set_state(compose_id, expect=(State.SENDING,), state=State.SUBMITTING),
        )
    except SendError as error:
        return _send_failed(compose, error)
    except NoStoredCredentials:
        return _send_failed(compose, SendError("signed_out", "no stored mail credentials"))
    except ImapError as exc:
        return _send_failed(compose, SendError("imap", type(exc).__name__, transient=True))
    log.info("compose %s submitted: %s", compose_id, reply)
    _set_state(compose_id, expect=(State.SUBMITTING, State.SENDING), state=State.SUBMITTED, sent_at=timezone.now(), error_code="", error_detail="")
    return compose_finish(compose_id=compose_id)


def _send_failed(compose: Compose, error: SendError) -> Outcome:
    if error.transient:
        # Back to queued for the retry, unless the person cancelled meanwhile.
        _set_state(compose.pk, expect=(State.SENDING,), state=State.QUEUED, error_code=error.code, error_detail=error.detail)
        return Outcome.RETRY
    log.info("compose %s failed: %s %s", compose.pk, error.code, error.detail)
    _set_state(compose.pk, expect=(State.SENDING, State.SUBMITTING, State.QUEUED), state=State.FAILED, error_code=error.code, error_detail=error.detail)
    return Outcome.FAILED


def compose_give_up(*, compose_id: str) -> None:
    """Retries exhausted: failed, keeping the last error; the draft stays."""
    _set_state(compose_id, expect=(State.QUEUED,), state=State.FAILED, retry_at=None)


def compose_retry_at(*, compose_id: str, seconds: int) -> None:
    Compose.objects.filter(pk=compose_id, state=State.QUEUED).update(retry_at=timezone.now() + timedelta(seconds=seconds))


def _final_draft_bytes(compose: Compose) -> bytes:
    """The final draft as the web request stored it (found again by Message-ID if its UID changed)."""
    with get_pool().session(compose.user_id) as imap:
        folder = compose.draft_folder
        uid = compose.draft_uid
        try:
            imap.select(folder, readonly=True)
            meta = imap.fetch_message_meta(int(uid)) if uid else None
            if meta is None:
                candidates = sorted(imap.search_uids(["HEADER", "Message-ID", message_id_token(compose.message_id)]))
                if not candidates:
                    raise SendError("draft_missing", "the draft was deleted before it could be sent")
                uid = candidates[-1]
                meta = imap.fetch_message_meta(uid)
                if meta is None:
                    raise SendError("draft_missing", "the draft was deleted before it could be sent")
        except MailboxNotFound as exc:
            raise SendError("draft_missing", "the drafts folder is gone") from exc
        raw = imap.fetch_sections(meta.uid, [""], max_bytes=max(meta.size, 1)).get("", b"")
    if not raw:
        raise SendError("draft_missing", "the draft is empty")
    return raw


def compose_finish(*, compose_id: str) -> Outcome:
    """After the server took it: Sent copy (once), draft versions deleted, original flagged."""
    compose = Compose.objects.filter(pk=compose_id, state=State.SUBMITTED).select_related("user").first()
    if compose is None:
        return Outcome.DONE
    user_key = str(compose.user_id)
    try:
        login, _credentials = _login_of(compose.user_id)
        endpoint = smtp_endpoint_for(login)
        with get_pool().session(compose.user_id) as imap:
            raw: bytes | None = None
            if not endpoint.server_saves_sent:
                sent = special_folder_ensure(imap=imap, user_key=user_key, use="sent")
                imap.select(sent, readonly=True, refresh=True)
                if not imap.search_uids(["HEADER", "Message-ID", message_id_token(compose.message_id)]):
                    raw = _final_draft_bytes_or_none(imap, compose)
                    if raw is not None:
                        imap.append(sent, raw, flags=["\\Seen"])
            draft_versions_delete(imap=imap, user_key=user_key, compose=compose)  # in Drafts only
            if compose.source_folder and compose.source_uid:
                flag = "\\Answered" if compose.source in (Compose.Source.REPLY, Compose.Source.REPLY_ALL) else "$Forwarded" if compose.source == Compose.Source.FORWARD else ""
                if flag:
                    try:
                        imap.select(compose.source_folder, readonly=False)
                        imap.add_flags([int(compose.source_uid)], [flag])
                    except MailboxNotFound:
                        pass  # the original's folder went away: nothing to flag
    except NoStoredCredentials:
        # Signed out after the server took it: the mail is sent; the IMAP steps cannot run.
        log.warning("compose %s sent, but the user signed out before the Sent copy", compose_id)
    except ImapError as exc:
        log.info("compose %s: IMAP steps after sending failed (%s), will retry", compose_id, exc)
        return Outcome.RETRY
    with transaction.atomic():
        if _set_state(compose_id, expect=(State.SUBMITTED,), state=State.SENT, retry_at=None):
            addresses_collect(user=compose.user_id, addresses=_recipients_of(compose), weight=1)
    uploads_purge(compose=compose)
    return Outcome.DONE


def _final_draft_bytes_or_none(imap: ImapConnection, compose: Compose) -> bytes | None:
    """The sent message for the Sent copy: the final draft without our draft-only flags."""
    folder = compose.draft_folder
    if not folder:
        return None
    try:
        imap.select(folder, readonly=True)
        uid = compose.draft_uid
        meta = imap.fetch_message_meta(int(uid)) if uid else None
        if meta is None:
            found = sorted(imap.search_uids(["HEADER", "Message-ID", message_id_token(compose.message_id)]))
            if not found:
                return None
            uid, meta = found[-1], imap.fetch_message_meta(found[-1])
            if meta is None:
                return None
        return imap.fetch_sections(meta.uid, [""], max_bytes=max(meta.size, 1)).get("", b"") or None
    except MailboxNotFound:
        return None


def _recipients_of(compose: Compose) -> list[Address]:
    out: list[Address] = []
    for value in (compose.to, compose.cc, compose.bcc):
        try:
            out.extend(parse_address_list(value, field="", strict=False))
        except ValueError:
            continue
    return out


__all__ = [
    "Outcome",
    "SendError",
    "SmtpEndpoint",
    "compose_deliver",
    "compose_finish",
    "compose_give_up",
    "smtp_endpoint_for",
    "smtp_size_limit",
    "smtp_submit",
]
