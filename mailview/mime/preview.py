"""The one-line preview of a list row: what the message starts with, as plain text. Pure.

Two sources: the server's own (`FETCH PREVIEW`, RFC 8970: UTF-8 text of at most 256
characters the server made from the body), or, where it is not advertised, the first
bytes of the message's text part (`BODY.PEEK[section]<0.N>`, never the whole part) that
`preview_part` chooses and `preview_from_part` decodes. Either way `preview_clean` makes
it one line: control characters gone, quoted lines ("> ...") dropped, blanks collapsed,
at most `PREVIEW_CHARS` characters. The result is text: the template escapes it.
"""
from __future__ import annotations

import re

from .decode import decode_text, decode_transfer
from .html_text import html_to_text
from .structure import MimePart, display_plan

#: Characters shown (RFC 8970 allows the server 256).
PREVIEW_CHARS = 200
#: Bytes of a text/plain part fetched for a preview (transfer-encoded: base64 needs 4/3).
PLAIN_BYTES = 400
#: Bytes of a text/html part: markup and styles come first, so more is needed for the text.
HTML_BYTES = 2048

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufffc\ufffd]")
_BLANKS = re.compile(r"\s+")
# "On 3 May 2025, Anna wrote:" / "Am 3. Mai 2025 schrieb Anna:" closing the last kept line.
_ATTRIBUTION = re.compile(r"^(on|am|le|el)\b.{0,200}\b(wrote|schrieb|a écrit|escribió):$", re.IGNORECASE)


def preview_clean(text: str) -> str:
    """One line of at most `PREVIEW_CHARS` characters from the start of a text."""
    kept: list[str] = []
    length = 0
    for line in text.replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith(">") or _ATTRIBUTION.match(stripped):
            continue
        if stripped in ("--", "-- ", "__"):
            break  # the signature follows
        kept.append(stripped)
        length += len(stripped) + 1
        if length > PREVIEW_CHARS * 2:
            break
    one = _BLANKS.sub(" ", _CONTROL.sub(" ", " ".join(kept))).strip()
    if len(one) <= PREVIEW_CHARS:
        return one
    cut = one[:PREVIEW_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > PREVIEW_CHARS * 3 // 4 else cut).rstrip() + "…"


def preview_from_server(value: object) -> str | None:
    """The text of a `PREVIEW` FETCH item (a UTF-8 string, or NIL: none yet)."""
    if isinstance(value, tuple) and value:  # SNIPPET (FUZZY "...") style answers
        value = value[-1]
    if isinstance(value, bytes):
        return preview_clean(value.decode("utf-8", "replace"))
    if isinstance(value, str):
        return preview_clean(value)
    return None


def preview_part(root: MimePart) -> MimePart | None:
    """The part a preview is made from: the first text the message shows, plain text
    preferred (less to fetch); None when it has none (an attachment alone)."""
    plan = display_plan(root, prefer_plain=True)
    for part in plan.body_parts:
        if part.mime_type in ("text/plain", "text/html") and not plan.nested_in.get(part.section):
            return part
    return None


def preview_bytes(part: MimePart) -> int:
    """How many bytes of `part` to fetch for its preview."""
    return HTML_BYTES if part.mime_type == "text/html" else PLAIN_BYTES


def preview_from_part(raw: bytes, part: MimePart) -> str:
    """The preview of a part from its first bytes (transfer-encoded, possibly cut anywhere)."""
    encoding = part.encoding.lower()
    if encoding == "base64":
        raw = raw[: len(raw) - len(raw) % 4] if b"\n" not in raw else raw  # a cut group decodes to nothing
    text = decode_text(decode_transfer(raw, encoding), part.charset)
    if part.mime_type == "text/html":
        text = html_to_text(text)
    return preview_clean(text)
