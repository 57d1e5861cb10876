"""The few header fields a list row shows, read from `BODY.PEEK[HEADER.FIELDS (...)]`. Pure.

The list FETCH asks for these instead of ENVELOPE (issue #12: ENVELOPE carries Sender,
Reply-To, Cc, Bcc, In-Reply-To and Message-ID too, which no row shows; the fields alone
are about half its bytes, and pay for the preview line). What comes back is what ENVELOPE
would have said, in the same raw form (`RawSummary`): the subject and the display names
still RFC 2047-encoded and possibly 8-bit, for `mime.decode_header_value` to decode as it
decodes an envelope's (tolerantly: split multibyte characters, unknown charsets, bad base64).

Addresses are parsed by the stdlib's RFC 5322 parser (`email.headerregistry`, as
`email.policy.default` parses them): groups,
quoted names with commas, comments, obsolete routes. It decodes encoded words itself, and
less tolerantly than we do, and reads 8-bit bytes as undecodable; so it sees the value as
Latin-1 (every byte one character, given back byte for byte) with each encoded word swapped
for one private-use character, put back after parsing.

Anything the parser chokes on gives None: the caller asks for ENVELOPE instead.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import AddressHeader
from typing import Any

from imapclient.datetime_util import parse_to_datetime

#: A header value longer than this is cut before parsing (a row shows 500 characters of a
#: subject or name; a 300 KB subject is hostile, and the parser's work grows with it).
MAX_VALUE_BYTES = 32 * 1024

# An encoded word (RFC 2047) without the characters that delimit addresses, so that swapping
# it for one character never changes how the value splits into addresses.
_ENCODED_WORD = re.compile(r"=\?[^?\s\"<>,;:@()\[\]\\]+\?[bBqQ]\?[^?\s\"<>,;:@()\[\]\\]*\?=")
_PLACEHOLDER_BASE = 0xE000  # the Private Use Area: never in a Latin-1 string
_MAX_PLACEHOLDERS = 0x1800
_PLACEHOLDER = re.compile("[\ue000-\uf7ff]")
_BLANKS = re.compile("[ \t]+")
# One address of the shapes `_simple_addresses` reads, and the comma after it (or the end).
# Words and blanks never overlap and every repeat is possessive: linear on any input.
_ATEXT = r"[^<>@ \t\",()\\:;\[\]\x00-\x1f\x7f.]++"
_ATOMS = _ATEXT + r"(?:\." + _ATEXT + r")*+"  # a dot-atom: no dot first, last or twice
_PHRASE = r"[^<>@ \t\",()\\:;\[\]\x00-\x1f\x7f]++(?:[ \t]++[^<>@ \t\",()\\:;\[\]\x00-\x1f\x7f]++)*+"
_SIMPLE = re.compile(
    r'[ \t]*+(?:(?:"(?P<quoted>[^"\\\x00-\x08\x0a-\x1f\x7f]*+)"|(?P<phrase>' + _PHRASE + r')?+)[ \t]*+<(?P<local>' + _ATOMS + r")@(?P<host>"
    + _ATOMS + r")>|(?P<bare_local>" + _ATOMS + r")@(?P<bare_host>" + _ATOMS + r"))[ \t]*+(?:,|\Z)"
)
# One field: a name, a colon, the value up to a line end not followed by white space.
_FIELD = re.compile(rb"^([!-9;-~]+)[ \t]*:(.*?)(?=\r?\n(?![ \t])|\Z)", re.M | re.S)


@dataclass(frozen=True)
class HeaderAddress:
    """One address as ENVELOPE gives it: the display name raw (encoded words and 8-bit bytes
    as sent, quotes and escapes removed), the local part and the domain."""

    name: bytes | None
    mailbox: str
    host: str


@dataclass(frozen=True)
class RowHeaders:
    subject: bytes | None
    from_: tuple[HeaderAddress, ...]
    sender: tuple[HeaderAddress, ...]
    to: tuple[HeaderAddress, ...]
    date: datetime | None


def header_fields(raw: bytes) -> dict[str, bytes]:
    """`Name: value` lines of a header block → {lower-case name: value} (the first of each
    name, as ENVELOPE takes it; folds kept, surrounding white space stripped)."""
    out: dict[str, bytes] = {}
    for match in _FIELD.finditer(raw):
        name = match.group(1).decode("ascii").lower()
        if name not in out:
            out[name] = match.group(2).strip(b" \t\r\n")
    return out


def parse_addresses(value: bytes) -> tuple[HeaderAddress, ...]:
    """An address header's value → its mailboxes in order (a group's members in its place,
    the group itself not: as imapclient's ENVELOPE addresses without the group markers).

    Names as Dovecot's ENVELOPE gives them: the phrase (runs of blanks made one), else the
    last comment of a bare address (`ann@example.org (Ann Smith)`); a name with an empty or
    unreadable address (`MAILER-DAEMON <>`) is kept. Unlike Dovecot, a missing local part or
    domain stays empty (not `MISSING_DOMAIN`). Raises on what the stdlib parser cannot read
    (the caller falls back to ENVELOPE)."""
    raw = value[:MAX_VALUE_BYTES]
    if len(value) > MAX_VALUE_BYTES and (comma := raw.rfind(b",")) > 0:
        # Cut after the last whole address (as a rule): no half address shown, and the list
        # stays one the fast reader takes (the stdlib parser needs ~1.5 s for 32 KB of them).
        raw = raw[:comma]
    text = raw.decode("latin-1").replace("\r", "").replace("\n", "")
    simple = _simple_addresses(text)
    return simple if simple is not None else _stdlib_addresses(text)


def _stdlib_addresses(text: str) -> tuple[HeaderAddress, ...]:
    """`parse_addresses` by the stdlib's parser, encoded words swapped out meanwhile."""
    words: list[str] = []

    def protect(match: re.Match[str]) -> str:
        if len(words) >= _MAX_PLACEHOLDERS:
            return match.group(0)
        words.append(match.group(0))
        return chr(_PLACEHOLDER_BASE + len(words) - 1)

    def restore(part: str | None) -> str:
        part = part or ""
        return _PLACEHOLDER.sub(lambda m: words[ord(m.group(0)) - _PLACEHOLDER_BASE], part) if words else part

    out = []
    for address in AddressHeader.value_parser(_ENCODED_WORD.sub(protect, text)).addresses:
        for mailbox in address.all_mailboxes:
            name = mailbox.display_name
            kind = getattr(mailbox[0], "token_type", "") if len(mailbox) else ""
            if name is None and kind == "addr-spec":
                comments = _comments_after_start(mailbox[0])
                name = comments[-1] if comments else None
            name = _BLANKS.sub(" ", restore(name)).strip(" ")
            local, host = restore(mailbox.local_part), restore(mailbox.domain)
            if not (local or host or name):
                continue  # `<>`, or what was left of an address that could not be read
            out.append(HeaderAddress(
                name=name.encode("latin-1", "replace") if name else None,
                mailbox=local.encode("latin-1", "replace").decode("utf-8", "replace"),
                host=host.encode("latin-1", "replace").decode("utf-8", "replace"),
            ))
    return tuple(out)


