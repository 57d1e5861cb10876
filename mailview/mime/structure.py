"""IMAP BODYSTRUCTURE -> typed MIME tree, and the decision of what to fetch.

Pure: no I/O. Input is what imapclient returns for ``BODYSTRUCTURE`` (a
``BodyData``; the structures nested inside ``message/rfc822`` parts are plain
tuples, not ``BodyData``), output is frozen dataclasses.

Section numbers follow RFC 3501 section 6.4.5 (checked against Dovecot 2.3):

* a non-multipart message: its body is ``"1"``;
* a multipart message: the root has section ``""`` and its children are
  ``"1"``, ``"2"`` ...; a multipart child ``"2"`` has children ``"2.1"`` ...;
* a ``message/rfc822`` part ``"2"``: a multipart body gets section ``"2"``
  too (it has no number of its own) and its children are ``"2.1"``, ``"2.2"``
  ...; a single-part body is ``"2.1"``. A top-level ``message/rfc822`` message
  is ``"1"``, its body's children ``"1.1"`` ...;
* a multipart without a boundary (Dovecot then reports one empty text/plain
  child, the text is only reachable as a whole) gets one synthetic
  ``text/plain`` child whose section fetches that text: ``"TEXT"`` at the
  root, ``"2.TEXT"`` as the body of message part ``"2"``, else the
  multipart's own section.
"""
from __future__ import annotations

import email.utils
import mimetypes
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote_to_bytes

from .decode import (
    _bytes_to_str,
    _strip_filename_chars,
    decode_header_value,
    decode_text,
    safe_filename,
)

__all__ = [
    "MAX_DEPTH",
    "Address",
    "DisplayPlan",
    "EmbeddedMessage",
    "MimePart",
    "Params",
    "cid_map",
    "display_plan",
    "find_part",
    "has_attachment",
    "iter_parts",
    "parse_bodystructure",
    "parse_envelope_addresses",
]

#: Nesting (multipart or message/rfc822 levels) followed structurally; below
#: that, the remaining leaves hang flat under the last level and are offered as
#: attachments. Dovecot itself stops at 100 levels (the rest becomes one
#: application/octet-stream part).
MAX_DEPTH = 32
#: Parts parsed per message at most (Dovecot's own limit is 10000).
MAX_PARTS = 5000

MESSAGE_TYPES = frozenset({"message/rfc822", "message/global"})
#: message/* parts that are read as text (bounces, read receipts, feedback reports).
REPORT_TEXT_TYPES = frozenset({
    "message/delivery-status", "message/global-delivery-status", "message/disposition-notification",
    "message/global-disposition-notification", "message/feedback-report", "message/global-headers",
})
#: text/* types that are data, not prose: attachments even without a filename.
DATA_TEXT_TYPES = frozenset({
    "text/calendar", "text/x-vcalendar", "text/vcard", "text/x-vcard", "text/directory", "text/rtf",
    "text/csv", "text/tab-separated-values", "text/css", "text/javascript", "text/ecmascript",
})
SIGNATURE_TYPES = frozenset({
    "application/pgp-signature", "application/pkcs7-signature", "application/x-pkcs7-signature",
})
CALENDAR_TYPES = frozenset({"text/calendar", "text/x-vcalendar", "application/ics"})

_TOKEN = re.compile(r"^[a-z0-9!#$&^_.+-]{1,127}$")


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------

