"""Sending: SMTP submission (through `mailview.smtp`), then a copy in Sent, the draft deleted, the original flagged.

Runs in a Celery worker (`mailview.tasks.compose_send`), given a compose
id and a checked-out IMAP session. The message sent is the final draft the web request stored on the IMAP
server (so nothing is lost whatever happens next); the SMTP copy is those bytes
without Bcc.

Idempotence — a task delivered twice never sends twice. The state is written
before and after each step (see `mailview.models.Compose`):

    queued ──claim (compare-and-set)──▶ sending ──(MAIL, RCPT ok)──▶ submitting
      ▲ transient error: retry later       │ permanent error            │ 250 after DATA
      └────────────────────────────────────┤                            ▼
                                   failed ◀┘                        submitted ──▶ sent
                                                         (Sent copy, draft gone, flags)

A queued message with `send_at` in the future (undo send, send later) is not
claimed before then: the run says WAIT and the task comes back at that time. Until
the claim, the person can recall it (`queued` → `draft`, `lifecycle.compose_cancel`);
claim and recall are both compare-and-set on the state, so exactly one of them wins.

A run that finds `submitting` knows a worker died while the server was taking
the message: it may have been sent, so it is marked failed ("interrupted"), never
re-sent blindly. `submitted` skips SMTP and only finishes the IMAP steps, which
are idempotent themselves (the Sent copy is looked up by Message-ID first).
"""
from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from enum import Enum

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.identities import login_address, sender_allowed
from accounts.services import imap_credentials_for, server_profile_for, smtp_login_name_for
from mailview.imap.connection import ImapConnection
from mailview.imap.errors import ImapError, MailboxNotFound, MessageNotFound, NoStoredCredentials
from mailview.mime import Address
from mailview.models import Compose
from mailview.services.addressbook import addresses_collect
from mailview.services.compose.building import header_senders, headers_without
from mailview.services.compose.drafts import draft_fetch, draft_versions_delete, message_id_token
from mailview.services.compose.headers import parse_address_list
from mailview.services.compose.uploads import uploads_purge
from mailview.services.special_folders import special_folder_ensure, special_folders_forget
from mailview.smtp.client import SmtpEndpoint, smtp_size, smtp_submit
from mailview.smtp.errors import SmtpError

log = logging.getLogger(__name__)

SIZE_CACHE_SECONDS = 3600
SIZE_CACHE_FAILED_SECONDS = 60
State = Compose.State


def smtp_endpoint_for(email: str) -> SmtpEndpoint:
    """The SMTP server for an address: its domain's profile, else the default from the environment."""
    profile = server_profile_for(email)
    timeout = float(settings.WEBMAIL_SMTP_TIMEOUT)
    if profile is not None:
        return SmtpEndpoint(
            host=profile.smtp_host, port=profile.smtp_port, security=profile.smtp_security, verify_tls=profile.verify_tls,
            ca_file=profile.ca_file, timeout=timeout,
        )
    return SmtpEndpoint(
        host=settings.WEBMAIL_SMTP_HOST, port=settings.WEBMAIL_SMTP_PORT, security=settings.WEBMAIL_SMTP_SECURITY,
        verify_tls=settings.WEBMAIL_TLS_VERIFY, ca_file=settings.WEBMAIL_SMTP_CA_FILE, timeout=timeout,
    )


def _server_saves_sent(email: str) -> bool:
    """Whether the address's server files sent mail itself (then we add no Sent copy)."""
    profile = server_profile_for(email)
    return bool(profile is not None and profile.server_saves_sent)


def smtp_size_limit_key(endpoint: SmtpEndpoint) -> str:
    return f"compose:smtp-size:{endpoint.host}:{endpoint.port}:{endpoint.security}"


def message_size_limit(*, user: User) -> int:
    """The largest message this person's SMTP server takes: its EHLO SIZE (cached), else
    WEBMAIL_MAX_MESSAGE_SIZE (also when the server cannot be reached; cached briefly)."""
    endpoint = smtp_endpoint_for(login_address(user=user))
    key = smtp_size_limit_key(endpoint)
    cached = cache.get(key)
    if isinstance(cached, int):
        return cached
    fallback = int(settings.WEBMAIL_MAX_MESSAGE_SIZE)
    try:
        advertised = smtp_size(endpoint)
    except SmtpError:
        cache.set(key, fallback, SIZE_CACHE_FAILED_SECONDS)
        return fallback
    limit = advertised or fallback
    cache.set(key, limit, SIZE_CACHE_SECONDS)
    return limit


class SendError(Exception):
    """Why a message could not be sent. `transient` errors are retried later."""

    def __init__(self, code: str, detail: str = "", *, transient: bool = False) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail[:500]
        self.transient = transient


# -- the delivery task's service ---------------------------------------------------------


class Outcome(Enum):
    DONE = "done"  # sent (or nothing left to do)
    RETRY = "retry"  # try again later (server down, IMAP hiccup, another run holds it)
    FAILED = "failed"  # given up; the draft is kept
    WAIT = "wait"  # queued to go out later (`send_at`): come back then (`compose_due_in`)


