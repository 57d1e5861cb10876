"""Replies and forwards: reading the original, subjects, quoting, recipients, the form's first values.

The functions are pure and unit-tested, except `original_read`, which needs a
checked-out IMAP session.
"""
from __future__ import annotations

import email
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email import policy

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mailview import sanitizer
from mailview.imap.connection import ImapConnection
from mailview.imap.errors import MessageNotFound
from mailview.mime import (
    Address,
    MimePart,
    decode_header_value,
    decode_text,
    decode_transfer,
    display_plan,
    parse_bodystructure,
)
from mailview.mime.html_text import html_to_text
from mailview.services.compose.headers import clean_message_ids, format_addresses
from mailview.services.reading.message_view import MAX_TEXT_PART, NOTHING_SHOWN, recipient_addresses, sender_addresses

MAX_QUOTED_CHARS = 200_000
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|sv|antw|odp|vs)\s*(\[\d+\])?\s*:", re.IGNORECASE)
_FORWARD_PREFIX = re.compile(r"^\s*(fwd?|wg|tr|enc|rv|vs)\s*(\[\d+\])?\s*:", re.IGNORECASE)


def reply_subject(subject: str) -> str:
    subject = (subject or "").strip()
    return subject if _REPLY_PREFIX.match(subject) else f"Re: {subject}"


def forward_subject(subject: str) -> str:
    subject = (subject or "").strip()
    return subject if _FORWARD_PREFIX.match(subject) else f"Fwd: {subject}"


def quote_text(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
    return "\n".join(">" + line if line.startswith(">") or not line else "> " + line for line in lines)


def format_date(value: datetime | None) -> str:
    if value is None:
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'DATE_FORMAT')} {formats.time_format(local, 'H:i')}"


def reply_intro(*, date: datetime | None, author: Address | None) -> str:
    name = (author.name or author.email) if author else _("someone")
    if date is None:
        return _("%(name)s wrote:") % {"name": name}
    return _("On %(date)s, %(name)s wrote:") % {"date": format_date(date), "name": name}


def signature_block(signature: str) -> str:
    signature = (signature or "").replace("\r\n", "\n").strip("\n")
    return f"-- \n{signature}\n" if signature.strip() else ""


def _dedupe(addresses: Iterable[Address], *, without: set[str]) -> list[Address]:
    out, seen = [], set(without)
    for address in addresses:
        key = address.email.lower()
        if key and key not in seen:
            seen.add(key)
            out.append(address)
    return out


def reply_recipients(
    *, from_: Sequence[Address], reply_to: Sequence[Address], to: Sequence[Address], cc: Sequence[Address], own: set[str], reply_all: bool
) -> tuple[list[Address], list[Address]]:
    """(To, Cc) of a reply: Reply-To over From; reply-all adds the other recipients,
    never the user's own addresses. Replying to one's own message goes to its recipients."""
    own = {a.lower() for a in own}
    primary = list(reply_to) or list(from_)
    if primary and all(a.email.lower() in own for a in primary):
        primary = list(to)  # my own message: reply to whom I wrote
    if not reply_all:
        return _dedupe(primary, without=own) or _dedupe(primary, without=set()), []
    new_to = _dedupe([*primary, *to], without=own)
    new_cc = _dedupe(cc, without=own | {a.email.lower() for a in new_to})
    return new_to, new_cc


@dataclass(frozen=True)
class OriginalAttachment:
    section: str
    filename: str
    mime_type: str
    size: int  # encoded size
    encoding: str


@dataclass(frozen=True)
class Original:
    """The message replied to or forwarded, decoded for quoting."""

    folder: str
    uid: int
    subject: str
    from_: list[Address]
    to: list[Address]
    cc: list[Address]
    reply_to: list[Address]
    date: datetime | None
    message_id: str
    references: list[str]
    text: str
    attachments: list[OriginalAttachment]
    size: int


