"""The compose session, web side: start (new, reply, forward, resumed draft), check
and store what was typed, autosave the draft, queue the send, show its status.

The worker side (SMTP, Sent, flags) is `mailview.services.compose.sending`.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.identities import identity_default, identity_get, identity_list, login_address, own_addresses, sender_allowed
from accounts.models import Identity
from accounts.services import user_settings
from mailview.imap import validate
from mailview.imap.connection import ImapConnection
from mailview.imap.errors import InvalidImapInput, MessageNotFound
from mailview.mime import Address, decode_header_value, decode_transfer, find_part, parse_bodystructure, safe_filename
from mailview.mime.html_text import html_to_text
from mailview.models import Compose, ComposeAttachment
from mailview.services.addressbook import addresses_collect
from mailview.services.chosen_time import TimeInvalid, custom_time, future_time, morning, person_zone
from mailview.services.compose.building import EmbeddedMessageAttachment, FileAttachment, MessageSpec, message_build, sanitize_user_html
from mailview.services.compose.drafts import (
    draft_fetch,
    draft_fingerprint,
    draft_header_message_id,
    draft_mark_saved,
    draft_origin,
    draft_parse,
    draft_store,
    draft_versions_delete,
)
from mailview.services.compose.headers import InvalidHeaderInput, check_header_text, new_message_id, parse_address_list
from mailview.services.compose.prefill import original_read, prefill_for, signature_block
from mailview.services.compose.sending import message_size_limit
from mailview.services.compose.uploads import attachment_path, quota_message, too_big_message, upload_read, uploads_pending_bytes, uploads_purge

log = logging.getLogger(__name__)
State = Compose.State
Source = Compose.Source


class ComposeInvalid(Exception):
    """What the person typed cannot be saved or sent; `errors` maps a field to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class ComposeLocked(Exception):
    """The compose is being sent (or was): it cannot be changed any more."""


@dataclass(frozen=True)
class ComposeInput:
    """The compose form as posted; nothing checked yet."""

    identity: str = ""
    to: str = ""
    cc: str = ""
    bcc: str = ""
    subject: str = ""
    body: str = ""
    body_html: str = ""
    forward_sections: list[str] | None = None  # None: the form had no such checkboxes


@dataclass(frozen=True)
class SaveResult:
    saved: bool  # False when nothing changed since the last save
    folder: str
    uid: int | None
    saved_at: datetime | None


def parse_ref(ref: str) -> tuple[str, int]:
    """`<folder>/<uid>`, split at the last "/" (folder names may contain "/")."""
    folder, _slash, uid = (ref or "").rpartition("/")
    try:
        return validate.folder_name(folder), validate.uid(uid)
    except InvalidImapInput as exc:
        raise MessageNotFound(ref[:100]) from exc


# -- starting ---------------------------------------------------------------------


def compose_start(
    *, user: User, imap: ImapConnection | None, action: str = "new", ref: str = "", as_attachment: bool = False,
    to: str = "", subject: str = "", save: bool = True,
) -> Compose:
    """A new compose: blank, or a reply / reply-all / forward of `ref`. Needs a session.

    `save=False` leaves it unsaved (opening the page writes no row): the page carries
    `compose_seed(compose)`, and the first request that changes something stores it
    (`compose_for_user(..., seed=...)`)."""
    identities = identity_list(user=user)
    identity = identities[0]
    compose = Compose(user=user, identity=identity, source=Source.NEW)
    if action in ("reply", "reply_all", "forward"):
        folder, uid = parse_ref(ref)
        assert imap is not None, "a reply or forward needs an IMAP session"
        original = original_read(imap=imap, folder=folder, uid=uid)
        own = own_addresses(user=user)
        emails = [i.email for i in identities]
        # Answer from the address the message was sent to.
        first = prefill_for(
            original=original, action=action, own=own, identity_emails=emails, signature=identity.signature, as_attachment=as_attachment
        )
        if first.identity_email and first.identity_email.lower() != identity.email.lower():
            identity = next(i for i in identities if i.email.lower() == first.identity_email.lower())
        prefill = prefill_for(
            original=original, action=action, own=own, identity_emails=emails, signature=identity.signature, as_attachment=as_attachment
        )
        compose.identity = identity
        compose.to, compose.cc, compose.subject, compose.body_text = prefill.to, prefill.cc, prefill.subject, prefill.body
        compose.in_reply_to, compose.references = prefill.in_reply_to, prefill.references
        compose.source = Source(action)
        compose.source_folder, compose.source_uid = folder, uid
        compose.forward_as_attachment = action == "forward" and as_attachment
        compose.forward_sections = [
            {"section": a.section, "filename": a.filename, "mime_type": a.mime_type, "size": a.size, "keep": True}
            for a in prefill.forward_attachments
        ]
        addresses_collect(user=user, addresses=prefill.collected, weight=0)
    else:
        sig = signature_block(identity.signature)
        compose.body_text = "\n\n" + sig if sig else ""
        compose.to = _harmless(to, 2000)
        compose.subject = _harmless(subject, 900)
    compose.message_id = new_message_id(identity.email)
    if save:
        compose.save()
    return compose


