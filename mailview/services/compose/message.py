"""Writing mail: checking what the person typed, replies and forwards, building MIME.

Pure functions (checks, subjects, quoting, recipients, `message_build`) have no
I/O and are unit-tested; `original_read` and `compose_prefill` need a checked-out
IMAP session. Every value that reaches a header passes `check_header_text` or
`parse_address_list` first: CR, LF and other control characters are refused
with a message naming the field, never silently folded. The stdlib `email`
package (EmailMessage, policy.SMTP) then does RFC 2047/2231 encoding.
"""
from __future__ import annotations

import email
import email.utils
import html as html_lib
import html.parser
import io
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.generator import BytesGenerator
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage, MIMEPart

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
    safe_filename,
)
from mailview.services.reading.message_view import MAX_TEXT_PART, recipient_addresses, sender_addresses

# 7bit: every non-ASCII body is quoted-printable or base64, so any SMTP server takes it.
POLICY = policy.SMTP.clone(cte_type="7bit")
MAX_SUBJECT = 900
MAX_ADDRESSES = 500
MAX_QUOTED_CHARS = 200_000
# base64 with CRLF every 76 characters: 4/3 * 78/76.
BASE64_FACTOR = 1.3685
MESSAGE_OVERHEAD = 16 * 1024

# Characters that must never reach a header: C0/C1 controls (CR, LF, NUL …), DEL,
# and the Unicode line/paragraph separators some parsers treat as line ends.
_HEADER_FORBIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f\x80-\x9f\u2028\u2029]")
_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$")
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_DOMAIN_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_MSG_ID = re.compile(r"<[!-;=?-~]{1,250}>")  # printable ASCII except < and >, no spaces
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|sv|antw|odp|vs)\s*(\[\d+\])?\s*:", re.IGNORECASE)
_FORWARD_PREFIX = re.compile(r"^\s*(fwd?|wg|tr|enc|rv|vs)\s*(\[\d+\])?\s*:", re.IGNORECASE)


