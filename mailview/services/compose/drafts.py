"""Drafts on the IMAP server: one per compose, replaced on every save.

Every version of a compose's draft carries the same Message-ID. A save APPENDs
the new version (with \\Draft and \\Seen) first, learns its UID from APPENDUID,
then deletes every *older* version: nothing is lost if the connection breaks in
between, and two overlapping saves still leave exactly one draft, the newest.

What a save (or a discard, or a send) may delete is narrow on purpose, because a
wrong UID here destroys someone's mail: only messages in the Drafts folder, and
there only the versions this compose appended (its Message-ID *and* \\Draft) and
the one UID it was resumed from or last saved as, when that UID was in this same
Drafts folder. A message elsewhere is never expunged, whatever a compose row says.
Only messages in the Drafts folder resume in place; one flagged \\Draft in another
folder resumes as a copy (a new message that never touches the original); anything
else is refused (`NotADraft`).

The \\Drafts and \\Sent folders are found by `mailview.services.special_folders`.
"""
from __future__ import annotations

import email
import hashlib
import json
import re
from dataclasses import dataclass
from email import policy
from email.message import Message

from django.utils import timezone

from mailview.imap.connection import ImapConnection
from mailview.imap.errors import MailboxNotFound, MessageNotFound
from mailview.mime import decode_header_value
from mailview.mime.html_text import html_to_text
from mailview.models import Compose, ComposeAttachment
from mailview.services.compose.headers import clean_message_ids
from mailview.services.special_folders import special_folder_ensure, special_folders, special_folders_forget


def message_id_token(message_id: str) -> str:
    """The part of our Message-ID that is searched for (no angle brackets)."""
    return message_id.strip().strip("<>")


class NotADraft(Exception):
    """The message asked for as a draft is neither in the Drafts folder nor flagged \\Draft."""


def versions_in(*, imap: ImapConnection, folder: str, message_id: str) -> list[int]:
    """UIDs of the \\Draft-flagged messages in `folder` with this Message-ID (the folder
    gets selected read-write). Every version a compose appends carries both."""
    imap.select(folder, readonly=False, refresh=True)
    return sorted(imap.search_uids(["HEADER", "Message-ID", message_id_token(message_id), "DRAFT"]))


def _own_uid(compose: Compose, drafts: str | None) -> int | None:
    """The UID this compose last saved as or was resumed from, if it is in the Drafts folder."""
    if drafts and compose.draft_uid and compose.draft_folder == drafts:
        return int(compose.draft_uid)
    return None


def draft_store(*, imap: ImapConnection, user_key: str, compose: Compose, raw: bytes) -> tuple[str, int | None]:
    """APPEND this version to Drafts, then delete its older versions there (and nothing
    else, see the module's docstring). Returns (folder, new UID)."""
    try:
        folder = special_folder_ensure(imap=imap, user_key=user_key, use="drafts")
        new_uid = imap.append(folder, raw, flags=["\\Draft", "\\Seen"])
    except MailboxNotFound:
        special_folders_forget(user_key=user_key)
        folder = special_folder_ensure(imap=imap, user_key=user_key, use="drafts")
        new_uid = imap.append(folder, raw, flags=["\\Draft", "\\Seen"])
    existing = versions_in(imap=imap, folder=folder, message_id=compose.message_id)
    older = set(existing)
    own = _own_uid(compose, folder)
    if own is not None:
        older.add(own)
    if new_uid is not None:
        stale = sorted(u for u in older if u < new_uid)
    else:  # no UIDPLUS: keep the newest we can see
        stale = sorted(older)[:-1] if older else []
    if stale:
        imap.select(folder, readonly=False)  # delete_permanently acts on the selected folder
        imap.delete_permanently(stale)
    if new_uid is None and existing:
        new_uid = max(existing)
    return folder, new_uid


def draft_versions_delete(*, imap: ImapConnection, user_key: str, compose: Compose) -> None:
    """Delete every version of this compose's draft in the Drafts folder (its
    Message-ID with \\Draft, plus its own UID there). Idempotent; nothing elsewhere."""
    drafts = special_folders(imap=imap, user_key=user_key).drafts
    if not drafts:
        return
    try:
        found = set(versions_in(imap=imap, folder=drafts, message_id=compose.message_id))
    except MailboxNotFound:
        return
    own = _own_uid(compose, drafts)
    if own is not None:
        found.add(own)
    if found:
        imap.select(drafts, readonly=False)
        imap.delete_permanently(sorted(found))


def draft_origin(*, imap: ImapConnection, user_key: str, folder: str, uid: int) -> bool:
    """May this message be continued as a draft? True: it is in the Drafts folder (found
    by SPECIAL-USE), so it resumes in place and its next version replaces it. False: it is
    flagged \\Draft elsewhere, so it resumes as a copy and stays where it is. Raises
    NotADraft for anything else, MessageNotFound when it is gone."""
    imap.select(folder, readonly=True)
    meta = imap.fetch_message_meta(uid)
    if meta is None:
        raise MessageNotFound(f"{folder}/{uid}")
    drafts = special_folders(imap=imap, user_key=user_key).drafts
    if drafts != folder:
        drafts = special_folders(imap=imap, user_key=user_key, refresh=True).drafts  # renamed since cached?
    if drafts is not None and folder == drafts:
        return True
    if any(flag.lower() == "\\draft" for flag in meta.flags):
        return False
    raise NotADraft(f"{folder}/{uid}")