# What an unsaved compose needs besides what its form posts (the typed fields).
_SEED_SALT = "mailview.compose.seed"
_SEED_FIELDS = (
    "identity_id",
    "source",
    "source_folder",
    "source_uid",
    "forward_as_attachment",
    "forward_sections",
    "in_reply_to",
    "references",
    "message_id",
)


def compose_seed(compose: Compose) -> str:
    """A signed token the compose page carries until its compose is stored: who it is for,
    and what a reply or forward started with (threading, the original, its parts)."""
    data = {"id": compose.pk.hex, "user": int(compose.user_id), **{name: getattr(compose, name) for name in _SEED_FIELDS}}
    return signing.dumps(data, salt=_SEED_SALT, compress=True)


def _compose_from_seed(*, user: User, compose_id: object, seed: str) -> Compose:
    """Store the compose an opened page started (first save, upload or send); idempotent."""
    try:
        data = signing.loads(seed, salt=_SEED_SALT, max_age=timedelta(days=settings.WEBMAIL_COMPOSE_RETENTION_DAYS))
        wanted = uuid.UUID(str(compose_id))
    except (signing.BadSignature, ValueError) as exc:
        raise Compose.DoesNotExist(str(compose_id)[:100]) from exc
    if data.get("id") != wanted.hex or data.get("user") != user.pk:
        raise Compose.DoesNotExist(str(compose_id)[:100])
    fields = {name: data.get(name) for name in _SEED_FIELDS}
    if fields["identity_id"] is not None and not Identity.objects.filter(pk=fields["identity_id"], user=user).exists():
        fields["identity_id"] = identity_default(user=user).pk
    try:
        with transaction.atomic():
            return Compose.objects.create(id=wanted, user=user, **fields)
    except IntegrityError:
        # Stored meanwhile by a parallel request of the same page (an autosave and an upload).
        return Compose.objects.select_related("identity").get(pk=wanted, user=user)


def _harmless(value: str, limit: int) -> str:
    """A value from a link (mailto-style ?to=): dropped if it could not go in a header."""
    try:
        return check_header_text(value or "", field="", max_length=limit)
    except InvalidHeaderInput:
        return ""


