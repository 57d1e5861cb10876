"""SEARCH keys: what a person types, and flags present or absent. Pure; validated.

Every value a person typed reaches the wire as a quoted string (ASCII; `"` and `\\`
escaped) or, when it has 8-bit characters, as bytes that imapclient sends as a literal
(with `CHARSET UTF-8`); the parser (`query.py`) has already turned CR, LF, NUL and every
other control character into spaces, and numbers and dates are built here, never copied.
"""
from __future__ import annotations

from datetime import date

from . import validate
from .query import Node, Not, Or, ParsedQuery, Term, age_date, parse_date, parse_query, parse_size

_SYSTEM_FLAG_KEYS = {
    "\\seen": (b"SEEN", b"UNSEEN"),
    "\\flagged": (b"FLAGGED", b"UNFLAGGED"),
    "\\answered": (b"ANSWERED", b"UNANSWERED"),
    "\\deleted": (b"DELETED", b"UNDELETED"),
    "\\draft": (b"DRAFT", b"UNDRAFT"),
}


def flag_search_keys(flag: str, *, present: bool) -> list[bytes]:
    """SEARCH keys for messages that have (or lack) a flag: `\\Seen` → SEEN, `$Junk` → KEYWORD $Junk."""
    system = _SYSTEM_FLAG_KEYS.get(flag.lower())
    if system is not None:
        return [system[0] if present else system[1]]
    return [b"KEYWORD" if present else b"UNKEYWORD", flag.encode("ascii")]


def search_keys(text: str | None, *, in_body: bool = False, today: date | None = None) -> list[bytes]:
    """IMAP search keys for what a person types, in the query language of `query.py`:
    free words and phrases match From, To, Cc or Subject (anywhere, TEXT, when `in_body`)."""
    return query_keys(parse_query(text, today=today), in_body=in_body, today=today)


def query_keys(query: ParsedQuery, *, in_body: bool = False, today: date | None = None, fuzzy: bool = False) -> list[bytes]:
    """SEARCH keys for a parsed query (all top-level terms must match); `ALL` when empty.
    `in:` terms are the caller's scope, not keys; terms with errors are left out. `fuzzy`
    (the server advertises SEARCH=FUZZY, RFC 6203) makes body text terms `FUZZY TEXT`."""
    keys: list[bytes] = []
    for node in query.nodes:
        keys += _node_keys(node, in_body=in_body, today=today or date.today()) or []
    if fuzzy and in_body:
        keys = _fuzzy_text(keys)
    return keys or [b"ALL"]


def _fuzzy_text(keys: list[bytes]) -> list[bytes]:
    """`TEXT x` → `FUZZY TEXT x`. A bare `TEXT` is always the key: every typed value is a
    quoted string or an 8-bit literal (`quote`), never the atom TEXT."""
    out: list[bytes] = []
    for key in keys:
        out += [b"FUZZY", b"TEXT"] if key == b"TEXT" else [key]
    return out


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_HEADER_KEYS = {"from": b"FROM", "to": b"TO", "cc": b"CC", "bcc": b"BCC", "subject": b"SUBJECT"}
_IS_KEYS = {
    "unread": b"UNSEEN", "read": b"SEEN", "flagged": b"FLAGGED", "starred": b"FLAGGED", "unflagged": b"UNFLAGGED",
    "answered": b"ANSWERED", "replied": b"ANSWERED", "draft": b"DRAFT",
}


def _imap_date(day: date) -> bytes:
    return f"{day.day}-{_MONTHS[day.month - 1]}-{day.year:04d}".encode("ascii")


def _node_keys(node: Node, *, in_body: bool, today: date) -> list[bytes] | None:
    """One search-key (a single key, an OR/NOT of keys, or a parenthesized list), or None
    when the node adds nothing."""
    if isinstance(node, Term):
        return _term_keys(node, in_body=in_body, today=today)
    if isinstance(node, Not):
        inner = _node_keys(node.node, in_body=in_body, today=today)
        return [b"NOT", *inner] if inner else None
    if isinstance(node, Or):
        parts = [p for p in (_node_keys(n, in_body=in_body, today=today) for n in node.nodes) if p]
        if not parts:
            return None
        keys = parts[-1]
        for part in reversed(parts[:-1]):
            keys = [b"OR", *part, *keys]
        return keys
    inner_keys = [k for n in node.nodes for k in (_node_keys(n, in_body=in_body, today=today) or [])]
    if not inner_keys:
        return None
    # "(ALL ... ALL)": the parentheses stick to atoms, never to a literal (imapclient sends
    # 8-bit values as literals, which a ")" cannot follow without a space).
    return [b"(ALL", *inner_keys, b"ALL)"]


def _term_keys(term: Term, *, in_body: bool, today: date) -> list[bytes] | None:
    if term.error or term.op == "in":
        return None
    op, value = term.op, term.value
    if op == "text":
        quoted = quote(value)
        if in_body:
            return [b"TEXT", quoted]
        return [b"OR", b"OR", b"OR", b"FROM", quoted, b"TO", quoted, b"CC", quoted, b"SUBJECT", quoted]
    if op in _HEADER_KEYS:
        return [_HEADER_KEYS[op], quote(value)]
    if op == "is":
        return [_IS_KEYS[value]]
    if op == "has":
        # IMAP has no "has an attachment" key: mail with attachments is multipart/mixed,
        # and servers that detect attachments set $HasAttachment (RFC 8457).
        return [b"OR", b"HEADER", b'"Content-Type"', b'"multipart/mixed"', b"KEYWORD", b"$HasAttachment"]
    if op == "label":
        return [b"KEYWORD", validate.flag(value).encode("ascii")]
    if op in ("before", "after"):
        day = parse_date(value)
        assert day is not None  # checked by the parser
        return [b"BEFORE" if op == "before" else b"SINCE", _imap_date(day)]
    if op in ("older_than", "newer_than"):
        day = age_date(value, today)
        assert day is not None
        return [b"BEFORE" if op == "older_than" else b"SINCE", _imap_date(day)]
    if op in ("larger", "smaller"):
        size = parse_size(value)
        assert size is not None
        return [b"LARGER" if op == "larger" else b"SMALLER", str(size).encode("ascii")]
    return None


def quote(value: str) -> bytes:
    """A search value as an IMAP string: quoted when ASCII, else UTF-8 bytes that
    imapclient sends as a literal. CR, LF and NUL are refused (the parser never lets
    them through)."""
    validate.search_text(value[: validate.MAX_SEARCH_TEXT])
    encoded = value.encode("utf-8")
    if encoded.isascii():
        return b'"' + encoded.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'
    return encoded
