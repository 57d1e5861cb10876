"""The searchable text of a message, for the full-text indexer. Pure.

The indexer fetches, per message, the header fields it indexes and the BODYSTRUCTURE
(`ImapConnection.fetch_index_heads`); `index_plan` chooses from the structure the parts
whose text is indexed, and the indexer fetches the first bytes of exactly those
(`fetch_index_sections`); `message_text` decodes them. The parts, in this order:

- every part a reader sees as the message's text (`display_plan` with plain text preferred
  over its HTML alternative): text parts anywhere in a mixed or related multipart, after an
  image or another attachment, HTML-only mail, the text of forwarded (message/rfc822)
  messages, whose subject and senders are indexed with it;
- then text/* attachments (a .txt, a .csv, an HTML file).

Bounded whatever the message: at most `MAX_INDEXED_PARTS` parts, taken while the parts
before them add up to less than the byte budget, each fetched up to the budget (so at most
twice the budget is fetched), and the text cut at `max_chars`. A part that cannot be decoded
gives no text; the others still do. HTML becomes text (`html_text.html_to_text`);
base64 and quoted-printable are undone (a part cut off by the budget too) and charsets
decoded tolerantly, as the reading page does (`decode.decode_text`: unknown or bogus
charsets fall back to UTF-8, then windows-1252). Subject, From, To and Cc are decoded
(RFC 2047).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .decode import decode_header_value, decode_text, decode_transfer
from .html_text import html_to_text
from .stream import NOT_BASE64
from .structure import MimePart, display_plan

#: Parts whose text is indexed, per message at most (a hostile message has thousands).
MAX_INDEXED_PARTS = 24
#: Forwarded messages whose subject and senders are indexed, per message at most.
MAX_EMBEDDED_HEADERS = 24
#: Characters of those headers indexed at most.
MAX_EMBEDDED_CHARS = 8000


@dataclass(frozen=True)
class MessageText:
    subject: str
    people: str
    body: str


@dataclass(frozen=True)
class TextPlan:
    """What to fetch for a message's indexed text: `parts` in reading order, and the
    headers of the messages forwarded in it (already text)."""

    parts: tuple[MimePart, ...]
    embedded: str = ""

    @property
    def sections(self) -> tuple[str, ...]:
        return tuple(part.section for part in self.parts)


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


def index_plan(root: MimePart, *, max_bytes: int, max_parts: int = MAX_INDEXED_PARTS) -> TextPlan:
    """The parts whose text is indexed (see the module docstring). Never raises."""
    try:
        plan = display_plan(root, prefer_plain=True)
        candidates = list(plan.body_parts) + [
            part for part in plan.attachments if part.maintype == "text" and not part.is_multipart
        ]
        chosen: list[MimePart] = []
        seen: set[str] = set()
        used = 0
        for part in candidates:
            if len(chosen) >= max_parts or used >= max_bytes:
                break
            if part.section in seen:
                continue
            seen.add(part.section)
            chosen.append(part)
            used += max(part.size, 0)
        lines: list[str] = []
        for _part, message in plan.nested_messages[:MAX_EMBEDDED_HEADERS]:
            people = " ".join(str(a) for a in (*message.from_, *message.to, *message.cc)[:20])
            lines.append(f"{message.subject[:1000]}\n{people[:2000]}")
        return TextPlan(parts=tuple(chosen), embedded="\n".join(lines))
    except Exception:  # a structure nothing can be planned for: headers only
        return TextPlan(parts=())


def part_text(raw: bytes, part: MimePart) -> str:
    """The text of a part from its first bytes as fetched (transfer-encoded, possibly cut
    anywhere by the byte budget). Never raises: "" when nothing can be read."""
    try:
        encoding = part.encoding.lower()
        if encoding == "base64" and len(raw) < part.size:
            # Cut off: a last group of fewer than four characters would decode to junk.
            raw = raw.translate(None, NOT_BASE64)
            raw = raw[: len(raw) - len(raw) % 4]
        text = decode_text(decode_transfer(raw, encoding), part.charset)
        return html_to_text(text) if part.mime_type == "text/html" else text
    except Exception:  # hostile input: this part gives no text, the others do
        return ""


def message_text(*, header: bytes, plan: TextPlan, sections: Mapping[str, bytes], max_chars: int) -> MessageText:
    """Subject, people and body text of a message from its header fields and the sections
    of `plan` as fetched (missing ones count as empty). Never raises."""
    try:
        top = parse_header_block(header)
        subject = decode_header_value(top.get("subject", b""))
        people = " ".join(decode_header_value(top[name]) for name in ("from", "to", "cc") if name in top)
    except Exception:  # undecodable header fields: no subject, no people
        subject, people = "", ""
    texts: list[str] = [plan.embedded[:MAX_EMBEDDED_CHARS]] if plan.embedded else []
    length = len(texts[0]) if texts else 0
    for part in plan.parts:
        if length >= max_chars:
            break
        text = part_text(sections.get(part.section, b""), part)
        if text:
            texts.append(text)
            length += len(text) + 1
    return MessageText(subject=subject[:2000], people=people[:10000], body="\n".join(texts)[:max_chars])