def compose_resume(*, user: User, imap: ImapConnection, ref: str) -> Compose:
    """Carry on with a draft (written here, on another device, or in another client).

    Only a message in the Drafts folder resumes in place (its next version replaces
    it); one flagged \\Draft elsewhere resumes as a copy with a Message-ID of its own,
    so no save, discard or send ever touches the original. Anything else raises
    NotADraft: opening a received message "as a draft" must not end up deleting it.
    """
    folder, uid = parse_ref(ref)
    in_drafts = draft_origin(imap=imap, user_key=str(user.pk), folder=folder, uid=uid)
    message_id = draft_header_message_id(imap=imap, folder=folder, uid=uid)
    if in_drafts:
        existing = Compose.objects.filter(user=user, message_id=message_id).first() if message_id else None
    else:  # the copy made of it before, if it is still being written (opening it again adds no row)
        existing = Compose.objects.filter(
            user=user, source=Source.DRAFT, source_folder=folder, source_uid=uid, state__in=(State.DRAFT, State.FAILED)
        ).first()
    if existing is not None and existing.state == State.QUEUED and existing.send_at is not None:
        return existing  # waiting to be sent (undo send, send later): its status page offers Edit, not a second copy
    if existing is not None and existing.is_editable:
        if in_drafts and (existing.draft_folder, existing.draft_uid) != (folder, uid):
            existing.draft_folder, existing.draft_uid = folder, uid
            existing.save(update_fields=["draft_folder", "draft_uid", "updated_at"])
        return existing
    parsed = draft_parse(draft_fetch(imap=imap, folder=folder, uid=uid))
    sender = parse_address_list(parsed.from_email, field="From", strict=False) if "\n" not in parsed.from_email else []
    identity = (identity_get(user=user, value=sender[0].email) if sender else None) or identity_default(user=user)
    taken = not in_drafts or not message_id or Compose.objects.filter(message_id=message_id).exists()
    compose = Compose(
        user=user,
        identity=identity,
        source=Source.DRAFT,
        to=parsed.to,
        cc=parsed.cc,
        bcc=parsed.bcc,
        subject=parsed.subject[:900],
        body_text=parsed.text,
        body_html=sanitize_user_html(parsed.html) if parsed.html else "",
        message_id=new_message_id(identity.email) if taken else message_id,
        in_reply_to=parsed.in_reply_to,
        references=parsed.references,
        draft_folder=folder if in_drafts else "",
        draft_uid=uid if in_drafts else None,
        # A copy remembers where it came from (only to find it again; nothing is done to it).
        source_folder="" if in_drafts else folder,
        source_uid=None if in_drafts else uid,
    )
    compose.save()
    for filename, content_type, data in parsed.attachments:
        attachment = ComposeAttachment.objects.create(
            compose=compose, filename=filename[:255], content_type=content_type[:127], size=len(data), received=len(data)
        )
        path = attachment_path(attachment)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_bytes(data)
    return compose


# -- what was typed ------------------------------------------------------------------


def sender_refused_message(address: str) -> str:
    return _("You are not allowed to send as %(address)s. Choose another sender.") % {"address": address}


def compose_apply(*, user: User, compose: Compose, data: ComposeInput, strict: bool) -> Compose:
    """Check the form and store it on the compose. Line breaks or control characters
    in any header field are refused in every mode; `strict` (sending) also wants
    every address valid and at least one recipient."""
    if not compose.is_editable:
        raise ComposeLocked(str(compose.pk))
    errors: dict[str, str] = {}
    identity: Identity | None = compose.identity
    if data.identity and any(c in data.identity for c in "\r\n\x00"):
        errors["from"] = _("%(field)s must be a single line (line breaks and control characters are not allowed).") % {"field": _("From")}
    elif data.identity:
        identity = identity_get(user=user, value=data.identity)
        if identity is None:
            errors["from"] = _("Choose one of your own addresses as sender.")
    if identity is None:
        identity = identity_default(user=user)
    if "from" not in errors:
        try:
            check_header_text(identity.name, field=_("From"), max_length=200)
            parse_address_list(identity.email, field=_("From"))
        except InvalidHeaderInput as exc:
            errors["from"] = exc.message
    if "from" not in errors and strict and not sender_allowed(user=user, email=identity.email):
        errors["from"] = sender_refused_message(identity.email)
    recipients = 0
    for name, label, value in (("to", _("To"), data.to), ("cc", _("Cc"), data.cc), ("bcc", _("Bcc"), data.bcc)):
        try:
            recipients += len(parse_address_list(value, field=label, strict=strict))
        except InvalidHeaderInput as exc:
            errors[name] = exc.message
    try:
        subject = check_header_text(data.subject, field=_("Subject"))
    except InvalidHeaderInput as exc:
        errors["subject"] = exc.message
        subject = ""
    if strict and not errors and recipients == 0:
        errors["to"] = _("Add at least one recipient.")
    if errors:
        raise ComposeInvalid(errors)
    compose.identity = identity
    compose.to, compose.cc, compose.bcc = data.to.strip(), data.cc.strip(), data.bcc.strip()
    compose.subject = subject
    compose.body_text = data.body.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    compose.body_html = sanitize_user_html(data.body_html)
    if data.forward_sections is not None and compose.source == Source.FORWARD and not compose.forward_as_attachment:
        keep = set(data.forward_sections)
        compose.forward_sections = [{**item, "keep": item.get("section") in keep} for item in compose.forward_sections or []]
    if compose.state == State.FAILED:
        compose.state, compose.error_code, compose.error_detail = State.DRAFT, "", ""
    compose.save()
    return compose


