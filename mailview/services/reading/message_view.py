"""Opening one message: BODYSTRUCTURE first, then only the parts shown.

`message_open` fetches the envelope, flags and structure, decides what to show
(`mailview.mime.display_plan`), fetches just those text parts with
`BODY.PEEK[section]` (capped), decodes them and runs every byte of HTML through
`mailview.sanitizer`. A message with a 20 MB attachment moves kilobytes.
"""
from __future__ import annotations

import hashlib
import html as html_lib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.crypto import decrypt_bytes, encrypt_bytes
from mailview import sanitizer
from mailview.imap.connection import ImapConnection, RawAddress, RawSummary
from mailview.mime import (
    Address,
    DisplayPlan,
    EmbeddedMessage,
    MimePart,
    cid_map,
    decode_header_value,
    decode_text,
    decode_transfer,
    display_plan,
    parse_bodystructure,
    transfer_damaged,
)
from mailview.mime.stream import NOT_BASE64
from mailview.services.reading.messages import Label, labels_of, message_meta

# Text parts larger than this are cut (and say so): nobody reads 2 MB of text in a browser.
MAX_TEXT_PART = 2 * 1024 * 1024
# The work a page may cost, whatever the message (the rest is listed, or in "View source"):
# text parts shown, bytes of text fetched for them in all (from BODYSTRUCTURE's sizes, so
# known before fetching), and parts listed as attachments.
MAX_BODY_PARTS = 20
MAX_TEXT_TOTAL = 4 * 1024 * 1024
MAX_LISTED_ATTACHMENTS = 200
# Headers on the page: a subject, name or value longer than MAX_HEADER_CHARS ends in "…",
# at most MAX_LISTED_ADDRESSES per To/Cc/Reply-To ("and 4,900 more"), MAX_HEADER_FIELDS
# rows of "all headers" ("View source" has everything).
MAX_HEADER_CHARS = 2_000
MAX_LISTED_ADDRESSES = 100
MAX_HEADER_FIELDS = 500
BODY_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class AttachmentInfo:
    section: str
    filename: str
    mime_type: str
    size: int  # encoded size from BODYSTRUCTURE
    encoding: str = ""  # its Content-Transfer-Encoding, lower case

    @property
    def approx_size(self) -> int:
        """The decoded size: base64 carries 57 bytes in every 78 (76 characters and CRLF);
        quoted-printable about its own size; 7bit, 8bit and binary exactly."""
        return self.size * 57 // 78 if self.encoding == "base64" else self.size


@dataclass(frozen=True)
class MessageView:
    folder: str
    uid: int
    uidvalidity: int
    subject: str
    from_: list[Address]
    to: list[Address]
    cc: list[Address]
    reply_to: list[Address]
    date: datetime | None
    size: int
    seen: bool
    flagged: bool
    draft: bool
    attachments: list[AttachmentInfo]
    nested_messages: list[EmbeddedMessage]
    body_key: str  # cache key of the rendered body document
    blocked_remote: int
    remote_allowed: bool
    is_html: bool
    truncated: bool = False
    headers: list[tuple[str, str]] = field(default_factory=list)
    damaged: bool = False  # some text could not be decoded as declared: shown as far as it goes
    attachment_count: int = 0  # all of them; `attachments` lists at most MAX_LISTED_ATTACHMENTS
    more_addresses: dict[str, int] = field(default_factory=dict)  # "to"/"cc"/"reply_to" -> not listed
    more_headers: int = 0  # header fields past MAX_HEADER_FIELDS
    text_parts: int = 0  # text parts the message has; at most MAX_BODY_PARTS are shown
    shown_text_parts: int = 0
    marked_read: bool = False  # this open marked it read (it was unread)
    labels: tuple[Label, ...] = ()  # its keywords a person set (not $Junk and other plumbing)
    # Its structure (BODYSTRUCTURE) was too large to read (`RawSummary.oversized`): no text or
    # attachments shown, the page offers the original instead.
    too_complex: bool = False

    @property
    def sender_email(self) -> str:
        return self.from_[0].email if self.from_ else ""