def _simple_addresses(text: str) -> tuple[HeaderAddress, ...] | None:
    """The common shapes without the stdlib parser (it costs ~0.5 ms an address): a list of
    `Name <a@b>`, `"Name, quoted" <a@b>`, `<a@b>` and `a@b` with no comment, group, escape,
    route or domain literal; None for anything else. The same answer as the parser's (the
    unit tests compare them)."""
    out = []
    pos, end = 0, len(text)
    while pos < end:
        match = _SIMPLE.match(text, pos)
        if match is None or match.end() == pos:
            return None
        pos = match.end()
        local, host = match.group("local") or match.group("bare_local"), match.group("host") or match.group("bare_host")
        quoted = match.group("quoted")
        name = _BLANKS.sub(" ", quoted if quoted is not None else match.group("phrase") or "").strip(" ")
        out.append(HeaderAddress(
            name=name.encode("latin-1") if name else None,
            mailbox=local.encode("latin-1").decode("utf-8", "replace"),
            host=host.encode("latin-1").decode("utf-8", "replace"),
        ))
    return tuple(out)


def _comments_after_start(token: Any) -> list[str]:
    """The comments of an addr-spec after its first word (one before it names nothing)."""
    found: list[str] = []
    started = False
    stack = [token]
    while stack:
        item = stack.pop()
        kind = getattr(item, "token_type", "")
        if kind == "comment":
            if started:
                found.append(str(item.content))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif kind != "fws" and str(item).strip():
            started = True
    return found


def row_headers(raw: bytes, *, fields: Iterable[str] = ("from", "sender", "subject", "to", "date")) -> RowHeaders | None:
    """The row's fields from a `HEADER.FIELDS` answer, or None where an address header cannot
    be parsed (ask ENVELOPE for that message instead). A field not asked for, or not in the
    message, is empty, as ENVELOPE's NIL."""
    found = header_fields(raw)
    wanted = {f.lower() for f in fields}
    try:
        addresses = {name: parse_addresses(found[name]) if name in wanted and name in found else () for name in ("from", "sender", "to")}
    except Exception:  # noqa: BLE001 - the stdlib parser's failures are not one type; ENVELOPE instead
        return None
    subject = found.get("subject") if "subject" in wanted else None
    date = None
    if "date" in wanted and found.get("date"):
        try:
            date = parse_to_datetime(found["date"], normalise=False)  # as imapclient reads ENVELOPE's date
        except (ValueError, OverflowError, TypeError):
            date = None
    return RowHeaders(
        subject=subject[:MAX_VALUE_BYTES] if subject is not None else None,
        from_=addresses["from"], sender=addresses["sender"], to=addresses["to"], date=date,
    )