class _FrozenMap(Mapping[str, str]):
    """An immutable, hashable mapping."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        self._data: dict[str, str] = dict(data)

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"


class Params(_FrozenMap):
    """MIME parameters: keys lower case, lookups case-insensitive."""

    __slots__ = ()

    def __init__(self, data: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        items = data.items() if isinstance(data, Mapping) else data
        super().__init__((str(k).lower(), v) for k, v in items)

    def __getitem__(self, key: str) -> str:
        return self._data[key.lower() if isinstance(key, str) else key]


@dataclass(frozen=True)
class Address:
    name: str
    email: str

    def __str__(self) -> str:
        if not self.name:
            return self.email
        name = self.name
        if re.search(r'[()<>\[\]:;@\\,"]', name):
            name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"{name} <{self.email}>" if self.email else name


@dataclass(frozen=True)
class EmbeddedMessage:
    """A message/rfc822 part: its envelope decoded and its body structure."""

    subject: str
    from_: list[Address]
    to: list[Address]
    cc: list[Address]
    date: datetime | None
    body: MimePart

    def __hash__(self) -> int:
        return hash((self.subject, tuple(self.from_), tuple(self.to), tuple(self.cc), self.date, self.body))


@dataclass(frozen=True)
class MimePart:
    section: str
    mime_type: str
    params: Mapping[str, str]
    content_id: str | None
    encoding: str
    size: int
    disposition: str | None
    filename: str | None
    children: tuple[MimePart, ...] = ()
    message: EmbeddedMessage | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.params, Params):
            object.__setattr__(self, "params", Params(self.params or {}))
        if not isinstance(self.children, tuple):
            object.__setattr__(self, "children", tuple(self.children))

    @property
    def maintype(self) -> str:
        return self.mime_type.partition("/")[0]

    @property
    def subtype(self) -> str:
        return self.mime_type.partition("/")[2]

    @property
    def charset(self) -> str | None:
        return self.params.get("charset") or None

    @property
    def is_multipart(self) -> bool:
        return self.mime_type.startswith("multipart/")

    @property
    def is_attachment(self) -> bool:
        """Whether the part is something to download rather than text to read,
        judged on the part alone (display_plan decides by context: an image
        in multipart/related is an inline image, not an attachment)."""
        if self.is_multipart:
            return False
        if self.disposition == "attachment" or self.mime_type in MESSAGE_TYPES:
            return True
        if _is_prose(self.mime_type):
            return bool(self.filename)
        return True

    @property
    def suggested_filename(self) -> str:
        """A safe download name: the filename, else one derived from the
        subject (message/rfc822 -> ``.eml``) or the type."""
        if self.filename:
            return safe_filename(self.filename)
        if self.mime_type in MESSAGE_TYPES:
            subject = self.message.subject if self.message else ""
            return safe_filename((subject[:80] or "message") + ".eml", default="message.eml")
        ext = ".txt" if self.maintype == "text" else (mimetypes.guess_extension(self.mime_type, strict=False) or ".bin")
        return safe_filename(f"part-{self.section or 'message'}{ext}")


def _is_prose(mime_type: str) -> bool:
    return (mime_type.startswith("text/") and mime_type not in DATA_TEXT_TYPES) or mime_type in REPORT_TEXT_TYPES


# --------------------------------------------------------------------------
# Scalars from the wire (bytes or str, NIL anywhere)
# --------------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return _bytes_to_str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return ""


def _token(value: Any, default: str) -> str:
    text = _text(value).strip().strip('"').lower()
    return text if _TOKEN.match(text) else default


def _int(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(value, 0)
    text = _text(value).strip()
    return int(text) if text.isdigit() and len(text) < 20 else 0


def _is_seq(value: Any) -> bool:
    return isinstance(value, (tuple, list))


def _get(seq: Any, index: int) -> Any:
    return seq[index] if _is_seq(seq) and 0 <= index < len(seq) else None


def _looks_like_disposition(value: Any) -> bool:
    return (
        _is_seq(value) and len(value) == 2 and isinstance(value[0], (bytes, str))
        and (value[1] is None or _is_seq(value[1]))
    )


def _find_disposition(fields: Any, start: int) -> Any:
    """Disposition is at a fixed index after the type-specific fields, but odd
    servers drop or add fields: take the first disposition-shaped element."""
    if not _is_seq(fields):
        return None
    for value in fields[start:]:
        if _looks_like_disposition(value):
            return value
    return None


# --------------------------------------------------------------------------
# Parameters (RFC 2045, RFC 2231, RFC 2047 in name=)
# --------------------------------------------------------------------------

_CONTINUATION = re.compile(r"^(.+?)\*(\d{1,3})(\*?)$")


def _raw_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    return _text(value).encode("utf-8", "surrogatepass")


def _split_2231(value: bytes) -> tuple[str | None, bytes]:
    """``charset'language'%XX..`` -> (charset, rest)."""
    if value.count(b"'") >= 2:
        charset, _lang, rest = value.split(b"'", 2)
        return (_text(charset).strip() or None), rest
    return None, value


def _clean_param(text: str) -> str:
    return decode_header_value(text)


def _parse_params(raw: Any) -> Params:
    if not _is_seq(raw):
        return Params()
    plain: dict[str, Any] = {}
    extended: dict[str, Any] = {}
    continued: dict[str, dict[int, tuple[Any, bool]]] = {}
    items = list(raw)
    for i in range(0, len(items) - 1, 2):
        key = _text(items[i]).strip().lower()
        value = items[i + 1]
        if not key or _is_seq(value):
            continue
        match = _CONTINUATION.match(key)
        if match:
            continued.setdefault(match.group(1), {})[int(match.group(2))] = (value, bool(match.group(3)))
        elif key.endswith("*"):
            extended.setdefault(key[:-1], value)
        else:
            plain.setdefault(key, value)
    result: dict[str, str] = {}
    for key, value in plain.items():
        text = _text(value)
        result[key] = text.strip() if key == "boundary" else _clean_param(text)
    for key, segments in continued.items():
        charset: str | None = None
        data = bytearray()
        for n, index in enumerate(sorted(segments)):
            value, encoded = segments[index]
            chunk = _raw_bytes(value)
            if encoded:
                if n == 0:
                    charset, chunk = _split_2231(chunk)
                chunk = unquote_to_bytes(chunk)
            data += chunk
        result[key] = _clean_param(decode_text(bytes(data), charset))
    for key, value in extended.items():
        charset, rest = _split_2231(_raw_bytes(value))
        result[key] = _clean_param(decode_text(unquote_to_bytes(rest), charset))
    return Params(result)


def _clean_filename(value: str | None) -> str | None:
    if not value:
        return None
    text = _strip_filename_chars(value)
    parts = [p.strip() for p in re.split(r"[/\\]", text) if p.strip()]
    if not parts or not parts[-1].strip("."):
        return None
    return parts[-1]


def _clean_content_id(value: Any) -> str | None:
    text = decode_header_value(_text(value)).strip()
    if text.startswith("<"):
        text = text[1:]
    if text.endswith(">"):
        text = text[:-1]
    text = text.strip()
    return text or None


def _disposition(raw: Any) -> tuple[str | None, Params]:
    if not _looks_like_disposition(raw):
        return None, Params()
    kind = _text(raw[0]).strip().strip('"').lower()
    params = _parse_params(raw[1])
    if not kind:
        return None, params
    return (kind if kind in ("inline", "attachment") else "attachment"), params


# --------------------------------------------------------------------------
# Envelope
# --------------------------------------------------------------------------

_MISSING_HOSTS = {"missing_domain", ".missing-host-name.", "missing-host-name"}


def _addr_fields(addr: Any) -> tuple[Any, Any, Any, Any] | None:
    if hasattr(addr, "mailbox") and hasattr(addr, "host"):
        return getattr(addr, "name", None), getattr(addr, "route", None), addr.mailbox, addr.host
    if _is_seq(addr):
        padded = list(addr[:4]) + [None] * (4 - min(len(addr), 4))
        return padded[0], padded[1], padded[2], padded[3]
    return None


def parse_envelope_addresses(addresses: Any) -> list[Address]:
    """imapclient Envelope address tuples (``Address`` objects, or the raw
    4-tuples found inside BODYSTRUCTURE) -> decoded addresses. Group syntax
    (``A group: a@x, b@y;``, ``undisclosed-recipients:;``) yields the members
    only; Dovecot's ``MISSING_DOMAIN`` placeholder is dropped."""
    result: list[Address] = []
    if not _is_seq(addresses):
        return result
    for addr in addresses:
        fields = _addr_fields(addr)
        if fields is None:
            continue
        raw_name, _route, raw_mailbox, raw_host = fields
        if raw_host is None:  # group start (mailbox = group name) or group end (mailbox NIL)
            continue
        name = decode_header_value(_text(raw_name) if not isinstance(raw_name, bytes) else raw_name)
        mailbox = re.sub(r"[\s\x00-\x1f\x7f]+", "", _text(raw_mailbox))
        host = re.sub(r"[\s\x00-\x1f\x7f]+", "", _text(raw_host))
        if mailbox.upper() == "MISSING_MAILBOX":
            mailbox = ""
        if host.lower() in _MISSING_HOSTS:
            host = ""
        email_addr = f"{mailbox}@{host}" if mailbox and host else mailbox or ""
        if name or email_addr:
            result.append(Address(name=name, email=email_addr))
    return result