@dataclass(frozen=True)
class RenderedBody:
    html: str  # the inner HTML of the sandboxed body document
    blocked_remote: int
    is_html: bool
    truncated: bool
    shown_images: frozenset[str] = frozenset()  # sections of inline images the HTML shows (cid:)
    damaged: bool = False  # a transfer encoding was broken (or unknown): what decodes is shown


# Part of the body cache key: changes when RenderedBody, or how it is cached, does.
BODY_FORMAT = 4

# The words around the mail are not in the cached body, which serves every language: it holds
# empty slots that `fill_labels` fills per request, in the reader's language. Sanitized mail
# cannot forge a slot (classes outside the sanitizer's short allowlist are dropped).
NO_TEXT_SLOT = '<p class="no-body"></p>'
_NESTED_LABELS = {"from": gettext_noop("From"), "to": gettext_noop("To"), "subject": gettext_noop("Subject"), "date": gettext_noop("Date")}


def _label_slot(name: str) -> str:
    return f'<th class="nested-{name}"></th>'


def fill_labels(html: str) -> str:
    """The body's label slots filled in the active language (per request, never cached)."""
    html = html.replace(NO_TEXT_SLOT, f'<p class="no-body">{html_lib.escape(_("This message has no text."))}</p>')
    if '<table class="nested-headers">' in html:
        for name, label in _NESTED_LABELS.items():
            html = html.replace(_label_slot(name), f'<th class="nested-{name}">{html_lib.escape(_(label))}</th>')
    return html


def body_cache_key(*, user_key: str, folder: str, uidvalidity: int, uid: int, remote: bool, prefer_plain: bool = False) -> str:
    ident = f"{user_key}|{folder}|{uidvalidity}|{uid}|{sanitizer.SANITIZER_VERSION}|{BODY_FORMAT}|{int(remote)}|{int(prefer_plain)}"
    return "body:" + hashlib.sha256(ident.encode()).hexdigest()


def message_open(
    *,
    imap: ImapConnection,
    user_key: str,
    folder: str,
    uid: int,
    prefer_plain: bool,
    show_remote: bool,
    sender_trusted: Callable[[str], bool],
    mark_read: bool,
    part_url: Callable[[str], str],
    with_all_headers: bool = False,
) -> MessageView:
    """Everything the message page shows. Needs a checked-out connection.

    Remote images load if `show_remote`, or if the body has any and
    `sender_trusted(sender_email)` says so (asked only then: most mail has none).
    `part_url(section)` gives the absolute URL of a part (used for `cid:` images).
    """
    selected, meta = message_meta(imap=imap, folder=folder, uid=uid, readonly=not mark_read)
    envelope_from = sender_addresses(meta)
    root = parse_bodystructure(meta.bodystructure)
    plan, text_parts = message_plan(meta, root, prefer_plain=prefer_plain)

    def key_for(remote: bool) -> str:
        return body_cache_key(user_key=user_key, folder=folder, uidvalidity=selected.uidvalidity, uid=uid, remote=remote, prefer_plain=prefer_plain)

    def trusted() -> bool:
        return sender_trusted(envelope_from[0].email if envelope_from else "")

    # The page needs only the body's summary (the iframe gets the HTML). Render at most once:
    # whether remote content may load is settled before rendering, asking about the sender
    # only where it matters (an HTML body, or a cached one that blocked something).
    remote = show_remote
    body = _cached_body(_summary_key(key_for(remote)))
    may_block = body.blocked_remote if body is not None else any(p.mime_type == "text/html" for p in plan.body_parts)
    if not remote and may_block and trusted():
        remote = True
        body = _cached_body(_summary_key(key_for(remote)))
    key = key_for(remote)
    if body is None:
        body = _keep_body(key, render_body(imap=imap, uid=uid, root=root, plan=plan, allow_remote=remote, part_url=part_url))
    flags = {f.lower() for f in meta.flags}
    marked_read = mark_read and "\\seen" not in flags
    if marked_read:
        imap.add_flags([uid], ["\\Seen"])
        flags.add("\\seen")
    headers = _all_headers(imap.fetch_header(uid) or b"") if with_all_headers else []
    more_headers = max(len(headers) - MAX_HEADER_FIELDS, 0)
    headers = [(clip(name), clip(value)) for name, value in headers[:MAX_HEADER_FIELDS]]
    envelope = recipient_addresses(meta)
    more_addresses = {kind: len(found) - MAX_LISTED_ADDRESSES for kind, found in envelope.items() if len(found) > MAX_LISTED_ADDRESSES}
    shown = {kind: [_clip_address(a) for a in found[:MAX_LISTED_ADDRESSES]] for kind, found in envelope.items()}
    # Inline images the body does not show (plain text preferred, or never referenced)
    # would be out of reach otherwise.
    attachments = plan.attachments + tuple(i for i in plan.inline_images if i.section not in body.shown_images)
    return MessageView(
        folder=folder,
        uid=uid,
        uidvalidity=selected.uidvalidity,
        subject=clip(decode_header_value(meta.subject)) if meta.subject else "",
        from_=[_clip_address(a) for a in envelope_from[:MAX_LISTED_ADDRESSES]],
        to=shown["to"],
        cc=shown["cc"],
        reply_to=shown["reply_to"],
        date=meta.date_header if isinstance(meta.date_header, datetime) else (meta.internaldate if isinstance(meta.internaldate, datetime) else None),
        size=meta.size,
        seen="\\seen" in flags,
        flagged="\\flagged" in flags,
        draft="\\draft" in flags,
        labels=labels_of(meta.flags),
        attachments=[
            AttachmentInfo(section=p.section, filename=p.suggested_filename, mime_type=p.mime_type, size=p.size, encoding=p.encoding)
            for p in attachments[:MAX_LISTED_ATTACHMENTS]
        ],
        attachment_count=len(attachments),
        text_parts=text_parts,
        shown_text_parts=len(plan.body_parts),
        marked_read=marked_read,
        nested_messages=[m for _, m in plan.nested_messages],
        body_key=key,
        blocked_remote=body.blocked_remote,
        remote_allowed=remote,
        is_html=body.is_html,
        truncated=body.truncated,
        headers=headers,
        damaged=body.damaged,
        more_addresses=more_addresses,
        more_headers=more_headers,
        too_complex=meta.oversized,
    )