# -- building and saving -------------------------------------------------------------------


def _spec(
    compose: Compose, *, files: list[FileAttachment], messages: list[EmbeddedMessageAttachment], date: datetime | None = None
) -> MessageSpec:
    identity = compose.identity or identity_default(user=compose.user)
    reply_to = parse_address_list(identity.reply_to, field=_("Reply-To"), strict=False) if identity.reply_to else []
    text = compose.body_text
    if not text.strip() and compose.body_html:
        text = html_to_text(compose.body_html)
    return MessageSpec(
        sender=Address(name=identity.name, email=identity.email),
        to=tuple(parse_address_list(compose.to, field=_("To"), strict=False)),
        cc=tuple(parse_address_list(compose.cc, field=_("Cc"), strict=False)),
        bcc=tuple(parse_address_list(compose.bcc, field=_("Bcc"), strict=False)),
        reply_to=reply_to[0] if reply_to else None,
        subject=compose.subject,
        text=text,
        html=compose.body_html,
        message_id=compose.message_id,
        date=date or timezone.now(),
        in_reply_to=compose.in_reply_to,
        references=compose.references,
        attachments=tuple(files),
        messages=tuple(messages),
    )


def _uploaded_files(compose: Compose) -> list[FileAttachment]:
    return [FileAttachment(a.filename, a.content_type, upload_read(a)) for a in compose.attachments.all() if a.complete]


def _forwarded(compose: Compose, imap: ImapConnection) -> tuple[list[FileAttachment], list[EmbeddedMessageAttachment]]:
    """The original's attachments (or the whole original), fetched now: only when sending."""
    if compose.source != Source.FORWARD or not compose.source_uid:
        return [], []
    imap.select(compose.source_folder, readonly=True)
    uid = int(compose.source_uid)
    meta = imap.fetch_message_meta(uid)
    if meta is None:
        raise ComposeInvalid({"attachments": _("The forwarded message no longer exists, so its attachments cannot be sent.")})
    if compose.forward_as_attachment:
        raw = imap.fetch_sections(uid, [""], max_bytes=max(meta.size, 1)).get("", b"")
        subject = decode_header_value(meta.subject) if meta.subject else ""
        return [], [EmbeddedMessageAttachment(filename=safe_filename((subject[:80] or "message") + ".eml", default="message.eml"), raw=raw)]
    root = parse_bodystructure(meta.bodystructure)
    files: list[FileAttachment] = []
    messages: list[EmbeddedMessageAttachment] = []
    for item in compose.forward_sections or []:
        if not item.get("keep"):
            continue
        part = find_part(root, str(item.get("section", "")))
        if part is None or part.is_multipart:
            continue
        data = imap.fetch_sections(uid, [part.section], max_bytes=part.size + 1024).get(part.section, b"")
        if part.mime_type == "message/rfc822":
            messages.append(EmbeddedMessageAttachment(filename=part.suggested_filename, raw=data))
        else:
            files.append(FileAttachment(part.suggested_filename, part.mime_type, decode_transfer(data, part.encoding)))
    return files, messages


def compose_draft_save(*, user: User, compose: Compose, imap: ImapConnection, force: bool = False) -> SaveResult:
    """Autosave: replace the draft on the server, unless nothing changed since the last save.
    Needs the user's checked-out session."""
    attachments = [a for a in compose.attachments.all() if a.complete]
    fingerprint = draft_fingerprint(compose, attachments)
    if not force and compose.draft_uid and compose.draft_hash == fingerprint:
        return SaveResult(saved=False, folder=compose.draft_folder, uid=compose.draft_uid, saved_at=compose.draft_saved_at)
    raw = message_build(_spec(compose, files=_uploaded_files(compose), messages=[]))
    folder, uid = draft_store(imap=imap, user_key=str(user.pk), compose=compose, raw=raw)
    draft_mark_saved(compose=compose, folder=folder, uid=uid, fingerprint=fingerprint)
    return SaveResult(saved=True, folder=folder, uid=uid, saved_at=compose.draft_saved_at)


UNDO_SEND_CHOICES = (0, 5, 10, 20, 30)  # seconds; the settings page offers these