class InvalidHeaderInput(ValueError):
    """Something typed cannot go into a header; the message is for the person."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# -- checks ----------------------------------------------------------------------


def check_header_text(value: str, *, field: str, max_length: int = MAX_SUBJECT) -> str:
    """A one-line header text: refused if it holds a line break or control character."""
    text = (value or "").replace("\t", " ")
    if _HEADER_FORBIDDEN.search(text):
        raise InvalidHeaderInput(_("%(field)s must be a single line (line breaks and control characters are not allowed).") % {"field": field}, field=field)
    text = text.strip()
    if len(text) > max_length:
        raise InvalidHeaderInput(_("%(field)s is too long.") % {"field": field}, field=field)
    return text


def _split_addresses(value: str) -> list[str]:
    """Split on commas and semicolons outside quotes and angle brackets."""
    chunks, current, quoted, angle, escaped = [], [], False, False, False
    for ch in value:
        if escaped:
            current.append(ch)
            escaped = False
            continue
        if ch == "\\" and quoted:
            current.append(ch)
            escaped = True
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == "<" and not quoted:
            angle = True
        elif ch == ">" and not quoted:
            angle = False
        if ch in ",;" and not quoted and not angle:
            chunks.append("".join(current))
            current = []
            continue
        current.append(ch)
    chunks.append("".join(current))
    return [c.strip() for c in chunks if c.strip()]


def _ascii_domain(domain: str) -> str | None:
    domain = domain.strip().rstrip(".")
    if not domain:
        return None
    try:
        ascii_domain = domain.encode("idna").decode("ascii") if not domain.isascii() else domain
    except UnicodeError:
        return None
    labels = ascii_domain.split(".")
    if len(ascii_domain) > 253 or len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels):
        return None
    return ascii_domain.lower()


def parse_single_address(value: str, *, field: str) -> Address:
    found = parse_address_list(value, field=field)
    if len(found) != 1:
        raise InvalidHeaderInput(_("%(field)s must be one address.") % {"field": field}, field=field)
    return found[0]


def _parse_one(chunk: str) -> Address | None:
    try:
        header = policy.default.header_factory("To", chunk)
        addresses = list(getattr(header, "addresses", ()))
    except Exception:  # noqa: BLE001 - the stdlib parser raises on some malformed input
        return None
    if len(addresses) != 1 or any(type(d).__name__ in ("InvalidHeaderDefect", "NonASCIILocalPartDefect") for d in header.defects):
        return None
    found = addresses[0]
    local, domain = found.username, _ascii_domain(found.domain or "")
    if not local or domain is None or not _LOCAL_PART.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        return None
    name = found.display_name.strip()
    if _HEADER_FORBIDDEN.search(name) or len(name) > 200:
        return None
    return Address(name=name, email=f"{local}@{domain}")


def parse_address_list(value: str, *, field: str, strict: bool = True) -> list[Address]:
    """`Name <a@b.c>, "Doe, J" <j@d.e>; x@y.z` → addresses (duplicates dropped).

    Strict: any chunk that is not one valid address is refused, naming it. Not
    strict (autosave while typing): invalid chunks are left out. CR/LF is refused
    either way.
    """
    text = value or ""
    if re.search("[\r\n\x00\u2028\u2029\x85]", text):
        raise InvalidHeaderInput(_("%(field)s must not contain line breaks.") % {"field": field}, field=field)
    out: list[Address] = []
    seen: set[str] = set()
    for chunk in _split_addresses(text.replace("\t", " ")):
        address = _parse_one(chunk)
        if address is None:
            if strict:
                raise InvalidHeaderInput(_("“%(address)s” in %(field)s is not a valid email address.") % {"address": chunk[:100], "field": field}, field=field)
            continue
        if address.email.lower() not in seen:
            seen.add(address.email.lower())
            out.append(address)
    if len(out) > MAX_ADDRESSES:
        raise InvalidHeaderInput(_("%(field)s has too many addresses.") % {"field": field}, field=field)
    return out


def format_addresses(addresses: Iterable[Address]) -> str:
    """For a form field: parseable again by `parse_address_list`."""
    return ", ".join(str(a) for a in addresses if a.email)


def check_filename(value: str) -> str:
    """An upload's name: refused with a line break or control character, else made safe."""
    if _HEADER_FORBIDDEN.search(value or ""):
        raise InvalidHeaderInput(_("The file name must not contain line breaks or control characters."), field="filename")
    return safe_filename(value)


def check_content_type(value: str) -> str:
    text = (value or "").strip().lower()
    return text if _CONTENT_TYPE.match(text) else "application/octet-stream"


def clean_message_ids(value: str, *, limit: int = 30) -> list[str]:
    """Message-IDs found in a (hostile) header, well-formed ones only; the first and the last `limit - 1`."""
    found = _MSG_ID.findall(value or "")
    if len(found) > limit:
        found = found[:1] + found[-(limit - 1):]
    return found


def new_message_id(sender_email: str) -> str:
    domain = _ascii_domain(sender_email.rsplit("@", 1)[-1]) or "webmail.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


# -- replies and forwards ------------------------------------------------------------


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


# -- reading the original -----------------------------------------------------------


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