def clip(text: str, limit: int = MAX_HEADER_CHARS) -> str:
    """A header value for the page: at most `limit` characters, "…" where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clip_address(address: Address) -> Address:
    if len(address.name) <= MAX_HEADER_CHARS and len(address.email) <= MAX_HEADER_CHARS:
        return address
    return Address(name=clip(address.name), email=clip(address.email))


# What a message whose structure could not be read shows: nothing of its own (no guess at
# its first part, which may be anything), a note and its source instead.
NOTHING_SHOWN = DisplayPlan(body_parts=(), inline_images=(), attachments=(), nested_messages=(), has_attachments=False)


def message_plan(meta: RawSummary, root: MimePart, *, prefer_plain: bool) -> tuple[DisplayPlan, int]:
    """`bounded_plan` of the message's structure; nothing when it was too large to read."""
    if meta.oversized:
        return NOTHING_SHOWN, 0
    return bounded_plan(display_plan(root, prefer_plain=prefer_plain))


def bounded_plan(plan: DisplayPlan) -> tuple[DisplayPlan, int]:
    """The plan with its text bounded (the first MAX_BODY_PARTS text parts, and of those
    only as many as MAX_TEXT_TOTAL bytes of text allow; at least the first), and how many
    text parts there were. Parts not shown are listed as attachments instead, so each
    one still downloads. The page and the body document both use this: same parts shown."""
    total = len(plan.body_parts)
    shown: list[MimePart] = []
    budget = MAX_TEXT_TOTAL
    for part in plan.body_parts[:MAX_BODY_PARTS]:
        cost = min(part.size, MAX_TEXT_PART)
        if shown and cost > budget:
            break
        shown.append(part)
        budget -= cost
    if len(shown) == total:
        return plan, total
    return replace(plan, body_parts=tuple(shown), attachments=plan.body_parts[len(shown):] + plan.attachments), total


def _summary_key(body_key: str) -> str:
    return body_key + ":summary"