def draft_fingerprint(compose: Compose, attachments: list[ComposeAttachment]) -> str:
    """What a draft version depends on: unchanged → the autosave is skipped."""
    data = [
        compose.identity_id, compose.to, compose.cc, compose.bcc, compose.subject, compose.body_text, compose.body_html,
        compose.forward_as_attachment, compose.forward_sections, [(str(a.pk), a.received) for a in attachments],
    ]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def draft_mark_saved(*, compose: Compose, folder: str, uid: int | None, fingerprint: str) -> None:
    compose.draft_folder, compose.draft_uid, compose.draft_hash, compose.draft_saved_at = folder, uid, fingerprint, timezone.now()
    Compose.objects.filter(pk=compose.pk).update(draft_folder=folder, draft_uid=uid, draft_hash=fingerprint, draft_saved_at=compose.draft_saved_at)


# -- resuming a draft found on the server --------------------------------------------------


@dataclass(frozen=True)
class ParsedDraft:
    from_email: str
    to: str
    cc: str
    bcc: str
    subject: str
    text: str
    html: str
    message_id: str
    in_reply_to: str
    references: str
    attachments: list[tuple[str, str, bytes]]  # filename, content type, data


def _safe_header(message: email.message.EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
        return decode_header_value(str(value)) if value is not None else ""
    except Exception:  # noqa: BLE001 - broken header: fall back to the raw value
        raw = message.get_all(name, failobj=[])
        return decode_header_value(str(raw[0])) if raw else ""


def draft_parse(raw: bytes) -> ParsedDraft:
    """A draft's fields, text and attachments (from any client), tolerant of broken headers."""
    message = email.message_from_bytes(raw, policy=policy.default)
    text, html = "", ""
    try:
        plain = message.get_body(("plain",))
        text = plain.get_content() if plain is not None else ""
    except Exception:  # noqa: BLE001
        text = ""
    try:
        rich = message.get_body(("html",))
        html = rich.get_content() if rich is not None else ""
    except Exception:  # noqa: BLE001
        html = ""
    if not text and html:
        text = html_to_text(html)
    attachments: list[tuple[str, str, bytes]] = []
    try:
        parts = list(message.iter_attachments())
    except Exception:  # noqa: BLE001 - not multipart
        parts = []
    for part in parts:
        try:
            payload = part.get_payload()
            if part.get_content_maintype() == "message" and isinstance(payload, list) and payload and isinstance(payload[0], Message):
                data = payload[0].as_bytes()
            else:
                decoded = part.get_payload(decode=True)
                data = decoded if isinstance(decoded, bytes) else b""
            attachments.append((part.get_filename() or "attachment", part.get_content_type(), data))
        except Exception:  # noqa: BLE001 - a broken part is left out, not the whole draft
            continue
    ids = clean_message_ids(_safe_header(message, "Message-ID"), limit=1)
    return ParsedDraft(
        from_email=_safe_header(message, "From"),
        to=_safe_header(message, "To"),
        cc=_safe_header(message, "Cc"),
        bcc=_safe_header(message, "Bcc"),
        subject=_safe_header(message, "Subject"),
        text=re.sub(r"\r\n?", "\n", text),
        html=html,
        message_id=ids[0] if ids else "",
        in_reply_to=" ".join(clean_message_ids(_safe_header(message, "In-Reply-To"), limit=1)),
        references=" ".join(clean_message_ids(_safe_header(message, "References"))),
        attachments=attachments,
    )


def draft_fetch(*, imap: ImapConnection, folder: str, uid: int | None, message_id: str = "") -> bytes:
    """The whole draft as stored (BODY.PEEK[]: the draft is not marked read). When `uid`
    is gone and `message_id` is given, the newest message with that Message-ID there (a
    draft saved again meanwhile has a new UID). Raises MessageNotFound, or
    MailboxNotFound when the folder is gone."""
    if not folder:
        raise MessageNotFound("no draft folder")
    imap.select(folder, readonly=True)
    meta = imap.fetch_message_meta(int(uid)) if uid else None
    if meta is None and message_id:
        found = sorted(imap.search_uids(["HEADER", "Message-ID", message_id_token(message_id)]))
        if found:
            uid = found[-1]
            meta = imap.fetch_message_meta(uid)
    if meta is None or not uid:
        raise MessageNotFound(f"{folder}/{uid}")
    return imap.fetch_sections(int(uid), [""], max_bytes=max(meta.size, 1)).get("", b"")


def draft_header_message_id(*, imap: ImapConnection, folder: str, uid: int) -> str:
    imap.select(folder, readonly=True)
    header = imap.fetch_header(uid)
    if header is None:
        raise MessageNotFound(f"{folder}/{uid}")
    parsed = email.message_from_bytes(header, policy=policy.compat32)
    ids = clean_message_ids(str(parsed.get("Message-ID", "") or ""), limit=1)
    return ids[0] if ids else ""