def send_later_time(*, choice: str, custom: str = "", tz_offset: str = "", now: datetime | None = None) -> datetime:
    """The moment "send later" means, in UTC: "tomorrow" or "monday" at 8:00, or a `custom`
    date-time (an <input type=datetime-local> value), in the person's time zone: the
    browser's offset from UTC in minutes as JavaScript gives it (`getTimezoneOffset()`,
    sent with the form), else the server's zone. Raises ComposeInvalid."""
    now = now or timezone.now()
    zone = person_zone(tz_offset)
    try:
        if choice in ("tomorrow", "monday"):
            when = morning(now.astimezone(zone), next_monday=choice == "monday")
        elif choice == "custom":
            when = custom_time(custom, zone)
        else:
            raise ComposeInvalid({"send_at": _("Choose when to send the message.")})
        return future_time(when, now=now)
    except TimeInvalid as exc:
        raise ComposeInvalid({"send_at": str(exc)}) from None


def undo_send_seconds(*, user: User) -> int:
    """How long this person's sent messages wait (and can be undone) before they go out."""
    chosen = user_settings(user=user).undo_send_seconds
    return int(settings.WEBMAIL_UNDO_SEND_SECONDS if chosen is None else chosen)


def compose_queue(
    *, user: User, compose: Compose, imap: ImapConnection, enqueue: Callable[[str], object], send_at: datetime | None = None
) -> Compose:
    """Send: build the final message (forwarded parts fetched now), check its size
    against the server's limit, store it as the draft, then queue the task:
    `enqueue(compose_id)` after the transaction commits (the caller passes a function
    that queues the task for the compose's `send_at`). The message is on the server
    before anything else happens: never lost. Needs the user's checked-out session.

    It goes out after the person's undo delay, or at `send_at` ("send later", listed
    at /mail/scheduled/); until then `compose_cancel` recalls it into the editor."""
    if not compose.is_editable:
        raise ComposeLocked(str(compose.pk))
    identity = compose.identity or identity_default(user=user)
    if not sender_allowed(user=user, email=identity.email):
        raise ComposeInvalid({"from": sender_refused_message(identity.email)})
    recipients = [a.email for v in (compose.to, compose.cc, compose.bcc) for a in parse_address_list(v, field="", strict=False)]
    if not recipients:
        raise ComposeInvalid({"to": _("Add at least one recipient.")})
    now = timezone.now()
    send_later = send_at is not None
    if send_at is None:
        delay = undo_send_seconds(user=user)
        send_at = now + timedelta(seconds=delay) if delay else None
    elif send_at <= now:
        raise ComposeInvalid({"send_at": _("Choose a time in the future.")})
    limit = message_size_limit(user=user)
    files, messages = _forwarded(compose, imap)
    # The Date is when it goes out (a scheduled message is not dated the day it was written).
    raw = message_build(_spec(compose, files=_uploaded_files(compose) + files, messages=messages, date=send_at))
    if len(raw) > limit:
        raise ComposeInvalid({"attachments": too_big_message(filename=compose.subject or _("This message"), limit=limit, size=len(raw))})
    folder, uid = draft_store(imap=imap, user_key=str(user.pk), compose=compose, raw=raw)
    attachments = [a for a in compose.attachments.all() if a.complete]
    draft_mark_saved(compose=compose, folder=folder, uid=uid, fingerprint=draft_fingerprint(compose, attachments))
    updated = Compose.objects.filter(pk=compose.pk, state__in=(State.DRAFT, State.FAILED)).update(
        state=State.QUEUED,
        envelope_from=login_address(user=user),
        envelope_to=recipients,
        claimed_at=None,
        error_code="",
        error_detail="",
        retry_at=None,
        send_at=send_at,
        send_later=send_later,
    )
    if not updated:
        raise ComposeLocked(str(compose.pk))
    compose.refresh_from_db()
    transaction.on_commit(lambda: _enqueue(compose, enqueue))
    return compose


def _enqueue(compose: Compose, enqueue: Callable[[str], object]) -> None:
    try:
        enqueue(str(compose.pk))
    except Exception:
        log.exception("could not queue compose %s", compose.pk)
        Compose.objects.filter(pk=compose.pk, state=State.QUEUED).update(state=State.FAILED, error_code="queue", error_detail="")


