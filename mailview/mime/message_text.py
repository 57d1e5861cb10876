"""The searchable text of a message, from the few sections the indexer fetches. Pure.

The full-text indexer does not parse whole messages (Python's `email` walks every line of
every attachment; imapclient parses a BODYSTRUCTURE character by character: each costs
several milliseconds a message). It fetches, per message, the headers it indexes plus the
top Content-Type, part 1 and part 1.1 with their MIME headers (`ImapConnection.
fetch_text_candidates`), and `text_from_sections` picks the text a reader sees:

- a single-part message: its body (part 1), when it is text;
- a multipart: part 1 when it is text (plain, or HTML) and not an attachment; when part 1
  is itself a multipart (an alternative or related inside mixed), its first part, 1.1.

HTML becomes text (`html_text.html_to_text`); base64 and quoted-printable are undone and
charsets decoded tolerantly. Subject, From, To and Cc are decoded (RFC 2047).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .decode import decode_header_value, decode_text, decode_transfer
from .html_text import html_to_text

MAX_CHARS = 100_000
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_FILENAME = re.compile(r"""(?:^|;)\s*(?:file)?name\*?\s*=""", re.IGNORECASE)


@dataclass(frozen=True)
class MessageText:
    subject: str
    people: str
    body: str


def parse_header_block(raw: bytes) -> dict[str, bytes]:
    """Header fields of a header block, names lower-cased, folded lines unfolded; repeated
    fields joined with ", "."""
    fields: dict[str, bytes] = {}
    name = b""
    for line in raw.replace(b"\r\n", b"\n").split(b"\n"):
        if not line.strip():
            continue
        if line[:1] in (b" ", b"\t") and name:
            fields[name.decode("ascii", "replace")] += b" " + line.strip()
            continue
        key, sep, value = line.partition(b":")
        if not sep:
            continue
        name = key.strip().lower()
        text = name.decode("ascii", "replace")
        fields[text] = fields[text] + b", " + value.strip() if text in fields else value.strip()
    return {k: v for k, v in fields.items()}


def _type(fields: dict[str, bytes]) -> str:
    value = fields.get("content-type", b"text/plain").decode("ascii", "replace")
    return value.split(";", 1)[0].strip().lower() or "text/plain"


def _charset(fields: dict[str, bytes]) -> str | None:
    match = _CHARSET.search(fields.get("content-type", b"").decode("ascii", "replace"))
    return match.group(1) if match else None


def _is_attachment(fields: dict[str, bytes]) -> bool:
    disposition = fields.get("content-disposition", b"").decode("ascii", "replace")
    if disposition.split(";", 1)[0].strip().lower() == "attachment" or _FILENAME.search(disposition):
        return True
    return bool(_FILENAME.search(fields.get("content-type", b"").decode("ascii", "replace").partition(";")[2]))


def _text(body: bytes, fields: dict[str, bytes]) -> str:
    kind = _type(fields)
    if not kind.startswith("text/") or kind not in ("text/plain", "text/html", "text/enriched") or _is_attachment(fields):
        return ""
    encoding = fields.get("content-transfer-encoding", b"7bit").decode("ascii", "replace")
    text = decode_text(decode_transfer(body, encoding), _charset(fields))
    return html_to_text(text) if kind == "text/html" else text


def text_from_sections(*, header: bytes, mime1: bytes = b"", part1: bytes = b"", mime11: bytes = b"", part11: bytes = b"") -> MessageText:
    """Subject, people and body text from what the indexer fetched. Never raises."""
    try:
        top = parse_header_block(header)
        subject = decode_header_value(top.get("subject", b""))
        people = " ".join(decode_header_value(top[name]) for name in ("from", "to", "cc") if name in top)
        if not _type(top).startswith("multipart/"):
            body = _text(part1, top)
        else:
            first = parse_header_block(mime1)
            if _type(first).startswith("multipart/"):
                body = _text(part11, parse_header_block(mime11))
            else:
                body = _text(part1, first)
    except Exception:
        return MessageText("", "", "")
    return MessageText(subject=subject, people=people, body=body[:MAX_CHARS])