def _header_value(message: email.message.Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - broken header
        return ""
    return str(value) if value is not None else ""


def original_read(*, imap: ImapConnection, folder: str, uid: int) -> Original:
    """The message to reply to or forward: envelope, threading headers, its text.

    Needs a checked-out session; selects the folder read-only and fetches only the
    text parts (BODY.PEEK), never the attachments.
    """
    imap.select(folder, readonly=True)
    meta = imap.fetch_message_meta(uid)
    if meta is None:
        raise MessageNotFound(f"{folder}/{uid}")
    header = email.message_from_bytes(imap.fetch_header(uid) or b"", policy=policy.compat32)
    root = parse_bodystructure(meta.bodystructure)
    # A structure too large to read quotes nothing (rather than a guess at its first part).
    plan = NOTHING_SHOWN if meta.oversized else display_plan(root, prefer_plain=True)
    bodies = [p for p in plan.body_parts if plan.message_of(p) is None]
    raw = imap.fetch_sections(uid, [p.section for p in bodies], max_bytes=MAX_TEXT_PART) if bodies else {}
    texts = []
    for part in bodies:
        text = decode_text(decode_transfer(raw.get(part.section, b""), part.encoding), part.charset)
        if part.mime_type == "text/html":
            text = html_to_text(text)
        elif part.params.get("format", "").lower() == "flowed":
            text = sanitizer.unflow(text, delsp=part.params.get("delsp", "").lower() == "yes")
        texts.append(text.replace("\r\n", "\n").strip("\n"))
    envelope = recipient_addresses(meta)
    message_ids = clean_message_ids(_header_value(header, "Message-ID"), limit=1)
    return Original(
        folder=folder,
        uid=uid,
        subject=decode_header_value(meta.subject) if meta.subject else "",
        from_=sender_addresses(meta),
        to=envelope["to"],
        cc=envelope["cc"],
        reply_to=envelope["reply_to"],
        date=meta.date_header if isinstance(meta.date_header, datetime) else (meta.internaldate if isinstance(meta.internaldate, datetime) else None),
        message_id=message_ids[0] if message_ids else "",
        references=clean_message_ids(_header_value(header, "References")) or clean_message_ids(_header_value(header, "In-Reply-To"), limit=1),
        text="\n\n".join(t for t in texts if t)[:MAX_QUOTED_CHARS],
        attachments=[_original_attachment(p) for p in plan.attachments],
        size=meta.size,
    )


def _original_attachment(part: MimePart) -> OriginalAttachment:
    return OriginalAttachment(
        section=part.section, filename=part.suggested_filename, mime_type=part.mime_type, size=part.size, encoding=part.encoding
    )


@dataclass(frozen=True)
class Prefill:
    """What the compose form starts with for a reply or forward."""

    to: str = ""
    cc: str = ""
    subject: str = ""
    body: str = ""
    in_reply_to: str = ""
    references: str = ""
    identity_email: str = ""  # the identity the original was sent to, if any
    forward_attachments: list[OriginalAttachment] = field(default_factory=list)
    collected: list[Address] = field(default_factory=list)  # addresses seen in the original


def _forward_header_block(original: Original) -> str:
    rows = [
        (_("From"), format_addresses(original.from_)),
        (_("Date"), format_date(original.date)),
        (_("Subject"), original.subject),
        (_("To"), format_addresses(original.to)),
        (_("Cc"), format_addresses(original.cc)),
    ]
    lines = [_("---------- Forwarded message ----------")] + [f"{k}: {v}" for k, v in rows if v]
    return "\n".join(lines)


def prefill_for(
    *, original: Original, action: str, own: set[str], identity_emails: Sequence[str], signature: str, as_attachment: bool = False
) -> Prefill:
    """Form values for reply / reply_all / forward of `original` (pure)."""
    own_lower = {a.lower() for a in own}
    recipients = {a.email.lower() for a in [*original.to, *original.cc]}
    identity_email = next((e for e in identity_emails if e.lower() in recipients), "")
    sig = signature_block(signature)
    collected = [a for a in [*original.reply_to, *original.from_] if a.email.lower() not in own_lower]
    if action in ("reply", "reply_all"):
        to, cc = reply_recipients(
            from_=original.from_, reply_to=original.reply_to, to=original.to, cc=original.cc, own=own_lower, reply_all=action == "reply_all"
        )
        quoted = reply_intro(date=original.date, author=original.from_[0] if original.from_ else None) + "\n" + quote_text(original.text) + "\n"
        references = [*original.references, original.message_id] if original.message_id else list(original.references)
        return Prefill(
            to=format_addresses(to),
            cc=format_addresses(cc),
            subject=reply_subject(original.subject),
            body="\n\n" + (sig + "\n" if sig else "") + quoted,
            in_reply_to=original.message_id,
            references=" ".join(clean_message_ids(" ".join(references))),
            identity_email=identity_email,
            collected=collected,
        )
    body = "\n\n" + (sig + "\n" if sig else "")
    if not as_attachment:
        body += _forward_header_block(original) + "\n\n" + original.text + "\n"
    return Prefill(
        subject=forward_subject(original.subject),
        body=body,
        references=" ".join(clean_message_ids(" ".join([*original.references, original.message_id]))) if original.message_id else "",
        identity_email=identity_email,
        forward_attachments=[] if as_attachment else list(original.attachments),
        collected=collected,
    )
