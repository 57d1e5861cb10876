"""Building the message: a `MessageSpec` becomes the bytes on the wire; sizes; header surgery.

Pure functions. The stdlib `email` package (EmailMessage, policy.SMTP) does the
RFC 2047/2231 encoding; every value was checked by `headers` first (and is again here).
"""
from __future__ import annotations

import email
import email.utils
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.generator import BytesGenerator
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage, MIMEPart

from django.utils import timezone
from django.utils.translation import gettext as _

from mailview import sanitizer
from mailview.mime import Address
from mailview.services.compose.headers import (
    InvalidHeaderInput,
    check_content_type,
    check_filename,
    check_header_text,
    clean_message_ids,
    message_id_valid,
    new_message_id,
    parse_one_address,
)

# 7bit: every non-ASCII body is quoted-printable or base64, so any SMTP server takes it.
POLICY = policy.SMTP.clone(cte_type="7bit")
# base64 with CRLF every 76 characters: 4/3 * 78/76.
BASE64_FACTOR = 1.3685
MESSAGE_OVERHEAD = 16 * 1024


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
    checked = parse_one_address(f"<{address.email}>") if address.email else None
    if checked is None:
        raise InvalidHeaderInput(
            _("“%(address)s” in %(field)s is not a valid email address.") % {"address": address.email[:100], "field": field}, field=field
        )
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
    if not message_id_valid(message["Message-ID"]):
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
        message.attach(part)  # type: ignore[arg-type]  # the stubs want an EmailMessage; any MIMEPart is fine
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