def _sealed(body: RenderedBody) -> bytes:
    """The body encrypted for the shared cache: Redis never holds mail text in clear
    (a Redis dump, a replica or a neighbour on a shared Redis reads nothing)."""
    fields = {
        "html": body.html,
        "blocked_remote": body.blocked_remote,
        "is_html": body.is_html,
        "truncated": body.truncated,
        "shown_images": sorted(body.shown_images),
    }
    return encrypt_bytes(json.dumps(fields).encode())


def _cached_body(key: str) -> RenderedBody | None:
    """The cached body; None on a miss, or when it cannot be read (the key was rotated)."""
    sealed = cache.get(key)
    plain = decrypt_bytes(sealed) if isinstance(sealed, bytes) else None
    if plain is None:
        return None
    fields = json.loads(plain)
    return RenderedBody(
        html=fields["html"],
        blocked_remote=fields["blocked_remote"],
        is_html=fields["is_html"],
        truncated=fields["truncated"],
        shown_images=frozenset(fields["shown_images"]),
    )


def _keep_body(key: str, body: RenderedBody) -> RenderedBody:
    """Cache the body and, under its own key, a summary without the HTML; returns the summary."""
    summary = replace(body, html="")
    cache.set_many({key: _sealed(body), _summary_key(key): _sealed(summary)}, BODY_CACHE_SECONDS)
    return summary


def message_body_cached(*, user_key: str, folder: str, uidvalidity: int, uid: int, remote: bool, prefer_plain: bool) -> RenderedBody | None:
    """The body the message page just rendered, without touching IMAP (None on a miss)."""
    return _cached_body(body_cache_key(user_key=user_key, folder=folder, uidvalidity=uidvalidity, uid=uid, remote=remote, prefer_plain=prefer_plain))


def message_body(
    *, imap: ImapConnection, user_key: str, folder: str, uid: int, prefer_plain: bool, remote: bool, part_url: Callable[[str], str]
) -> RenderedBody:
    """The sanitized body document content, from cache when the message page made it."""
    selected = imap.select(folder, readonly=True)
    key = body_cache_key(user_key=user_key, folder=folder, uidvalidity=selected.uidvalidity, uid=uid, remote=remote, prefer_plain=prefer_plain)
    body = _cached_body(key)
    if body is not None:
        return body
    _selected, meta = message_meta(imap=imap, folder=folder, uid=uid)  # selected already: no command
    root = parse_bodystructure(meta.bodystructure)
    plan, _count = message_plan(meta, root, prefer_plain=prefer_plain)
    body = render_body(imap=imap, uid=uid, root=root, plan=plan, allow_remote=remote, part_url=part_url)
    _keep_body(key, body)
    return body


def render_body(
    *, imap: ImapConnection, uid: int, root: MimePart, plan: DisplayPlan, allow_remote: bool, part_url: Callable[[str], str]
) -> RenderedBody:
    sections = [p.section for p in plan.body_parts]
    raw = imap.fetch_sections(uid, sections, max_bytes=MAX_TEXT_PART) if sections else {}
    cids = cid_map(root)

    shown: set[str] = set()

    def cid_url(content_id: str) -> str | None:
        part = cids.get(content_id.strip().strip("<>"))
        if part is None:
            return None
        shown.add(part.section)
        return part_url(part.section)

    chunks: list[str] = []
    blocked = 0
    is_html = False
    truncated = False
    damaged = False
    current_nested: str | None = None
    for part in plan.body_parts:
        nested = plan.message_of(part)
        if nested is not None and nested[0].section != current_nested:
            current_nested = nested[0].section
            chunks.append(_nested_header(nested[1]))
        data = raw.get(part.section, b"")
        if len(data) >= MAX_TEXT_PART:
            truncated = True
            data = _trim_cut(data, part.encoding)
        # A part cut at MAX_TEXT_PART ends mid-way by our doing, not the sender's: judged
        # by what was fetched, trimmed to a boundary of its encoding above.
        damaged = damaged or transfer_damaged(data, part.encoding)
        text = decode_text(decode_transfer(data, part.encoding), part.charset)
        if part.mime_type == "text/html":
            result = sanitizer.sanitize_html(text, allow_remote_images=allow_remote, cid_url=cid_url)
            chunks.append(f'<div class="part html-part">{result.html}</div>')
            blocked += result.blocked_remote
            truncated = truncated or result.truncated
            is_html = True
        else:
            if part.params.get("format", "").lower() == "flowed":
                text = sanitizer.unflow(text, delsp=part.params.get("delsp", "").lower() == "yes")
            chunks.append(sanitizer.text_to_html(text))
    if not chunks:
        chunks.append(NO_TEXT_SLOT)
    return RenderedBody(
        html="\n".join(chunks), blocked_remote=blocked, is_html=is_html, truncated=truncated, shown_images=frozenset(shown), damaged=damaged
    )