def send_lease() -> timedelta:
    """How long a claim holds before another run may take the compose over."""
    return timedelta(seconds=max(300, 6 * int(settings.WEBMAIL_SMTP_TIMEOUT)))


def _set_state(compose_id: uuid.UUID | str, *, expect: tuple[str, ...], **changes: object) -> bool:
    return bool(Compose.objects.filter(pk=compose_id, state__in=expect).update(updated_at=timezone.now(), **changes))


def compose_owner(*, compose_id: str) -> int | None:
    """Whose compose this is (the task checks out that user's IMAP session); None if it is gone."""
    return Compose.objects.filter(pk=compose_id).values_list("user_id", flat=True).first()


def compose_due_in(*, compose_id: str) -> float:
    """Seconds until a queued compose may go out (0: now; also when it is not waiting)."""
    send_at = Compose.objects.filter(pk=compose_id, state=State.QUEUED).values_list("send_at", flat=True).first()
    if send_at is None:
        return 0.0
    return max(0.0, (send_at - timezone.now()).total_seconds())


def _claim(compose_id: str) -> Compose | Outcome:
    """Take a queued compose (compare-and-set), or the outcome when there is nothing to send."""
    compose = Compose.objects.filter(pk=compose_id).first()
    if compose is None:
        return Outcome.DONE
    if compose.state == State.SUBMITTING:
        _set_state(
            compose_id,
            expect=(State.SUBMITTING,),
            state=State.FAILED,
            error_code="interrupted",
            error_detail="the connection ended while the server was taking the message",
        )
        return Outcome.FAILED
    now = timezone.now()
    claimed = (
        Compose.objects.filter(pk=compose_id)
        .filter(
            # A waiting message (undo send, send later) is not taken before its time.
            Q(state=State.QUEUED, send_at__isnull=True)
            | Q(state=State.QUEUED, send_at__lte=now)
            | Q(state=State.SENDING, claimed_at__lt=now - send_lease())
        )
        .update(state=State.SENDING, claimed_at=now, updated_at=now)
    )
    if not claimed:
        compose.refresh_from_db()
        if compose.state == State.QUEUED and compose.send_at is not None and compose.send_at > now:
            return Outcome.WAIT
        # Another run holds a fresh claim (a duplicate delivery): look again later.
        return Outcome.RETRY if compose.state == State.SENDING else Outcome.DONE
    compose.refresh_from_db()
    return compose


def compose_deliver(*, compose_id: str, imap: ImapConnection) -> Outcome:
    """Submit a queued compose and finish it. Safe to run any number of times.
    `imap` is a checked-out session of the compose's owner (`compose_owner`)."""
    if Compose.objects.filter(pk=compose_id, state=State.SUBMITTED).exists():
        return compose_finish(compose_id=compose_id, imap=imap)
    compose = _claim(compose_id)
    if isinstance(compose, Outcome):
        return compose
    try:
        _endpoint, credentials = imap_credentials_for(str(compose.user_id))
        raw = _final_draft(compose, imap)
        # The stored draft is what goes out, and its From may have changed since it was
        # queued (another IMAP client, a policy change): the sender is checked here again.
        senders = header_senders(raw)
        refused = [a for a in senders if not sender_allowed(user=compose.user, email=a)]
        if not senders or refused:
            raise SendError("sender", ", ".join(refused) or "(no From)")
        wire = headers_without(raw, {"bcc"})
        reply = smtp_submit(
            # The envelope sender is always the sign-in address (stored when queued), whatever the From.
            endpoint=smtp_endpoint_for(compose.envelope_from),
            username=smtp_login_name_for(compose.envelope_from),
            password=credentials.password,
            envelope_from=compose.envelope_from,
            recipients=list(compose.envelope_to),
            data=wire,
            on_commit_point=lambda: _set_state(compose_id, expect=(State.SENDING,), state=State.SUBMITTING),
        )
    except SmtpError as error:
        return _send_failed(compose, SendError(error.code, error.detail, transient=error.transient))
    except SendError as error:
        return _send_failed(compose, error)
    except NoStoredCredentials:
        return _send_failed(compose, SendError("signed_out", "no stored mail credentials"))
    except ImapError as exc:
        return _send_failed(compose, SendError("imap", type(exc).__name__, transient=True))
    log.info("compose %s submitted: %s", compose_id, reply)
    _set_state(compose_id, expect=(State.SUBMITTING, State.SENDING), state=State.SUBMITTED, error_code="", error_detail="")
    return compose_finish(compose_id=compose_id, imap=imap)