class _TextExtractor(html.parser.HTMLParser):
    """HTML → readable plain text (for quoting HTML-only mail and the rich editor's text part)."""

    BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol", "hr"}
    SKIP = {"script", "style", "head", "title", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.quote = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "blockquote":
            self.quote += 1
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n* ")
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
            self.parts.append("\n")
        elif tag in ("p", "div", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        text = re.sub(r"[ \t\r\n\f]+", " ", data)
        if self.quote:
            text = text.replace("\n", "\n" + "> " * self.quote)
            if not self.parts or self.parts[-1].endswith("\n"):
                text = "> " * self.quote + text.lstrip()
        self.parts.append(text)

    def text(self) -> str:
        joined = "".join(self.parts)
        lines = [line.rstrip() for line in joined.split("\n")]
        out = re.sub(r"\n{3,}", "\n\n", "\n".join(line.lstrip(" ") if not line.startswith(">") else line for line in lines))
        return out.strip("\n")


def html_to_text(markup: str) -> str:
    parser = _TextExtractor()
    try:
        parser.feed(markup or "")
        parser.close()
    except Exception:  # noqa: BLE001 - hostile markup: fall back to stripping tags
        return html_lib.unescape(re.sub(r"<[^>]*>", " ", markup or ""))
    return parser.text()


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
    plan = display_plan(root, prefer_plain=True)
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
    return OriginalAttachment(section=part.section, filename=part.suggested_filename, mime_type=part.mime_type, size=part.size, encoding=part.encoding)


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


def prefill_for(*, original: Original, action: str, own: set[str], identity_emails: Sequence[str], signature: str, as_attachment: bool = False) -> Prefill:
    """Form values for reply / reply_all / forward of `original` (pure)."""
    own_lower = {a.lower() for a in own}
    recipients = {a.email.lower() for a in [*original.to, *original.cc]}
    identity_email = next((e for e in identity_emails if e.lower() in recipients), "")
    sig = signature_block(signature)
    collected = [a for a in [*original.reply_to, *original.from_] if a.email.lower() not in own_lower]
    if action in ("reply", "reply_all"):
        to, cc = reply_recipients(from_=original.from_, reply_to=original.reply_to, to=original.to, cc=original.cc, own=own_lower, reply_all=action == "reply_all")
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


# -- building the message ------------------------------------------------------------


@dataclass(frozen=True)
class FileAttachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class EmbeddedMessageAttachment:
    """A whole message attached as message/rfc822, its bytes kept exactly."""

    filename: str
    raw: bytes


@dataclass(frozen=True)
class MessageSpec:
    sender: Address
    to: tuple[Address, ...]
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()
    reply_to: Address | None = None
    subject: str = ""
    text: str = ""
    html: str = ""
    message_id: str = ""
    date: datetime | None = None
    in_reply_to: str = ""
    references: str = ""
    attachments: tuple[FileAttachment, ...] = ()
    messages: tuple[EmbeddedMessageAttachment, ...] = ()


def _header_address(address: Address, *, field: str) -> HeaderAddress:
    checked = _parse_one(f"<{address.email}>") if address.email else None
    if checked is None:
        raise InvalidHeaderInput(_("“%(address)s” in %(field)s is not a valid email address.") % {"address": address.email[:100], "field": field}, field=field)
    name = check_header_text(address.name, field=field, max_length=200)
    local, domain = checked.email.rsplit("@", 1)
    return HeaderAddress(display_name=name, username=local, domain=domain)


def message_build(spec: MessageSpec) -> bytes:
    """The message as it goes on the wire (CRLF), Bcc included when the spec has one:
    drafts and the Sent copy keep it, the SMTP copy drops it (`headers_without`)."""
    message = EmailMessage(policy=POLICY)
    message["From"] = _header_address(spec.sender, field=_("From"))
    if spec.to:
        message["To"] = [_header_address(a, field=_("To")) for a in spec.to]
    if spec.cc:
        message["Cc"] = [_header_address(a, field=_("Cc")) for a in spec.cc]
    if spec.bcc:
        message["Bcc"] = [_header_address(a, field=_("Bcc")) for a in spec.bcc]
    if spec.reply_to is not None and spec.reply_to.email:
        message["Reply-To"] = _header_address(spec.reply_to, field=_("Reply-To"))
    message["Subject"] = check_header_text(spec.subject, field=_("Subject"))
    message["Date"] = email.utils.format_datetime(spec.date or timezone.now())
    message["Message-ID"] = spec.message_id or new_message_id(spec.sender.email)
    if not _MSG_ID.fullmatch(message["Message-ID"]):
        raise InvalidHeaderInput("bad Message-ID", field="message_id")
    in_reply_to = clean_message_ids(spec.in_reply_to, limit=1)
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to[0]
    references = clean_message_ids(spec.references)
    if references:
        message["References"] = " ".join(references)
    text = (spec.text or "").replace("\r\n", "\n").replace("\r", "\n")
    if text and not text.endswith("\n"):
        text += "\n"
    message.set_content(text)
    if spec.html:
        message.add_alternative(f"<!doctype html>\n<html><body>{spec.html}</body></html>\n", subtype="html")
    for item in spec.attachments:
        maintype, _slash, subtype = check_content_type(item.content_type).partition("/")
        message.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=check_filename(item.filename))
    for embedded in spec.messages:
        if message.get_content_maintype() != "multipart" or message.get_content_subtype() != "mixed":
            message.make_mixed()
        part = _embedded_part(embedded)
        message.attach(part)  # type: ignore[arg-type]  # typeshed wants the message's own class; any MIMEPart attaches
        if part["Content-Transfer-Encoding"] == "8bit" and "Content-Transfer-Encoding" not in message:
            message["Content-Transfer-Encoding"] = "8bit"  # RFC 2045: a multipart holding 8bit data is 8bit
    for part in message.walk():
        if part is not message:
            del part["MIME-Version"]
    buffer = io.BytesIO()
    _Generator(buffer, mangle_from_=False, policy=POLICY).flatten(message)
    return buffer.getvalue()


class _Generator(BytesGenerator):
    """Writes the str payload of an attached message/rfc822 part back as its original
    bytes (surrogateescape), 8-bit ones included; the stdlib's encodes it as strict ASCII."""

    def _encode(self, s: str) -> bytes:
        return s.encode("ascii", "surrogateescape")


def _embedded_part(item: EmbeddedMessageAttachment) -> MIMEPart:
    """message/rfc822 with the original bytes untouched (the generator writes a str
    payload of a message/* part as is; `_Generator` turns it back into the same bytes)."""
    raw = re.sub(rb"\r?\n", b"\r\n", item.raw)
    if not raw.endswith(b"\r\n"):
        raw += b"\r\n"
    part = MIMEPart(policy=POLICY)
    part["Content-Type"] = "message/rfc822"
    part.add_header("Content-Disposition", "attachment", filename=check_filename(item.filename))
    part["Content-Transfer-Encoding"] = "7bit" if raw.isascii() else "8bit"
    part._payload = raw.decode("ascii", "surrogateescape")  # type: ignore[attr-defined]  # noqa: SLF001 - see docstring
    return part


def headers_without(raw: bytes, names: Iterable[str]) -> bytes:
    """The message with some header fields removed, every other byte unchanged."""
    drop = {n.lower() for n in names}
    head, separator, body = raw.partition(b"\r\n\r\n")
    out: list[bytes] = []
    skipping = False
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t"):
            if not skipping:
                out.append(line)
            continue
        skipping = line.split(b":", 1)[0].strip().decode("ascii", "replace").lower() in drop
        if not skipping:
            out.append(line)
    return b"\r\n".join(out) + separator + body


def header_senders(raw: bytes) -> list[str]:
    """The addresses in a message's From and Sender fields (lower-cased); empty if unreadable."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0] + b"\r\n\r\n"
    try:
        message = email.message_from_bytes(head, policy=policy.default)
        found = [a.addr_spec.lower() for name in ("From", "Sender") for header in (message.get_all(name) or []) for a in header.addresses]
    except Exception:  # noqa: BLE001 - a broken header is no sender at all
        return []
    return [a for a in found if a]


def estimated_size(*, text_chars: int, attachment_bytes: int, embedded_bytes: int = 0) -> int:
    """About how big the message will be on the wire (base64 grows files by ~37%)."""
    return int(MESSAGE_OVERHEAD + text_chars * 2 + attachment_bytes * BASE64_FACTOR + embedded_bytes)


def sanitize_user_html(markup: str) -> str:
    """What the rich editor produced passes the same sanitizer as incoming mail."""
    if not (markup or "").strip():
        return ""
    return sanitizer.sanitize_html(markup, allow_remote_images=True).html