# Room for the form's text fields (Django caps them at DATA_UPLOAD_MAX_MEMORY_SIZE) and the multipart framing.
FORM_OVERHEAD = 64 * 1024


def compose_request_refusal(*, user: User | AnonymousUser, length: int) -> str | None:
    """Why a request body of `length` bytes (its Content-Length) to a compose URL is refused
    before a byte of it is read, or None. Files can only be accepted up to the mail server's
    message size limit and what is left of the person's upload quota."""
    fields = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440) + FORM_OVERHEAD
    if length <= fields:
        return None
    if not user.is_authenticated:
        return _("The upload is too big.")
    limit = message_size_limit(user=user)
    if length > limit + fields:
        return _("The upload is too big: your mail server accepts messages up to %(limit)s.") % {"limit": filesizeformat(limit)}
    used, quota = uploads_pending_bytes(user_id=int(user.pk)), int(settings.WEBMAIL_UPLOAD_QUOTA_BYTES)
    if length > max(0, quota - used) + fields:
        return quota_message(used=used, quota=quota)
    return None


def compose_cancel(*, compose: Compose) -> bool:
    """Stop a send that is waiting (its undo delay, its scheduled time, a retry): back to
    editing, with everything it had (the row, the uploads, the draft in Drafts). False when
    too late: a worker claimed it (compare-and-set on the state, like the claim)."""
    return bool(
        Compose.objects.filter(pk=compose.pk, state=State.QUEUED).update(
            state=State.DRAFT, retry_at=None, send_at=None, send_later=False, updated_at=timezone.now()
        )
    )


def compose_discard(*, user: User, compose: Compose, imap: ImapConnection) -> None:
    """Throw the message away: every draft version, the uploads, the row. Needs the
    user's checked-out session."""
    if not compose.is_editable:
        raise ComposeLocked(str(compose.pk))
    if compose.draft_folder:
        draft_versions_delete(imap=imap, user_key=str(user.pk), compose=compose)
    uploads_purge(compose=compose)
    compose.delete()


# -- status ------------------------------------------------------------------------


ERROR_MESSAGES = {
    "unreachable": lambda d: _("The mail server cannot be reached right now."),
    "temporary": lambda d: _("The mail server asked to try again later (%(detail)s).") % {"detail": d},
    "recipient": lambda d: _("The mail server refused these recipients: %(detail)s") % {"detail": d},
    "too_big": lambda d: _("The message is too big for your mail server."),
    "refused": lambda d: _("The mail server refused the message (%(detail)s).") % {"detail": d},
    "auth": lambda d: _("The mail server did not accept your password for sending."),
    "tls": lambda d: _("No secure connection to the mail server could be made (%(detail)s).") % {"detail": d},
    "interrupted": lambda d: _("Sending was interrupted. The message may or may not have been sent: check your Sent folder before sending it again."),
    "draft_missing": lambda d: _("The draft was deleted before it could be sent."),
    "signed_out": lambda d: _("You signed out before the message could be sent."),
    "imap": lambda d: _("Your mailbox could not be reached to send the saved message."),
    "queue": lambda d: _("Sending is not available right now."),
    "sender": lambda d: sender_refused_message(d),
}


@dataclass(frozen=True)
class ComposeStatus:
    state: str
    done: bool  # nothing more will happen by itself
    sent: bool
    title: str
    message: str
    kept_as_draft: bool
    can_cancel: bool
    can_edit: bool
    retry_at: datetime | None
    send_at: datetime | None = None  # waiting to go out then (undo send, send later): can be recalled
    scheduled: bool = False  # "send later" (listed at /mail/scheduled/), not just the undo delay


def error_message(code: str, detail: str) -> str:
    maker = ERROR_MESSAGES.get(code)
    return maker(detail) if maker else _("The message could not be sent (%(detail)s).") % {"detail": detail or code}


def send_time_label(when: datetime) -> str:
    """A send time for people: date and time with its zone (the server's; the page may show it in the browser's)."""
    local = timezone.localtime(when)
    return f"{formats.date_format(local, 'SHORT_DATE_FORMAT')} {local.strftime('%H:%M %Z')}"