def _trim_cut(data: bytes, encoding: str) -> bytes:
    """Text cut at an arbitrary byte (MAX_TEXT_PART) ends at a boundary of its encoding:
    base64 at its last whole 4-character quantum, quoted-printable before a split ``=XX``,
    so the cut is neither decoded as garbage nor taken for damage."""
    enc = encoding.lower()
    if enc == "base64":
        extra = len(data.translate(None, NOT_BASE64)) % 4
        end = len(data)
        while extra and end:
            end -= 1
            if data[end] not in NOT_BASE64:
                extra -= 1
        return data[:end]
    if enc == "quoted-printable":
        at = data.rfind(b"=", max(len(data) - 2, 0))
        return data[:at] if at >= 0 else data
    return data


def _nested_header(message: EmbeddedMessage) -> str:
    """A header block for an attached message; our own markup, every value escaped."""
    rows = [
        ("from", ", ".join(str(a) for a in message.from_)),
        ("to", ", ".join(str(a) for a in message.to)),
        ("subject", message.subject),
        ("date", message.date.strftime("%Y-%m-%d %H:%M %z") if message.date else ""),
    ]
    # The labels are slots, filled in the reader's language by `fill_labels`.
    cells = "".join(f"<tr>{_label_slot(k)}<td>{html_lib.escape(v)}</td></tr>" for k, v in rows if v)
    return f'<hr class="nested-rule"><table class="nested-headers">{cells}</table>'


def sender_addresses(meta: RawSummary) -> list[Address]:
    """The From addresses of a message, display names decoded."""
    return [Address(name=decode_header_value(a.name) if a.name else "", email=a.email) for a in meta.sender]


def recipient_addresses(meta: RawSummary) -> dict[str, list[Address]]:
    """To, Cc and Reply-To of a message, display names decoded."""

    def convert(items: tuple[RawAddress, ...]) -> list[Address]:
        return [Address(name=decode_header_value(a.name) if a.name else "", email=a.email) for a in items]

    return {"to": convert(meta.to), "cc": convert(meta.cc), "reply_to": convert(meta.reply_to)}


def _all_headers(raw: bytes) -> list[tuple[str, str]]:
    """Every header field, unfolded and decoded, in order; tolerant of broken ones."""
    import email
    from email import policy

    message = email.message_from_bytes(raw, policy=policy.compat32)
    # compat32 keeps 8-bit bytes as surrogates: hand the original bytes to the decoder,
    # which reads raw 8-bit headers as UTF-8 (else windows-1252).
    return [
        (decode_header_value(name), decode_header_value(value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value))
        for name, value in message.raw_items()
    ]


def message_printable(
    *,
    imap: ImapConnection,
    user_key: str,
    folder: str,
    uid: int,
    prefer_plain: bool,
    show_remote: bool,
    sender_trusted: Callable[[str], bool],
    part_url: Callable[[str], str],
) -> tuple[MessageView, RenderedBody]:
    """A message and its sanitized body for the print view: one open (not marking it
    read: printing is not reading) and the body it just cached."""
    view = message_open(
        imap=imap, user_key=user_key, folder=folder, uid=uid, prefer_plain=prefer_plain, show_remote=show_remote,
        sender_trusted=sender_trusted, mark_read=False, part_url=part_url,
    )
    body = message_body(
        imap=imap, user_key=user_key, folder=folder, uid=uid, prefer_plain=prefer_plain, remote=view.remote_allowed, part_url=part_url
    )
    return view, body