def compose_deliver_without_mailbox(*, compose_id: str, error: ImapError) -> Outcome:
    """The owner's IMAP session could not be checked out (`error`): signed out
    (NoStoredCredentials) or the server unreachable. What `compose_deliver` would have
    concluded: a send not yet submitted fails (signed out) or waits (retry); one the
    server already took is done when signed out (its IMAP steps cannot run), else retried."""
    signed_out = isinstance(error, NoStoredCredentials)
    if Compose.objects.filter(pk=compose_id, state=State.SUBMITTED).exists():
        if not signed_out:
            log.info("compose %s: IMAP steps after sending failed (%s), will retry", compose_id, error)
            return Outcome.RETRY
        log.warning("compose %s sent, but the user signed out before the Sent copy", compose_id)
        return _finished(compose_id)
    compose = _claim(compose_id)
    if isinstance(compose, Outcome):
        return compose
    if signed_out:
        return _send_failed(compose, SendError("signed_out", "no stored mail credentials"))
    return _send_failed(compose, SendError("imap", type(error).__name__, transient=True))


def _send_failed(compose: Compose, error: SendError) -> Outcome:
    if error.transient:
        # Back to queued for the retry, unless the person cancelled meanwhile.
        _set_state(compose.pk, expect=(State.SENDING,), state=State.QUEUED, error_code=error.code, error_detail=error.detail)
        return Outcome.RETRY
    log.info("compose %s failed: %s %s", compose.pk, error.code, error.detail)
    _set_state(
        compose.pk, expect=(State.SENDING, State.SUBMITTING, State.QUEUED), state=State.FAILED, error_code=error.code, error_detail=error.detail
    )
    return Outcome.FAILED


def compose_give_up(*, compose_id: str) -> None:
    """Retries exhausted: failed, keeping the last error; the draft stays."""
    _set_state(compose_id, expect=(State.QUEUED,), state=State.FAILED, retry_at=None)


def compose_retry_at(*, compose_id: str, seconds: int) -> None:
    Compose.objects.filter(pk=compose_id, state=State.QUEUED).update(retry_at=timezone.now() + timedelta(seconds=seconds))


def _final_draft(compose: Compose, imap: ImapConnection) -> bytes:
    """The final draft as the web request stored it (found again by Message-ID if its UID changed)."""
    try:
        raw = draft_fetch(imap=imap, folder=compose.draft_folder, uid=compose.draft_uid, message_id=compose.message_id)
    except MailboxNotFound as exc:
        raise SendError("draft_missing", "the drafts folder is gone") from exc
    except MessageNotFound as exc:
        raise SendError("draft_missing", "the draft was deleted before it could be sent") from exc
    if not raw:
        raise SendError("draft_missing", "the draft is empty")
    return raw


def compose_finish(*, compose_id: str, imap: ImapConnection) -> Outcome:
    """After the server took it: Sent copy (once), draft versions deleted, original flagged."""
    compose = Compose.objects.filter(pk=compose_id, state=State.SUBMITTED).select_related("user").first()
    if compose is None:
        return Outcome.DONE
    user_key = str(compose.user_id)
    try:
        if not _server_saves_sent(compose.envelope_from):
            sent = special_folder_ensure(imap=imap, user_key=user_key, use="sent")
            try:
                imap.select(sent, readonly=True, refresh=True)
            except MailboxNotFound:
                # Deleted since we cached its name ([TRYCREATE]): find or make it again.
                special_folders_forget(user_key=user_key)
                sent = special_folder_ensure(imap=imap, user_key=user_key, use="sent")
                imap.select(sent, readonly=True, refresh=True)
            if not imap.search_uids(["HEADER", "Message-ID", message_id_token(compose.message_id)]):
                try:
                    # The final draft, without our draft-only flags.
                    raw = draft_fetch(imap=imap, folder=compose.draft_folder, uid=compose.draft_uid, message_id=compose.message_id)
                except (MailboxNotFound, MessageNotFound):
                    raw = b""
                if raw:
                    imap.append(sent, raw, flags=["\\Seen"])
        draft_versions_delete(imap=imap, user_key=user_key, compose=compose)  # in Drafts only
        if compose.source_folder and compose.source_uid:
            flag = (
                "\\Answered"
                if compose.source in (Compose.Source.REPLY, Compose.Source.REPLY_ALL)
                else "$Forwarded"
                if compose.source == Compose.Source.FORWARD
                else ""
            )
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
    return _finished(compose_id)


def _finished(compose_id: str) -> Outcome:
    """Sent: the addresses written to are collected (once), the uploads go."""
    compose = Compose.objects.filter(pk=compose_id).first()
    if compose is None:
        return Outcome.DONE
    with transaction.atomic():
        if _set_state(compose_id, expect=(State.SUBMITTED,), state=State.SENT, retry_at=None):
            addresses_collect(user=compose.user_id, addresses=_recipients_of(compose), weight=1)
    uploads_purge(compose=compose)
    return Outcome.DONE


def _recipients_of(compose: Compose) -> list[Address]:
    out: list[Address] = []
    for value in (compose.to, compose.cc, compose.bcc):
        try:
            out.extend(parse_address_list(value, field="", strict=False))
        except ValueError:
            continue
    return out