def compose_status(*, compose: Compose) -> ComposeStatus:
    state = compose.state
    if state == State.SENT or state == State.SUBMITTED:
        return ComposeStatus(state, state == State.SENT, True, _("Sent"), _("Your message was sent."), False, False, False, None)
    if state == State.FAILED:
        return ComposeStatus(state, True, False, _("Not sent"), error_message(compose.error_code, compose.error_detail), True, False, True, None)
    if state == State.QUEUED and compose.error_code:
        when = compose.retry_at
        text = error_message(compose.error_code, compose.error_detail) + " "
        text += (_("Trying again at %(time)s.") % {"time": timezone.localtime(when).strftime("%H:%M")}) if when else _("Trying again shortly.")
        return ComposeStatus(state, False, False, _("Not sent yet"), text, True, True, False, when)
    if state == State.DRAFT:
        return ComposeStatus(state, True, False, _("Draft"), _("This message has not been sent."), True, False, True, None)
    if state == State.QUEUED and compose.send_at is not None and compose.send_at > timezone.now():
        if compose.send_later:
            label = send_time_label(compose.send_at)
            return ComposeStatus(
                state, False, False, _("Scheduled"), _("This message will be sent on %(when)s.") % {"when": label},
                False, True, False, None, compose.send_at, True,
            )
        seconds = max(1, round((compose.send_at - timezone.now()).total_seconds()))
        text = ngettext("Sending in %(seconds)d second.", "Sending in %(seconds)d seconds.", seconds) % {"seconds": seconds}
        return ComposeStatus(state, False, False, _("Sending…"), text, False, True, False, None, compose.send_at, False)
    return ComposeStatus(state, False, False, _("Sending…"), _("Your message is being sent."), False, state == State.QUEUED, False, None)


# -- housekeeping -------------------------------------------------------------------------


def compose_cleanup(*, enqueue: Callable[[str], object], now: datetime | None = None) -> int:
    """Forget old compose sessions (their drafts stay on the server) and their uploads;
    re-queue sends left queued without a task (a broker restart lost it) with `enqueue`."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.WEBMAIL_COMPOSE_RETENTION_DAYS)
    removed = 0
    for compose in Compose.objects.filter(updated_at__lt=cutoff, state__in=(State.DRAFT, State.FAILED, State.SENT)):
        uploads_purge(compose=compose)
        compose.delete()
        removed += 1
    stuck = (
        Compose.objects.filter(state=State.QUEUED, updated_at__lt=now - timedelta(minutes=30))
        .exclude(retry_at__gt=now)
        .exclude(send_at__gt=now)  # waiting for its time: compose_sweep_due sends it then
    )
    for compose in stuck:
        _enqueue(compose, enqueue)
    return removed


def compose_sweep_due(*, enqueue: Callable[[str], object], now: datetime | None = None) -> int:
    """Queue again the waiting sends (undo send, send later) whose time has come and that no
    task took: their task was lost with the broker's data. A worker that dies is covered by
    redelivery; this is the backstop. Overdue by a sweep interval, so a task about to run is
    not doubled (a doubled one would do nothing: the claim is compare-and-set)."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.WEBMAIL_SEND_SWEEP_SECONDS)
    due = (
        Compose.objects.filter(state=State.QUEUED, send_at__lte=now - grace, updated_at__lt=now - grace)
        .exclude(retry_at__gt=now)
        .order_by("send_at")[:500]
    )
    count = 0
    for compose in due:
        _enqueue(compose, enqueue)
        count += 1
    return count


def scheduled_list(*, user: User) -> list[Compose]:
    """This person's messages waiting to be sent later (/mail/scheduled/), soonest first."""
    return list(Compose.objects.filter(user=user, state=State.QUEUED, send_later=True).order_by("send_at", "pk"))


def compose_for_user(*, user: User, compose_id: uuid.UUID | str, seed: str = "") -> Compose:
    """Ownership in one place: someone else's compose does not exist (404). With the
    page's `seed`, a compose opened but not stored yet is stored now (it is this user's)."""
    try:
        return Compose.objects.select_related("identity").get(pk=compose_id, user=user)
    except (Compose.DoesNotExist, ValueError, ValidationError) as exc:
        if seed:
            return _compose_from_seed(user=user, compose_id=compose_id, seed=seed)
        raise Compose.DoesNotExist(str(compose_id)) from exc