def _parse_date(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    text = _text(value).strip()
    if not text:
        return None
    try:
        return email.utils.parsedate_to_datetime(text)
    except Exception:
        pass
    try:
        return _parse_lenient_date(text)
    except Exception:
        return None


# A time written with dots ("Sat, 8 May 2010 16.03.09 +0200"), which some mailers send.
_DOTTED_TIME = re.compile(r"\w+, ?\d{1,2} \w+ \d\d(\d\d)? \d\d?\.\d\d?\.\d\d?.*")


def _parse_lenient_date(text: str) -> datetime | None:
    """What `parsedate_to_datetime` refuses but `parsedate_tz` reads (dotted times, no
    zone: then a naive datetime), as imapclient's date parser did (MIME imports no
    protocol library)."""
    text = text.encode("ascii", "ignore").decode("ascii")
    if _DOTTED_TIME.match(text):
        text = text.replace(".", ":")
    parsed = email.utils.parsedate_tz(text)
    if parsed is None:
        return None
    offset = parsed[9]
    return datetime(*parsed[:6], tzinfo=timezone(timedelta(seconds=offset)) if offset is not None else None)


def _envelope_fields(env: Any) -> list[Any]:
    if hasattr(env, "subject") and hasattr(env, "from_"):
        return [env.date, env.subject, env.from_, env.sender, env.reply_to, env.to, env.cc, env.bcc]
    if _is_seq(env):
        return list(env[:8]) + [None] * (8 - min(len(env), 8))
    return [None] * 8


# --------------------------------------------------------------------------
# BODYSTRUCTURE parsing
# --------------------------------------------------------------------------

def _sub(prefix: str, index: int) -> str:
    return f"{prefix}.{index}" if prefix else str(index)


def _is_multipart_node(node: Any) -> bool:
    return _is_seq(node) and len(node) > 0 and _is_seq(node[0])


def _split_multipart(node: Any) -> tuple[list[Any], tuple[Any, ...]]:
    if isinstance(node[0], list):  # imapclient BodyData: ([children], subtype, ext...)
        return [c for c in node[0] if _is_seq(c) and c], tuple(node[1:])
    i = 0
    while i < len(node) and _is_seq(node[i]):
        i += 1
    return [c for c in node[:i] if c], tuple(node[i:])


class _Parser:
    def __init__(self) -> None:
        self.count = 0

    def node(self, node: Any, section: str, depth: int, *, text_section: str) -> MimePart:
        """``text_section``: what fetches this node's raw content, used when a
        multipart has no boundary."""
        self.count += 1
        if _is_multipart_node(node):
            return self.multipart(node, section, depth, text_section=text_section)
        return self.single(node, section, depth)

    def multipart(self, node: Any, section: str, depth: int, *, text_section: str) -> MimePart:
        kids, rest = _split_multipart(node)
        subtype = _token(rest[0], "mixed") if rest and isinstance(rest[0], (bytes, str)) else "mixed"
        params = _parse_params(_get(rest, 1))
        disposition, disp_params = _disposition(_find_disposition(rest, 2))
        children: list[MimePart]
        if len(rest) >= 2 and "boundary" not in params and _all_empty_leaves(kids):
            # No boundary: Dovecot shows one empty text/plain; the text is the whole body.
            children = [MimePart(
                section=text_section, mime_type="text/plain",
                params=Params({"charset": params["charset"]} if "charset" in params else {}),
                content_id=None, encoding="7bit", size=0, disposition=None, filename=None,
            )]
        elif depth >= MAX_DEPTH:
            children = self.flat_leaves(kids, section)
        else:
            children = []
            for index, kid in enumerate(kids, 1):
                if self.count >= MAX_PARTS:
                    break
                kid_section = _sub(section, index)
                children.append(self.node(kid, kid_section, depth + 1, text_section=kid_section))
        return MimePart(
            section=section, mime_type=f"multipart/{subtype}", params=params, content_id=None,
            encoding="7bit", size=sum(c.size for c in children), disposition=disposition,
            filename=_clean_filename(disp_params.get("filename")), children=tuple(children),
        )

    def flat_leaves(self, kids: list[Any], prefix: str) -> list[MimePart]:
        """Every non-multipart descendant, in order, without recursion."""
        leaves: list[MimePart] = []
        stack = [(kid, _sub(prefix, i)) for i, kid in reversed(list(enumerate(kids, 1)))]
        while stack and self.count < MAX_PARTS:
            node, section = stack.pop()
            self.count += 1
            if _is_multipart_node(node):
                sub_kids, _ = _split_multipart(node)
                stack.extend((kid, _sub(section, i)) for i, kid in reversed(list(enumerate(sub_kids, 1))))
            else:
                leaves.append(self.single(node, section, MAX_DEPTH))
        return leaves

    def single(self, node: Any, section: str, depth: int) -> MimePart:
        maintype = _token(_get(node, 0), "")
        subtype = _token(_get(node, 1), "")
        if not maintype or not subtype:  # Dovecot: Content-Type "garbage" -> ("garbage" "")
            maintype, subtype = ("text", "plain") if (maintype or "text") == "text" else ("application", "octet-stream")
        mime_type = f"{maintype}/{subtype}"
        params = _parse_params(_get(node, 2))
        content_id = _clean_content_id(_get(node, 3))
        encoding = _token(_get(node, 5), "7bit")
        size = _int(_get(node, 6))
        embedded: EmbeddedMessage | None = None
        env, body = _get(node, 7), _get(node, 8)
        if mime_type in MESSAGE_TYPES and _is_seq(env) and _is_seq(body) and depth < MAX_DEPTH and self.count < MAX_PARTS:
            embedded = self.embedded(env, body, section, depth)
        # Fields from index 7 on: text lines, or envelope/body/lines, then md5,
        # disposition ... Only a disposition is a 2-list (string, list|NIL).
        disposition, disp_params = _disposition(_find_disposition(node, 7))
        filename = _clean_filename(disp_params.get("filename") or params.get("name"))
        return MimePart(
            section=section, mime_type=mime_type, params=params, content_id=content_id, encoding=encoding,
            size=size, disposition=disposition, filename=filename, message=embedded,
        )

    def embedded(self, env: Any, body: Any, section: str, depth: int) -> EmbeddedMessage:
        fields = _envelope_fields(env)
        if _is_multipart_node(body):
            parsed = self.node(body, section, depth + 1, text_section=f"{section}.TEXT")
        else:
            parsed = self.node(body, f"{section}.1", depth + 1, text_section=f"{section}.TEXT")
        return EmbeddedMessage(
            subject=decode_header_value(fields[1] if isinstance(fields[1], (bytes, str)) else None),
            from_=parse_envelope_addresses(fields[2]),
            to=parse_envelope_addresses(fields[5]),
            cc=parse_envelope_addresses(fields[6]),
            date=_parse_date(fields[0]),
            body=parsed,
        )


def _all_empty_leaves(kids: list[Any]) -> bool:
    return bool(kids) and all(not _is_multipart_node(k) and _int(_get(k, 6)) == 0 for k in kids)


_EMPTY_ROOT = MimePart(
    section="1", mime_type="text/plain", params=Params(), content_id=None, encoding="7bit", size=0,
    disposition=None, filename=None,
)


def parse_bodystructure(bodystructure: Any) -> MimePart:
    """imapclient ``BodyData`` (or any nested tuple of the same shape) -> tree.
    Tolerant of NIL anywhere, missing or extra fields, unknown types, any
    case, bytes or str; never raises (an unusable structure gives an empty
    text/plain body "1")."""
    try:
        if not _is_seq(bodystructure) or not bodystructure:
            return _EMPTY_ROOT
        parser = _Parser()
        if _is_multipart_node(bodystructure):
            return parser.node(bodystructure, "", 0, text_section="TEXT")
        return parser.node(bodystructure, "1", 0, text_section="TEXT")
    except Exception:  # pragma: no cover - defensive: a page must open whatever the server says
        return _EMPTY_ROOT


# --------------------------------------------------------------------------
# Walking
# --------------------------------------------------------------------------

def iter_parts(root: MimePart) -> Iterator[MimePart]:
    """Every part, pre-order, including the bodies of embedded messages."""
    stack = [root]
    while stack:
        part = stack.pop()
        yield part
        kids = list(part.children)
        if part.message is not None:
            kids.append(part.message.body)
        stack.extend(reversed(kids))


def find_part(root: MimePart, section: str) -> MimePart | None:
    """The part with that section (the innermost one when a multipart body of
    a message shares its message part's number), or None."""
    found = None
    for part in iter_parts(root):
        if part.section == section:
            found = part
            if not part.is_multipart:
                return part
    return found


def cid_map(root: MimePart) -> dict[str, MimePart]:
    """Content-ID (without brackets) -> part, for rewriting ``cid:`` URLs; any
    part with a Content-ID counts (Apple Mail puts them in multipart/mixed)."""
    result: dict[str, MimePart] = {}
    for part in iter_parts(root):
        if part.content_id and not part.is_multipart:
            result.setdefault(part.content_id, part)
    return result


# --------------------------------------------------------------------------
# Display plan
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class DisplayPlan:
    body_parts: tuple[MimePart, ...]
    inline_images: tuple[MimePart, ...]
    attachments: tuple[MimePart, ...]
    nested_messages: tuple[tuple[MimePart, EmbeddedMessage], ...]
    has_attachments: bool
    #: body part section -> section of the innermost message/rfc822 part it
    #: belongs to (absent for the top-level message's own bodies).
    nested_in: Mapping[str, str] = field(default_factory=_FrozenMap)

    def message_of(self, part: MimePart) -> tuple[MimePart, EmbeddedMessage] | None:
        """The (message/rfc822 part, envelope) a body part belongs to, if nested."""
        section = self.nested_in.get(part.section)
        for pair in self.nested_messages:
            if pair[0].section == section:
                return pair
        return None


class _Planner:
    def __init__(self, prefer_plain: bool) -> None:
        self.prefer = ("plain", "html", "text") if prefer_plain else ("html", "plain", "text")
        self.body: list[MimePart] = []
        self.inline: list[MimePart] = []
        self.attachments: list[MimePart] = []
        self.nested: list[tuple[MimePart, EmbeddedMessage]] = []
        self.nested_in: dict[str, str] = {}
        self.signatures: set[str] = set()
        self.too_deep: set[int] = set()
        self.seen: set[int] = set()

    def _claim(self, part: MimePart) -> bool:
        if id(part) in self.seen:
            return False
        self.seen.add(id(part))
        return True

    def attach(self, part: MimePart) -> None:
        if self._claim(part):
            self.attachments.append(part)

    def walk(self, part: MimePart, depth: int, within: str | None) -> None:
        if depth >= MAX_DEPTH:
            self.attach_leaves(part)
            return
        if part.is_multipart:
            if not part.children:
                if part.size:
                    self.attach(part)
                return
            subtype = part.subtype
            if subtype == "alternative":
                self.alternative(part, depth, within)
            elif subtype == "related":
                self.related(part, depth, within)
            elif subtype == "signed":
                self.walk(part.children[0], depth + 1, within)
                for child in part.children[1:]:
                    if child.mime_type in SIGNATURE_TYPES:
                        self.signatures.add(child.section)
                    self.walk_as_attachment(child, depth + 1, within)
            else:  # mixed, report, digest, parallel, encrypted, unknown
                for child in part.children:
                    self.walk(child, depth + 1, within)
            return
        if part.mime_type in MESSAGE_TYPES:
            if id(part) in self.seen:
                return
            self.attach(part)  # downloadable as .eml, and shown nested
            if part.message is not None:
                self.nested.append((part, part.message))
                self.walk(part.message.body, depth + 1, part.section)
            return
        if _is_prose(part.mime_type) and not part.filename and part.disposition != "attachment":
            if self._claim(part):
                self.body.append(part)
                if within is not None:
                    self.nested_in[part.section] = within
            return
        self.attach(part)

    def walk_as_attachment(self, part: MimePart, depth: int, within: str | None) -> None:
        if part.is_multipart or part.mime_type in MESSAGE_TYPES:
            self.walk(part, depth, within)
        else:
            self.attach(part)

    def attach_leaves(self, part: MimePart) -> None:
        """Past MAX_DEPTH: every leaf below is an attachment (embedded messages
        included, as .eml, without looking inside them)."""
        stack = [part]
        while stack:
            node = stack.pop()
            if node.is_multipart:
                stack.extend(reversed(node.children))
            else:
                self.too_deep.add(id(node))
                self.attach(node)

    def flavor(self, part: MimePart, depth: int) -> str | None:
        for _ in range(MAX_DEPTH - depth):
            if part.is_multipart:
                if not part.children:
                    return None
                if part.subtype == "related":
                    part = _related_root(part)
                    continue
                if part.subtype == "alternative":
                    found = {self.flavor(c, depth + 1) for c in part.children}
                    return next((f for f in self.prefer if f in found), None)
                part = part.children[0]
                continue
            if part.disposition == "attachment" or part.filename or not part.mime_type.startswith("text/"):
                return None
            if part.mime_type == "text/html":
                return "html"
            if part.mime_type == "text/plain":
                return "plain"
            return "text" if _is_prose(part.mime_type) else None
        return None

    def alternative(self, part: MimePart, depth: int, within: str | None) -> None:
        kids = part.children
        flavors = [self.flavor(kid, depth + 1) for kid in kids]
        chosen = len(kids) - 1  # RFC 2046: the last alternative is the richest
        for wanted in self.prefer:
            matches = [i for i, f in enumerate(flavors) if f == wanted]
            if matches:
                chosen = matches[-1]
                break
        self.walk(kids[chosen], depth + 1, within)
        for i, kid in enumerate(kids):
            if i == chosen:
                continue
            for leaf in iter_parts(kid):  # invitations, explicit attachments and images survive
                if not leaf.is_multipart and (leaf.mime_type in CALENDAR_TYPES or leaf.disposition == "attachment"):
                    self.attach(leaf)
                elif not leaf.is_multipart and leaf.maintype == "image" and leaf.content_id and self._claim(leaf):
                    self.inline.append(leaf)  # of a version not shown: listed, since nothing shows it

    def related(self, part: MimePart, depth: int, within: str | None) -> None:
        root = _related_root(part)
        self.walk(root, depth + 1, within)
        for child in part.children:
            if child is root:
                continue
            if child.content_id and child.maintype == "image" and not child.is_multipart:
                if self._claim(child):
                    self.inline.append(child)
            elif child.content_id and not child.is_multipart:
                self.attach(child)  # e.g. a stylesheet referenced by cid: never shown as text
            else:
                self.walk(child, depth + 1, within)

    def plan(self) -> DisplayPlan:
        if not self.body:
            # Nothing to read, but an inline text part that has a name (msg.txt
            # from a list server): show it too, it stays downloadable.
            for part in self.attachments:
                if _is_prose(part.mime_type) and part.disposition != "attachment" and id(part) not in self.too_deep:
                    self.body.append(part)
                    break
        return DisplayPlan(
            body_parts=tuple(self.body),
            inline_images=tuple(self.inline),
            attachments=tuple(self.attachments),
            nested_messages=tuple(self.nested),
            has_attachments=any(a.section not in self.signatures for a in self.attachments),
            nested_in=_FrozenMap(self.nested_in),
        )


def _related_root(part: MimePart) -> MimePart:
    start = (part.params.get("start") or "").strip().strip("<>").strip()
    if start:
        for child in part.children:
            if child.content_id == start:
                return child
    return part.children[0]


def display_plan(root: MimePart, *, prefer_plain: bool = False) -> DisplayPlan:
    """What to fetch and show for a message (see the module docstring of the
    package for the rules). Never raises."""
    planner = _Planner(prefer_plain)
    try:
        planner.walk(root, 0, None)
    except Exception:  # pragma: no cover - defensive
        pass
    return planner.plan()


def has_attachment(bodystructure: Any) -> bool:
    """The paperclip in message lists: the same answer as
    ``display_plan(parse_bodystructure(bs)).has_attachments``."""
    try:
        if not _is_seq(bodystructure) or not bodystructure:
            return False
        return display_plan(parse_bodystructure(bodystructure)).has_attachments
    except Exception:  # pragma: no cover - defensive
        return False
